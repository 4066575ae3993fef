package dev.toban.postmortem.model;

import com.fasterxml.jackson.annotation.JsonValue;

/** The issue tracker a backlog webhook talks to. */
public enum BacklogKind implements WireEnum {
    GITHUB("github"),
    JIRA("jira");

    private final String wire;

    BacklogKind(String wire) {
        this.wire = wire;
    }

    @Override
    @JsonValue
    public String wire() {
        return wire;
    }

    @Override
    public String toString() {
        return wire;
    }

    @jakarta.persistence.Converter(autoApply = true)
    public static class JpaConverter extends WireEnum.Converter<BacklogKind> {
        public JpaConverter() {
            super(BacklogKind.class);
        }
    }
}

package dev.toban.postmortem.model;

import com.fasterxml.jackson.annotation.JsonValue;

/** The IC's call: hold the postmortem or skip it. */
public enum Decision implements WireEnum {
    HOLD("hold"),
    SKIP("skip");

    private final String wire;

    Decision(String wire) {
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
    public static class JpaConverter extends WireEnum.Converter<Decision> {
        public JpaConverter() {
            super(Decision.class);
        }
    }
}

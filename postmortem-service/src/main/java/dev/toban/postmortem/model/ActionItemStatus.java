package dev.toban.postmortem.model;

import com.fasterxml.jackson.annotation.JsonValue;

/** Progress of an action item. */
public enum ActionItemStatus implements WireEnum {
    OPEN("open"),
    IN_PROGRESS("in_progress"),
    DONE("done"),
    WONT_DO("wont_do");

    private final String wire;

    ActionItemStatus(String wire) {
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
    public static class JpaConverter extends WireEnum.Converter<ActionItemStatus> {
        public JpaConverter() {
            super(ActionItemStatus.class);
        }
    }
}

package dev.toban.postmortem.model;

import com.fasterxml.jackson.annotation.JsonValue;

/** A meeting is scheduled, was held, or was cancelled. */
public enum MeetingStatus implements WireEnum {
    SCHEDULED("scheduled"),
    HELD("held"),
    CANCELLED("cancelled");

    private final String wire;

    MeetingStatus(String wire) {
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
    public static class JpaConverter extends WireEnum.Converter<MeetingStatus> {
        public JpaConverter() {
            super(MeetingStatus.class);
        }
    }
}

package dev.toban.postmortem.model;

import com.fasterxml.jackson.annotation.JsonValue;

/** Why someone is a participant: their incident role, their team, or the organiser added them. */
public enum ParticipantSource implements WireEnum {
    COMMANDER("commander"),
    LIAISON("liaison"),
    RESPONDER("responder"),
    TEAM("team"),
    ADDED("added");

    private final String wire;

    ParticipantSource(String wire) {
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
    public static class JpaConverter extends WireEnum.Converter<ParticipantSource> {
        public JpaConverter() {
            super(ParticipantSource.class);
        }
    }
}

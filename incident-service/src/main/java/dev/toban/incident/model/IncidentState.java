package dev.toban.incident.model;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import jakarta.persistence.AttributeConverter;
import jakarta.persistence.Converter;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.Set;

/** triggered → acknowledged → mitigated (暫定復旧) → resolved → closed; reopening goes back to acknowledged. */
public enum IncidentState {
    TRIGGERED, ACKNOWLEDGED, MITIGATED, RESOLVED, CLOSED;

    /** States in which the response is still going on. */
    public static final Set<IncidentState> OPEN = EnumSet.of(TRIGGERED, ACKNOWLEDGED, MITIGATED);

    @JsonValue
    public String wire() {
        return name().toLowerCase();
    }

    @JsonCreator
    public static IncidentState of(String wire) {
        return Arrays.stream(values()).filter(s -> s.wire().equals(wire)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown state " + wire));
    }

    public boolean isOpen() {
        return OPEN.contains(this);
    }

    @Converter(autoApply = true)
    public static class JpaConverter implements AttributeConverter<IncidentState, String> {
        @Override
        public String convertToDatabaseColumn(IncidentState state) {
            return state == null ? null : state.wire();
        }

        @Override
        public IncidentState convertToEntityAttribute(String value) {
            return value == null ? null : of(value);
        }
    }
}

package dev.toban.incident.model;

import com.fasterxml.jackson.annotation.JsonValue;
import jakarta.persistence.AttributeConverter;
import jakarta.persistence.Converter;
import java.util.Arrays;

/** Where an incident came from. */
public enum IncidentSource {
    EVENTS_V2, ALERTMANAGER, SOS, MANUAL, HEARTBEAT;

    @JsonValue
    public String wire() {
        return name().toLowerCase();
    }

    public static IncidentSource of(String wire) {
        return Arrays.stream(values()).filter(s -> s.wire().equals(wire)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown source " + wire));
    }

    @Converter(autoApply = true)
    public static class JpaConverter implements AttributeConverter<IncidentSource, String> {
        @Override
        public String convertToDatabaseColumn(IncidentSource source) {
            return source == null ? null : source.wire();
        }

        @Override
        public IncidentSource convertToEntityAttribute(String value) {
            return value == null ? null : of(value);
        }
    }
}

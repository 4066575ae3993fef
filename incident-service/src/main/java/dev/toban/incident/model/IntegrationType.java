package dev.toban.incident.model;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import jakarta.persistence.AttributeConverter;
import jakarta.persistence.Converter;
import java.util.Arrays;

/** What an integration key accepts: PagerDuty Events API v2, or Alertmanager's webhook. */
public enum IntegrationType {
    EVENTS_V2, ALERTMANAGER;

    @JsonValue
    public String wire() {
        return name().toLowerCase();
    }

    @JsonCreator
    public static IntegrationType of(String wire) {
        return Arrays.stream(values()).filter(s -> s.wire().equals(wire)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("must be one of [events_v2, alertmanager]"));
    }

    @Converter(autoApply = true)
    public static class JpaConverter implements AttributeConverter<IntegrationType, String> {
        @Override
        public String convertToDatabaseColumn(IntegrationType type) {
            return type == null ? null : type.wire();
        }

        @Override
        public IntegrationType convertToEntityAttribute(String value) {
            return value == null ? null : of(value);
        }
    }
}

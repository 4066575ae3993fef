package dev.toban.incident.model;

import dev.toban.contracts.incident.IncidentSource;
import jakarta.persistence.AttributeConverter;
import jakarta.persistence.Converter;

/** Stores an incident's source as its wire name (the enum is the event contract's, which knows no JPA). */
@Converter(autoApply = true)
public class IncidentSourceConverter implements AttributeConverter<IncidentSource, String> {
    @Override
    public String convertToDatabaseColumn(IncidentSource source) {
        return source == null ? null : source.wire();
    }

    @Override
    public IncidentSource convertToEntityAttribute(String value) {
        return value == null ? null : IncidentSource.of(value);
    }
}

package dev.toban.incident.model;

import dev.toban.contracts.incident.IncidentState;
import jakarta.persistence.AttributeConverter;
import jakarta.persistence.Converter;

/** Stores an incident's state as its wire name (the enum is the event contract's, which knows no JPA). */
@Converter(autoApply = true)
public class IncidentStateConverter implements AttributeConverter<IncidentState, String> {
    @Override
    public String convertToDatabaseColumn(IncidentState state) {
        return state == null ? null : state.wire();
    }

    @Override
    public IncidentState convertToEntityAttribute(String value) {
        return value == null ? null : IncidentState.of(value);
    }
}

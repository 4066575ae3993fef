package dev.toban.contracts.incident;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;

/** Where an incident came from; on the wire in lower case ({@code events_v2}). */
public enum IncidentSource {
    EVENTS_V2, ALERTMANAGER, SOS, MANUAL, HEARTBEAT;

    @JsonValue
    public String wire() {
        return name().toLowerCase();
    }

    @JsonCreator
    public static IncidentSource of(String wire) {
        return Arrays.stream(values()).filter(s -> s.wire().equals(wire)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown source " + wire));
    }
}

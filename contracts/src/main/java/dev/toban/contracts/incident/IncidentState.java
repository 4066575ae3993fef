package dev.toban.contracts.incident;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.Set;

/**
 * triggered → acknowledged → mitigated (暫定復旧) → resolved → closed; reopening goes back to acknowledged.
 * On the wire in lower case ({@code triggered}).
 */
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
}

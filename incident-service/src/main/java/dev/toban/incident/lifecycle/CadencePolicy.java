package dev.toban.incident.lifecycle;

import dev.toban.contracts.incident.Severity;
import dev.toban.incident.config.IncidentConfig;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;

/** How often the IC must post a status update for each severity. */
@ApplicationScoped
public class CadencePolicy {

    private final IncidentConfig.Cadence config;

    public CadencePolicy(IncidentConfig config) {
        this.config = config.cadence();
    }

    /** The cadence; zero means no reminders for this severity. */
    public Duration of(Severity severity) {
        return switch (severity) {
            case SEV1 -> config.sev1();
            case SEV2 -> config.sev2();
            case SEV3 -> config.sev3();
            case SEV4 -> config.sev4();
        };
    }

    /** When an update is due if the last one (or the opening) was at {@code base}; null when off. */
    public Instant firstDue(Severity severity, Instant base) {
        Duration cadence = of(severity);
        return cadence.isZero() || cadence.isNegative() ? null : base.plus(cadence);
    }
}

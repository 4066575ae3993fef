package dev.toban.incident.ingestion;

import dev.toban.contracts.incident.Severity;
import dev.toban.incident.config.IncidentConfig;
import jakarta.enterprise.context.ApplicationScoped;

/** Alert severities (PagerDuty's, or an Alertmanager {@code severity} label) to SEV1–SEV4, as configured. */
@ApplicationScoped
public class SeverityMapper {

    private final IncidentConfig.SeverityMapping config;

    public SeverityMapper(IncidentConfig config) {
        this.config = config.severity();
    }

    public Severity of(String alertSeverity) {
        if (alertSeverity == null) {
            return config.unknown();
        }
        return switch (alertSeverity.strip().toLowerCase()) {
            case "critical" -> config.critical();
            case "error" -> config.error();
            case "warning" -> config.warning();
            case "info" -> config.info();
            default -> config.unknown();
        };
    }
}

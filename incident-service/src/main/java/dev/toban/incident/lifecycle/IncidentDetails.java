package dev.toban.incident.lifecycle;

import com.fasterxml.jackson.annotation.JsonUnwrapped;
import dev.toban.contracts.incident.IncidentSnapshot;
import java.util.List;

/** {@code GET /api/incidents/{id}}: the IncidentSnapshot plus its alerts (docs/architecture.md, Contracts). */
public record IncidentDetails(@JsonUnwrapped IncidentSnapshot incident, List<AlertView> alerts) {
}

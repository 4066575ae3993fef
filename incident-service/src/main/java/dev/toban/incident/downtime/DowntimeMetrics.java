package dev.toban.incident.downtime;

import dev.toban.contracts.TeamRef;
import dev.toban.incident.directory.TeamDirectoryService;
import dev.toban.incident.model.Incident;
import dev.toban.incident.model.TechnicalService;
import dev.toban.incident.model.TechnicalServiceRepository;
import dev.toban.plumbing.jobs.AfterCommit;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

/**
 * Prometheus histograms of the downtime breakdown (the definitions of {@link DowntimeService}) ({@code toban_incident_time_to_detect_seconds} and
 * so on, tagged with the owning team and the service). Recorded when the transaction that set the
 * figure commits, so a rolled-back change is never counted.
 */
@ApplicationScoped
public class DowntimeMetrics {

    public enum Figure {
        DETECT("toban.incident.time.to.detect", "First signal (problem start) to incident opened"),
        ASSIGN("toban.incident.time.to.assign", "Incident opened to the IC's acknowledgement"),
        MITIGATE("toban.incident.time.to.mitigate", "Acknowledgement to mitigation"),
        RESOLVE("toban.incident.time.to.resolve", "Incident opened to resolution");

        final String meter;
        final String description;

        Figure(String meter, String description) {
            this.meter = meter;
            this.description = description;
        }
    }

    private final MeterRegistry registry;
    private final AfterCommit afterCommit;
    private final TechnicalServiceRepository services;
    private final TeamDirectoryService teams;

    public DowntimeMetrics(MeterRegistry registry, AfterCommit afterCommit,
                           TechnicalServiceRepository services, TeamDirectoryService teams) {
        this.registry = registry;
        this.afterCommit = afterCommit;
        this.services = services;
        this.teams = teams;
    }

    /** Records {@code from → to} for the incident once the current transaction commits. */
    public void recordAfterCommit(Figure figure, Incident incident, Instant from, Instant to) {
        recordAfterCommit(figure, incident.serviceId, incident.owningTeamId, from, to);
    }

    /** As above, for an incident known by its service and owning team (one just inserted, not loaded). */
    public void recordAfterCommit(Figure figure, UUID serviceId, UUID owningTeamId, Instant from, Instant to) {
        if (from == null || to == null) {
            return;
        }
        Duration value = Duration.between(from, to);
        if (value.isNegative()) {
            value = Duration.ZERO;
        }
        TechnicalService service = services.findById(serviceId);
        TeamRef team = teams.ref(owningTeamId);
        String serviceTag = service == null ? "unknown" : service.name;
        String teamTag = team == null || team.name() == null ? "unknown" : team.name();
        Duration recorded = value;
        afterCommit.run(() -> timer(figure, teamTag, serviceTag).record(recorded));
    }

    private Timer timer(Figure figure, String team, String service) {
        return Timer.builder(figure.meter)
                .description(figure.description)
                .tag("team", team)
                .tag("service", service)
                .publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofSeconds(1))
                .maximumExpectedValue(Duration.ofDays(7))
                .register(registry);
    }
}

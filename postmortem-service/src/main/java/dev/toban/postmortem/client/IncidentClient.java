package dev.toban.postmortem.client;

import com.fasterxml.jackson.databind.JsonNode;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import java.util.UUID;
import org.eclipse.microprofile.faulttolerance.CircuitBreaker;
import org.eclipse.microprofile.faulttolerance.Fallback;
import org.eclipse.microprofile.faulttolerance.Retry;
import org.eclipse.microprofile.faulttolerance.Timeout;
import org.eclipse.microprofile.rest.client.inject.RestClient;
import org.jboss.logging.Logger;

/**
 * Calls to incident-service with a timeout, retries and a circuit breaker. Fallback
 * (docs/architecture.md): empty; the document keeps the times of the snapshot from the event and
 * the timeline job tries again later.
 */
@ApplicationScoped
public class IncidentClient {

    private static final Logger LOG = Logger.getLogger(IncidentClient.class);

    /** The incident and its timeline, fetched together. */
    public record IncidentWithTimeline(JsonNode incident, JsonNode timeline) {
    }

    private final IncidentApi api;

    public IncidentClient(@RestClient IncidentApi api) {
        this.api = api;
    }

    @Timeout(value = 5, unit = ChronoUnit.SECONDS)
    @Retry(maxRetries = 1, delay = 300, abortOn = RemoteNotFoundException.class)
    @CircuitBreaker(requestVolumeThreshold = 4, failureRatio = 0.5, delay = 30, delayUnit = ChronoUnit.SECONDS,
            skipOn = RemoteNotFoundException.class)
    @Fallback(fallbackMethod = "unavailable", skipOn = RemoteNotFoundException.class)
    public Optional<IncidentWithTimeline> incidentWithTimeline(UUID incidentId) {
        JsonNode incident = api.incident(incidentId);
        JsonNode timeline = api.timeline(incidentId);
        if (timeline == null || !timeline.isArray()) {
            throw new IllegalStateException("incident-service answered a timeline that is not a JSON array");
        }
        return Optional.of(new IncidentWithTimeline(incident, timeline));
    }

    Optional<IncidentWithTimeline> unavailable(UUID incidentId, Throwable cause) {
        LOG.debugf("incident-service cannot give incident %s and its timeline: %s", incidentId, cause.toString());
        return Optional.empty();
    }
}

package dev.toban.oncall.client;

import dev.toban.oncall.client.MaintenanceWindowsApi.Window;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.eclipse.microprofile.faulttolerance.CircuitBreaker;
import org.eclipse.microprofile.faulttolerance.Fallback;
import org.eclipse.microprofile.faulttolerance.Timeout;
import org.eclipse.microprofile.rest.client.inject.RestClient;
import org.jboss.logging.Logger;

/**
 * Current and upcoming maintenance windows for the board, from incident-service with a timeout and a circuit
 * breaker. Fallback: empty, meaning "cannot tell" (the board says so); never blocks the board for long.
 */
@ApplicationScoped
public class MaintenanceWindows {

    private static final Logger LOG = Logger.getLogger(MaintenanceWindows.class);
    /** How far ahead the board shows upcoming windows. */
    static final Duration AHEAD = Duration.ofDays(7);

    private final MaintenanceWindowsApi api;

    public MaintenanceWindows(@RestClient MaintenanceWindowsApi api) {
        this.api = api;
    }

    /** Running windows and those starting within a week; empty when incident-service cannot answer. */
    @Timeout(value = 2, unit = ChronoUnit.SECONDS)
    @CircuitBreaker(requestVolumeThreshold = 4, failureRatio = 0.5, delay = 10, delayUnit = ChronoUnit.SECONDS)
    @Fallback(fallbackMethod = "unknown")
    public Optional<List<Window>> currentAndUpcoming() {
        List<Window> answer = api.current();
        if (answer == null) {
            throw new IllegalStateException("incident-service answered no window list");
        }
        Instant horizon = Instant.now().plus(AHEAD);
        return Optional.of(answer.stream().filter(Objects::nonNull)
                .filter(w -> w.active() || w.nextStart() != null && w.nextStart().isBefore(horizon)).toList());
    }

    Optional<List<Window>> unknown(Throwable cause) {
        LOG.debugf("incident-service cannot list maintenance windows: %s", cause.toString());
        return Optional.empty();
    }
}

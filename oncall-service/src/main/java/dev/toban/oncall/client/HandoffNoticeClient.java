package dev.toban.oncall.client;

import dev.toban.oncall.client.HandoffNoticeApi.Rendered;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import org.eclipse.microprofile.faulttolerance.CircuitBreaker;
import org.eclipse.microprofile.faulttolerance.Fallback;
import org.eclipse.microprofile.faulttolerance.Retry;
import org.eclipse.microprofile.faulttolerance.Timeout;
import org.eclipse.microprofile.rest.client.inject.RestClient;
import org.jboss.logging.Logger;

/**
 * Calls to notify-service with a timeout, a retry and a circuit breaker. Fallback (docs/architecture.md):
 * empty, and the on-call board says the notice is not available right now. Callers cache the answer
 * ({@link HandoffNotices}); never call it inside a database transaction.
 */
@ApplicationScoped
public class HandoffNoticeClient {

    private static final Logger LOG = Logger.getLogger(HandoffNoticeClient.class);

    private final HandoffNoticeApi api;

    public HandoffNoticeClient(@RestClient HandoffNoticeApi api) {
        this.api = api;
    }

    /** The notice rendered in {@code locale}; empty when notify-service cannot answer or answers nothing usable. */
    @Timeout(value = 2, unit = ChronoUnit.SECONDS)
    @Retry(maxRetries = 1, delay = 200)
    @CircuitBreaker(requestVolumeThreshold = 4, failureRatio = 0.5, delay = 30, delayUnit = ChronoUnit.SECONDS)
    @Fallback(fallbackMethod = "unavailable")
    public Optional<Rendered> handoffNotice(String locale) {
        Rendered rendered = api.handoffNotice(locale);
        if (rendered == null || rendered.text() == null || rendered.text().isBlank()) {
            throw new IllegalStateException("notify-service answered no handoff notice text");
        }
        return Optional.of(rendered);
    }

    Optional<Rendered> unavailable(String locale, Throwable cause) {
        LOG.warnf("notify-service cannot render the handoff notice (%s): %s", locale, cause.toString());
        return Optional.empty();
    }
}

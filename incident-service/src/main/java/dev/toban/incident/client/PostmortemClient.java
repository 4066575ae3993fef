package dev.toban.incident.client;

import com.fasterxml.jackson.databind.JsonNode;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.ProcessingException;
import java.net.ConnectException;
import java.util.UUID;
import org.eclipse.microprofile.faulttolerance.CircuitBreaker;
import org.eclipse.microprofile.faulttolerance.Fallback;
import org.eclipse.microprofile.faulttolerance.Retry;
import org.eclipse.microprofile.faulttolerance.Timeout;
import org.eclipse.microprofile.rest.client.inject.RestClient;
import org.jboss.logging.Logger;

/**
 * Calls to postmortem-service: the postmortem decision taken from Slack. Each attempt times out after 5 s (it
 * schedules the meeting and sends invitations); only a connection that could not be opened is retried (nothing was
 * sent: a decision is never sent twice); a circuit breaker stops calling a service that is down. Fallback
 * (docs/architecture.md): none that decides; {@link PostmortemUnavailableException}, and the person is told to
 * decide on the postmortem page. Never call this inside a database transaction.
 */
@ApplicationScoped
public class PostmortemClient {

    private static final Logger LOG = Logger.getLogger(PostmortemClient.class);

    /** The connection could not be opened: nothing was sent, so trying again is safe. */
    static final class NotConnectedException extends RuntimeException {
        NotConnectedException(Throwable cause) {
            super(cause);
        }
    }

    private final PostmortemApi api;

    public PostmortemClient(@RestClient PostmortemApi api) {
        this.api = api;
    }

    /**
     * Records the decision as {@code body.onBehalfOf()}; answers the postmortem snapshot.
     *
     * @throws PostmortemRejectedException   postmortem-service refused it (403 not the IC, 409 already decided...)
     * @throws PostmortemUnavailableException postmortem-service could not answer
     */
    @Timeout(5000)
    @Retry(maxRetries = 2, delay = 200, jitter = 100, retryOn = NotConnectedException.class)
    @CircuitBreaker(requestVolumeThreshold = 4, failureRatio = 0.5, delay = 10_000, successThreshold = 1,
            skipOn = PostmortemRejectedException.class)
    @Fallback(fallbackMethod = "unavailable", skipOn = PostmortemRejectedException.class)
    public JsonNode decide(UUID postmortemId, PostmortemDecision body) {
        try {
            return api.decide(postmortemId, body);
        } catch (ProcessingException e) {
            if (e.getCause() instanceof ConnectException) {
                throw new NotConnectedException(e);
            }
            throw e;
        }
    }

    JsonNode unavailable(UUID postmortemId, PostmortemDecision body, Throwable cause) {
        LOG.infof("postmortem-service cannot record the decision on postmortem %s: %s", postmortemId, cause.toString());
        throw new PostmortemUnavailableException("postmortem-service cannot record the decision right now", cause);
    }
}

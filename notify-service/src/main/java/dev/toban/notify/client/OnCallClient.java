package dev.toban.notify.client;

import io.quarkus.oidc.client.filter.OidcClientFilter;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.faulttolerance.CircuitBreaker;
import org.eclipse.microprofile.faulttolerance.Fallback;
import org.eclipse.microprofile.faulttolerance.Retry;
import org.eclipse.microprofile.faulttolerance.Timeout;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

/**
 * oncall-service, with the client-credentials token of {@code toban-service}. When it cannot answer
 * (down, slow, circuit open, unknown person) the answer is null and the caller pages with the
 * PersonRef carried in the event: a Slack DM now, then email (docs/architecture.md).
 */
@Path("/api")
@RegisterRestClient(configKey = "oncall")
@OidcClientFilter
@Produces(MediaType.APPLICATION_JSON)
public interface OnCallClient {

    @GET
    @Path("/people/{id}")
    @Timeout(value = 2, unit = ChronoUnit.SECONDS)
    @Retry(maxRetries = 1, delay = 200, delayUnit = ChronoUnit.MILLIS)
    @CircuitBreaker(requestVolumeThreshold = 4, failureRatio = 0.75, delay = 30, delayUnit = ChronoUnit.SECONDS)
    @Fallback(fallbackMethod = "personUnavailable")
    PersonDetails person(@PathParam("id") UUID id);

    /** Fallback: no details; the page uses the event's PersonRef. */
    default PersonDetails personUnavailable(UUID id) {
        return null;
    }

    /**
     * Everyone (not archived), for the Slack sandbox: which person a signed-in user is (by username) and
     * the names behind Slack user ids.
     */
    @GET
    @Path("/people")
    @Timeout(value = 3, unit = ChronoUnit.SECONDS)
    @Retry(maxRetries = 1, delay = 200, delayUnit = ChronoUnit.MILLIS)
    @CircuitBreaker(requestVolumeThreshold = 4, failureRatio = 0.75, delay = 30, delayUnit = ChronoUnit.SECONDS)
    @Fallback(fallbackMethod = "peopleUnavailable")
    List<PersonDetails> people();

    /** Fallback: null, "cannot say now" (the sandbox uses the people it has seen, or refuses the action). */
    default List<PersonDetails> peopleUnavailable() {
        return null;
    }

    /** Who is on call now, for the Slack sandbox's welcome ({@code [{ schedule, team, onCall: [...] }]}). */
    @GET
    @Path("/oncall/now")
    @Timeout(value = 3, unit = ChronoUnit.SECONDS)
    @Retry(maxRetries = 1, delay = 200, delayUnit = ChronoUnit.MILLIS)
    @CircuitBreaker(requestVolumeThreshold = 4, failureRatio = 0.75, delay = 30, delayUnit = ChronoUnit.SECONDS)
    @Fallback(fallbackMethod = "nowUnavailable")
    com.fasterxml.jackson.databind.JsonNode now();

    /** Fallback: null; the sandbox asks again later. */
    default com.fasterxml.jackson.databind.JsonNode nowUnavailable() {
        return null;
    }
}

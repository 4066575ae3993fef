package dev.toban.incident.client;

import io.quarkus.oidc.client.filter.OidcClientFilter;
import io.quarkus.rest.client.reactive.ClientExceptionMapper;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;
import org.eclipse.microprofile.faulttolerance.CircuitBreaker;
import org.eclipse.microprofile.faulttolerance.Fallback;
import org.eclipse.microprofile.faulttolerance.Retry;
import org.eclipse.microprofile.faulttolerance.Timeout;
import org.eclipse.microprofile.faulttolerance.exceptions.CircuitBreakerOpenException;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

/**
 * oncall-service, with the client-credentials token of {@code toban-service}. Each attempt times out
 * after 2 s; failures are retried twice; a circuit breaker stops hammering a service that is down; the
 * fallback is the last answer cached for that policy and level (docs/architecture.md).
 */
@RegisterRestClient(configKey = "oncall-service")
@OidcClientFilter
@Path("/api")
@Produces(MediaType.APPLICATION_JSON)
public interface OnCallClient {

    /** Whom to page at {@code level} (from 1) of the policy at {@code at}. */
    @GET
    @Path("/escalation-policies/{id}/targets")
    @Timeout(2000)
    @Retry(maxRetries = 2, delay = 200, jitter = 100,
            abortOn = {OnCallRejectedException.class, CircuitBreakerOpenException.class})
    @CircuitBreaker(requestVolumeThreshold = 4, failureRatio = 0.5, delay = 10_000, successThreshold = 1,
            skipOn = OnCallRejectedException.class)
    @Fallback(value = CachedTargetsFallback.class, skipOn = OnCallRejectedException.class)
    PolicyTargets targets(@PathParam("id") UUID policyId, @QueryParam("level") int level, @QueryParam("at") Instant at);

    /** 4xx is a definite answer (unknown policy, level out of range); anything else is an outage. */
    @ClientExceptionMapper
    static RuntimeException toException(Response response) {
        int status = response.getStatus();
        if (status >= 400 && status < 500 && status != 401 && status != 403 && status != 408 && status != 429) {
            return new OnCallRejectedException(status, "oncall-service answered " + status);
        }
        return new OnCallUnavailableException("oncall-service answered " + status);
    }

    /** {@code at} in whole seconds, as the contract's example shows. */
    static Instant now() {
        return Instant.now().truncatedTo(ChronoUnit.SECONDS);
    }
}

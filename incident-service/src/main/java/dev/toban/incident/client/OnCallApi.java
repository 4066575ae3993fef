package dev.toban.incident.client;

import dev.toban.plumbing.client.ServiceClientOptions;
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
import java.util.UUID;
import org.eclipse.microprofile.rest.client.annotation.RegisterProvider;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

/**
 * oncall-service's API (docs/architecture.md, Contracts), called with the client-credentials token of
 * {@code toban-service}. Timeouts, retries, circuit breakers and fallbacks are on {@link OnCallClient}.
 */
@RegisterRestClient(configKey = "oncall-service")
@RegisterProvider(ServiceClientOptions.class)
@OidcClientFilter
@Path("/api")
@Produces(MediaType.APPLICATION_JSON)
public interface OnCallApi {

    /** Whom to page at {@code level} (from 1) of the policy at {@code at}. */
    @GET
    @Path("/escalation-policies/{id}/targets")
    PolicyTargets targets(@PathParam("id") UUID policyId, @QueryParam("level") int level, @QueryParam("at") Instant at);

    /** A team: {@code { id, name, ..., archivedAt }} ({@code archivedAt} null while active). */
    @GET
    @Path("/teams/{id}")
    OnCallReference team(@PathParam("id") UUID id);

    /** The active escalation policies by name: {@code [{ id, name, ..., archivedAt }]}. */
    @GET
    @Path("/escalation-policies")
    java.util.List<OnCallReference> policies();

    /** An escalation policy: {@code { id, name, ..., archivedAt }}. */
    @GET
    @Path("/escalation-policies/{id}")
    OnCallReference policy(@PathParam("id") UUID id);

    /** Who is on call now in every schedule (the Slack app's {@code /toban oncall}). */
    @GET
    @Path("/oncall/now")
    java.util.List<OnCallNow> now();

    /** 4xx is a definite answer (unknown policy or team, level out of range); anything else is an outage. */
    @ClientExceptionMapper
    static RuntimeException toException(Response response) {
        int status = response.getStatus();
        if (status >= 400 && status < 500 && status != 401 && status != 403 && status != 408 && status != 429) {
            return new OnCallRejectedException(status, "oncall-service answered " + status);
        }
        return new OnCallUnavailableException("oncall-service answered " + status);
    }
}

package dev.toban.incident.client;

import com.fasterxml.jackson.databind.JsonNode;
import dev.toban.plumbing.client.ServiceClientOptions;
import io.quarkus.oidc.client.filter.OidcClientFilter;
import io.quarkus.rest.client.reactive.ClientExceptionMapper;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.UUID;
import org.eclipse.microprofile.rest.client.annotation.RegisterProvider;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

/**
 * postmortem-service's API, called with the client-credentials token of {@code toban-service} for a person acting
 * from Slack (docs/architecture.md, Contracts: {@code onBehalfOf}). Timeouts, retries, circuit breaker and fallback
 * are on {@link PostmortemClient}.
 */
@RegisterRestClient(configKey = "postmortem-service")
@RegisterProvider(ServiceClientOptions.class)
@OidcClientFilter
@Path("/api/postmortems")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public interface PostmortemApi {

    /** The IC's decision, hold or skip: answers the PostmortemSnapshot. */
    @POST
    @Path("/{id}/decision")
    JsonNode decide(@PathParam("id") UUID postmortemId, PostmortemDecision body);

    /** 4xx but 401/408/429 is postmortem-service's answer (a rule, a conflict); anything else an outage. */
    @ClientExceptionMapper
    static RuntimeException toException(Response response) {
        int status = response.getStatus();
        if (status >= 400 && status < 500 && status != 401 && status != 408 && status != 429) {
            String detail = null;
            try {
                JsonNode problem = response.readEntity(JsonNode.class);
                detail = problem == null ? null : problem.path("detail").asText(null);
            } catch (RuntimeException e) {
                // not a problem body: the status says enough
            }
            return new PostmortemRejectedException(status, detail == null ? "postmortem-service answered " + status
                    : detail);
        }
        return new PostmortemUnavailableException("postmortem-service answered " + status, null);
    }
}

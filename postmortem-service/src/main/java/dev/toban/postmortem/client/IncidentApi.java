package dev.toban.postmortem.client;

import com.fasterxml.jackson.databind.JsonNode;
import dev.toban.plumbing.client.ServiceClientOptions;
import io.quarkus.oidc.client.filter.OidcClientFilter;
import io.quarkus.rest.client.reactive.ClientExceptionMapper;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.UUID;
import org.eclipse.microprofile.rest.client.annotation.RegisterProvider;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

/** incident-service's API (docs/architecture.md, contracts), called with the {@code toban-service} token. */
@RegisterRestClient(configKey = "incident")
@RegisterProvider(ServiceClientOptions.class)
@OidcClientFilter
@Path("/api/incidents")
@Produces(MediaType.APPLICATION_JSON)
public interface IncidentApi {

    /** The IncidentSnapshot plus {@code alerts}. */
    @GET
    @Path("/{id}")
    JsonNode incident(@PathParam("id") UUID id);

    /** {@code [{id, at, kind, actor, message, data}]}, oldest first. */
    @GET
    @Path("/{id}/timeline")
    JsonNode timeline(@PathParam("id") UUID id);

    @ClientExceptionMapper
    static RuntimeException notFound(Response response) {
        return response.getStatus() == 404 ? new RemoteNotFoundException("incident-service: 404") : null;
    }
}

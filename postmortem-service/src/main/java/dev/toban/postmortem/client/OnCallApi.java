package dev.toban.postmortem.client;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import dev.toban.contracts.PersonRef;
import dev.toban.plumbing.client.ServiceClientOptions;
import io.quarkus.oidc.client.filter.OidcClientFilter;
import io.quarkus.rest.client.reactive.ClientExceptionMapper;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.rest.client.annotation.RegisterProvider;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

/** oncall-service's API (docs/architecture.md, contracts), called with the {@code toban-service} token. */
@RegisterRestClient(configKey = "oncall")
@RegisterProvider(ServiceClientOptions.class)
@OidcClientFilter
@Path("/api")
@Produces(MediaType.APPLICATION_JSON)
public interface OnCallApi {

    @JsonIgnoreProperties(ignoreUnknown = true)
    record Team(UUID id, String name, String slackChannel, String timeZone, List<PersonRef> members, Long version) {
    }

    @GET
    @Path("/teams/{id}")
    Team team(@PathParam("id") UUID id);

    @GET
    @Path("/people/{id}")
    PersonRef person(@PathParam("id") UUID id);

    @ClientExceptionMapper
    static RuntimeException notFound(Response response) {
        return response.getStatus() == 404 ? new RemoteNotFoundException("oncall-service: 404") : null;
    }
}

package dev.toban.notify.client;

import com.fasterxml.jackson.databind.JsonNode;
import dev.toban.plumbing.client.ServiceClientOptions;
import io.quarkus.oidc.client.filter.OidcClientFilter;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.rest.client.annotation.RegisterProvider;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

/**
 * oncall-service's API as notify-service uses it, with the client-credentials token of {@code toban-service}.
 * Timeouts, retries, circuit breakers and fallbacks are on {@link OnCallClient}; call that, not this.
 */
@Path("/api")
@RegisterRestClient(configKey = "oncall")
@RegisterProvider(ServiceClientOptions.class)
@OidcClientFilter
@Produces(MediaType.APPLICATION_JSON)
public interface OnCallApi {

    @GET
    @Path("/people/{id}")
    PersonDetails person(@PathParam("id") UUID id);

    /** Everyone (not archived). */
    @GET
    @Path("/people")
    List<PersonDetails> people();

    /** Who is on call now ({@code [{ schedule, team, onCall: [...] }]}). */
    @GET
    @Path("/oncall/now")
    JsonNode now();
}

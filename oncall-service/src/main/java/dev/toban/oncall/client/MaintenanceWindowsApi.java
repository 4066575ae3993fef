package dev.toban.oncall.client;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import dev.toban.plumbing.client.ServiceClientOptions;
import io.quarkus.oidc.client.filter.OidcClientFilter;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.rest.client.annotation.RegisterProvider;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

/**
 * incident-service's maintenance windows (issue 19; docs/operations.md), called with the {@code toban-service}
 * token: the current and upcoming ones, for the board.
 */
@RegisterRestClient(configKey = "incident")
@RegisterProvider(ServiceClientOptions.class)
@OidcClientFilter
@Path("/api/maintenance-windows")
@Produces(MediaType.APPLICATION_JSON)
public interface MaintenanceWindowsApi {

    /** The parts of incident-service's WindowView the board shows. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    record Window(UUID id, String reason, String timeZone, String recurrence, List<Service> services, boolean active,
                  Instant activeUntil, Instant nextStart, Instant nextEnd) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    record Service(UUID id, String name) {
    }

    /** Windows not cancelled and not over, running ones first. */
    @GET
    List<Window> current();
}

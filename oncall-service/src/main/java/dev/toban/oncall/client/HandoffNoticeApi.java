package dev.toban.oncall.client;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import dev.toban.plumbing.client.ServiceClientOptions;
import io.quarkus.oidc.client.filter.OidcClientFilter;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.rest.client.annotation.RegisterProvider;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

/**
 * notify-service's handoff notice (運用当番のお知らせ) as it currently renders it (docs/architecture.md,
 * contracts), called with the {@code toban-service} token: what the on-call is asked to do.
 */
@RegisterRestClient(configKey = "notify")
@RegisterProvider(ServiceClientOptions.class)
@OidcClientFilter
@Path("/api/templates")
@Produces(MediaType.APPLICATION_JSON)
public interface HandoffNoticeApi {

    @JsonIgnoreProperties(ignoreUnknown = true)
    record Rendered(String subject, String text) {
    }

    /** {@code locale}: ja or en. */
    @GET
    @Path("/handoff.notice/rendered")
    Rendered handoffNotice(@QueryParam("locale") String locale);
}

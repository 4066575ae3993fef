package dev.toban.oncall.client;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import dev.toban.plumbing.client.ServiceClientOptions;
import io.quarkus.oidc.client.filter.OidcClientFilter;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.rest.client.annotation.RegisterProvider;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

/**
 * incident-service's service catalog (docs/architecture.md, contracts), called with the
 * {@code toban-service} token: which technical services still use a team or an escalation policy.
 */
@RegisterRestClient(configKey = "incident")
@RegisterProvider(ServiceClientOptions.class)
@OidcClientFilter
@Path("/api/services")
@Produces(MediaType.APPLICATION_JSON)
public interface ServiceCatalogApi {

    /** The parts of incident-service's ServiceView this service reads; the contract promises id and name. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    record Service(UUID id, String name, Team owningTeam, UUID escalationPolicyId) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    record Team(UUID id) {
    }

    /** Non-archived services owned by the team. */
    @GET
    List<Service> ownedBy(@QueryParam("owningTeamId") UUID teamId);

    /** Non-archived services that page through the policy. */
    @GET
    List<Service> escalatingWith(@QueryParam("escalationPolicyId") UUID policyId);
}

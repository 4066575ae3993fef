package dev.toban.notify.rest;

import dev.toban.notify.dispatch.DeliveryService.DeliveryView;
import dev.toban.notify.webhook.WebhookService;
import dev.toban.notify.webhook.WebhookService.WebhookCreated;
import dev.toban.notify.webhook.WebhookService.WebhookRequest;
import dev.toban.notify.webhook.WebhookService.WebhookView;
import dev.toban.plumbing.security.Roles;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

@Path("/api/webhooks")
@Tag(name = "Webhooks", description = "Outgoing webhooks, signed with HMAC-SHA256")
@Produces(MediaType.APPLICATION_JSON)
public class WebhookResource {

    private final WebhookService webhooks;

    public WebhookResource(WebhookService webhooks) {
        this.webhooks = webhooks;
    }

    @GET
    @RolesAllowed(Roles.ADMIN)
    @Operation(summary = "List webhooks")
    public List<WebhookView> list() {
        return webhooks.list();
    }

    @GET
    @Path("/{id}")
    @RolesAllowed(Roles.ADMIN)
    @Operation(summary = "Get a webhook")
    public WebhookView get(@PathParam("id") UUID id) {
        return webhooks.get(id);
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed(Roles.ADMIN)
    @Operation(summary = "Create a webhook", description = "Without a secret one is generated; the answer is the only place it is shown.")
    public Response create(@NotNull @Valid WebhookRequest body) {
        WebhookCreated created = webhooks.create(body);
        return Response.created(URI.create("/api/webhooks/" + created.webhook().id())).entity(created).build();
    }

    @PUT
    @Path("/{id}")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed(Roles.ADMIN)
    @Operation(summary = "Update a webhook", description = "Omit the secret to keep the current one.")
    public WebhookView update(@PathParam("id") UUID id, @NotNull @Valid WebhookRequest body) {
        return webhooks.update(id, body);
    }

    @DELETE
    @Path("/{id}")
    @RolesAllowed(Roles.ADMIN)
    @Operation(summary = "Delete a webhook", description = "Its pending deliveries fail as dead.")
    public Response delete(@PathParam("id") UUID id) {
        webhooks.delete(id);
        return Response.noContent().build();
    }

    @POST
    @Path("/{id}/test")
    @RolesAllowed(Roles.ADMIN)
    @Operation(summary = "Send a signed test call", description = "Queues a toban.notify.webhook.test delivery; follow it in the delivery log. "
            + "409 \"Refused by egress policy\" when the URL's host is or resolves to an address Toban may not call.")
    public DeliveryView test(@PathParam("id") UUID id) {
        return webhooks.test(id);
    }
}

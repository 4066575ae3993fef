package dev.toban.postmortem.rest;

import dev.toban.plumbing.security.Roles;
import dev.toban.postmortem.actionitem.BacklogWebhookService;
import dev.toban.postmortem.actionitem.BacklogWebhookService.WebhookRequest;
import dev.toban.postmortem.actionitem.BacklogWebhookService.WebhookView;
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

/** Per-team outgoing webhooks that create GitHub or Jira issues from action items. */
@Path("/api/backlog-webhooks")
@Tag(name = "Backlog webhooks")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class BacklogWebhookResource {

    private final BacklogWebhookService webhooks;

    public BacklogWebhookResource(BacklogWebhookService webhooks) {
        this.webhooks = webhooks;
    }

    @GET
    @RolesAllowed(Roles.RESPONDER)
    @Operation(summary = "List backlog webhooks", description = "Secrets are never returned, only hasSecret.")
    public List<WebhookView> list() {
        return webhooks.list();
    }

    @GET
    @Path("/{id}")
    @RolesAllowed(Roles.RESPONDER)
    @Operation(summary = "Get a backlog webhook")
    public WebhookView get(@PathParam("id") UUID id) {
        return webhooks.get(id);
    }

    @POST
    @RolesAllowed(Roles.ADMIN)
    @Operation(summary = "Add a team's backlog webhook", description = "One per team; kind github or jira.")
    public Response create(@NotNull @Valid WebhookRequest body) {
        WebhookView created = webhooks.create(body);
        return Response.created(URI.create("/api/backlog-webhooks/" + created.id())).entity(created).build();
    }

    @PUT
    @Path("/{id}")
    @RolesAllowed(Roles.ADMIN)
    @Operation(summary = "Replace a backlog webhook", description = "A null secret keeps the stored one; an empty one removes it.")
    public WebhookView update(@PathParam("id") UUID id, @NotNull @Valid WebhookRequest body) {
        return webhooks.update(id, body);
    }

    @DELETE
    @Path("/{id}")
    @RolesAllowed(Roles.ADMIN)
    @Operation(summary = "Delete a backlog webhook")
    public Response delete(@PathParam("id") UUID id) {
        webhooks.delete(id);
        return Response.noContent().build();
    }
}

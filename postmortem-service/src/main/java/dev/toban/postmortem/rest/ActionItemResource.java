package dev.toban.postmortem.rest;

import dev.toban.plumbing.security.Roles;
import dev.toban.postmortem.access.Requester;
import dev.toban.postmortem.actionitem.ActionItemService;
import dev.toban.postmortem.actionitem.ActionItemService.ActionItemPatch;
import dev.toban.postmortem.lifecycle.Views;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** One action item: read, edit, export to the team's backlog. Created under its postmortem. */
@Path("/api/action-items")
@Tag(name = "Action items")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class ActionItemResource {

    private final ActionItemService items;
    private final SecurityIdentity identity;

    public ActionItemResource(ActionItemService items, SecurityIdentity identity) {
        this.items = items;
        this.identity = identity;
    }

    @GET
    @Path("/{id}")
    @RolesAllowed(Roles.VIEWER)
    @Operation(summary = "Get an action item")
    public Views.ActionItemView get(@PathParam("id") UUID id) {
        return items.get(id, Requester.of(identity));
    }

    @PATCH
    @Path("/{id}")
    @RolesAllowed(Roles.RESPONDER)
    @Operation(summary = "Edit an action item", description = "Present fields change; `version` must be current (else 409). "
            + "Publishes toban.postmortem.action_item.updated.")
    public Views.ActionItemView update(@PathParam("id") UUID id, @NotNull @Valid ActionItemPatch body) {
        return items.update(id, body, Requester.of(identity));
    }

    @POST
    @Path("/{id}/export")
    @RolesAllowed(Roles.RESPONDER)
    @Operation(summary = "Export to the team's backlog",
            description = "Creates a GitHub or Jira issue through the team's backlog webhook, once. "
                    + "Publishes toban.postmortem.action_item.exported; 502 if the tracker refuses.")
    public Views.ActionItemView export(@PathParam("id") UUID id) {
        return items.export(id, Requester.of(identity));
    }
}

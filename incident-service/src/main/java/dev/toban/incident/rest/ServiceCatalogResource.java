package dev.toban.incident.rest;

import dev.toban.incident.catalog.CatalogService.ChangeView;
import dev.toban.incident.catalog.CatalogService.KeyRequest;
import dev.toban.incident.catalog.CatalogService.KeyView;
import dev.toban.incident.catalog.CatalogService.NewKey;
import dev.toban.incident.catalog.CatalogService.ServiceRequest;
import dev.toban.incident.catalog.CatalogService.ServiceView;
import dev.toban.incident.catalog.CatalogService;
import dev.toban.incident.grouping.AlertGrouping;
import dev.toban.incident.grouping.GroupingService;
import dev.toban.incident.ingestion.HeartbeatService;
import dev.toban.incident.maintenance.MaintenanceService;
import dev.toban.plumbing.problem.ProblemException;
import dev.toban.plumbing.security.Roles;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** The service catalog: "which team owns this?" answered for every technical service. */
@Path("/api/services")
@Tag(name = "Service catalog")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class ServiceCatalogResource {

    private final CatalogService catalog;
    private final GroupingService grouping;
    private final MaintenanceService maintenance;
    private final HeartbeatService heartbeats;

    public ServiceCatalogResource(CatalogService catalog, GroupingService grouping, MaintenanceService maintenance,
                                  HeartbeatService heartbeats) {
        this.heartbeats = heartbeats;
        this.catalog = catalog;
        this.grouping = grouping;
        this.maintenance = maintenance;
    }

    @GET
    @Path("/{id}/heartbeats")
    @RolesAllowed({Roles.VIEWER, Roles.SERVICE})
    @Operation(summary = "The service's heartbeat monitors", description = "With the last beat and status: up, late "
            + "(a miss's incident is open) or waiting (no beat yet). Never the token.")
    public List<HeartbeatService.MonitorView> heartbeats(@PathParam("id") UUID id) {
        return heartbeats.list(id);
    }

    @POST
    @Path("/{id}/heartbeats")
    @RolesAllowed(Roles.ADMIN)
    @Operation(summary = "Add a heartbeat monitor", description = "name, intervalMinutes (1-10080), graceMinutes "
            + "(0-1440, default 0). The answer is the only time the token and its URL (POST /heartbeat/{token}) are "
            + "shown; Toban keeps its SHA-256. A beat missing for interval + grace opens an incident, the next resolves it.")
    public Response addHeartbeat(@PathParam("id") UUID id, HeartbeatService.MonitorRequest body) {
        HeartbeatService.NewMonitor created = heartbeats.create(id, body);
        return Response.created(URI.create("/api/services/" + id + "/heartbeats/" + created.id())).entity(created).build();
    }

    @DELETE
    @Path("/{id}/heartbeats/{monitorId}")
    @RolesAllowed(Roles.ADMIN)
    @Operation(summary = "Delete a heartbeat monitor", description = "Its token stops working; an open incident stays.")
    public Response deleteHeartbeat(@PathParam("id") UUID id, @PathParam("monitorId") UUID monitorId) {
        heartbeats.delete(id, monitorId);
        return Response.noContent().build();
    }

    /** What a maintenance window does to the service's alerts. */
    public record MaintenanceMode(String mode) {
    }

    @GET
    @Path("/{id}/maintenance-mode")
    @RolesAllowed({Roles.VIEWER, Roles.SERVICE})
    @Operation(summary = "What a maintenance window does to the service's alerts",
            description = "suppress (recorded, no incident, no page; default) or low_urgency (an incident at SEV4 "
                    + "whose IC is named, nobody paged).")
    public MaintenanceMode maintenanceMode(@PathParam("id") UUID id) {
        return new MaintenanceMode(catalog.get(id) == null ? null : maintenance.mode(id));
    }

    @PUT
    @Path("/{id}/maintenance-mode")
    @RolesAllowed(Roles.ADMIN)
    @Operation(summary = "Set what a maintenance window does to the service's alerts", description = "mode suppress "
            + "or low_urgency (400 naming mode otherwise).")
    public MaintenanceMode setMaintenanceMode(@PathParam("id") UUID id, MaintenanceMode body) {
        return new MaintenanceMode(maintenance.setMode(id, body == null ? null : body.mode()));
    }

    @GET
    @Path("/{id}/alert-grouping")
    @RolesAllowed({Roles.VIEWER, Roles.SERVICE})
    @Operation(summary = "The service's alert grouping rule", description = "rule off, time (windowMinutes) or "
            + "content (template); autoResolve: resolve the incident once every grouped alert has resolved.")
    public AlertGrouping alertGrouping(@PathParam("id") UUID id) {
        return grouping.get(id);
    }

    @PUT
    @Path("/{id}/alert-grouping")
    @RolesAllowed(Roles.ADMIN)
    @Operation(summary = "Set the service's alert grouping rule", description = "time needs windowMinutes (1-1440); "
            + "content needs a template of {{payload.source|severity|component|group|class}}, "
            + "{{payload.custom_details.<field>}} and {{labels.<name>}} placeholders (400 naming the field). "
            + "Incidents already open keep their grouping.")
    public AlertGrouping setAlertGrouping(@PathParam("id") UUID id, GroupingService.GroupingRequest body) {
        return grouping.set(id, body);
    }

    @GET
    @RolesAllowed({Roles.VIEWER, Roles.SERVICE})
    @Operation(summary = "List technical services with their owning team, runbook and channel",
            description = "Archived services only with includeArchived=true. owningTeamId and escalationPolicyId "
                    + "select the services that name that team or policy (oncall-service asks before archiving one).")
    // an absent primitive reaches the converter as "0" (Quarkus REST's default), which StrictParams refuses
    public List<ServiceView> list(@QueryParam("includeArchived") @DefaultValue("false") boolean includeArchived,
                                  @QueryParam("owningTeamId") UUID owningTeamId,
                                  @QueryParam("escalationPolicyId") UUID escalationPolicyId) {
        return catalog.list(includeArchived, owningTeamId, escalationPolicyId);
    }

    @GET
    @Path("/{id}")
    @RolesAllowed({Roles.VIEWER, Roles.SERVICE})
    @Operation(summary = "Get a technical service", description = "Archived ones too (archivedAt is set).")
    public ServiceView get(@PathParam("id") UUID id) {
        return catalog.get(id);
    }

    @POST
    @RolesAllowed(Roles.ADMIN)
    @Operation(summary = "Create a technical service", description = "owningTeamId and escalationPolicyId must exist "
            + "in oncall-service and not be archived (400 naming the field); 503 when oncall-service cannot confirm them.")
    public Response create(@NotNull @Valid ServiceRequest body) {
        ServiceView created = catalog.create(body);
        return Response.created(URI.create("/api/services/" + created.id())).entity(created).build();
    }

    @PUT
    @Path("/{id}")
    @RolesAllowed(Roles.ADMIN)
    @Operation(summary = "Update a technical service", description = "A changed owningTeamId or escalationPolicyId "
            + "is checked like on creation.")
    public ServiceView update(@PathParam("id") UUID id, @NotNull @Valid ServiceRequest body) {
        return catalog.update(id, body);
    }

    @POST
    @Path("/{id}/archive")
    @RolesAllowed(Roles.ADMIN)
    @Operation(summary = "Archive a technical service", description = "Hidden from lists, refuses new incidents, SOS and "
            + "events on its keys; still readable by id. 409 naming what still refers to it: open incidents, active "
            + "integration keys (revoke them first) or the SOS configuration.")
    public ServiceView archive(@PathParam("id") UUID id) {
        return catalog.archive(id);
    }

    @POST
    @Path("/{id}/unarchive")
    @RolesAllowed(Roles.ADMIN)
    @Operation(summary = "Unarchive a technical service", description = "Its team and policy are checked with "
            + "oncall-service again (409 naming the field when gone or archived). Revoked keys stay revoked.")
    public ServiceView unarchive(@PathParam("id") UUID id) {
        return catalog.unarchive(id);
    }

    @GET
    @Path("/{id}/integration-keys")
    @RolesAllowed(Roles.ADMIN)
    @Operation(summary = "List a service's integration keys", description = "Only the last 4 characters are shown.")
    public List<KeyView> keys(@PathParam("id") UUID id) {
        return catalog.keys(id);
    }

    @POST
    @Path("/{id}/integration-keys")
    @RolesAllowed(Roles.ADMIN)
    @Operation(summary = "Create an integration key",
            description = "The answer is the only time the full 32-character key is shown; Toban keeps its SHA-256.")
    public Response createKey(@PathParam("id") UUID id, @NotNull @Valid KeyRequest body) {
        NewKey key = catalog.createKey(id, body);
        return Response.created(URI.create("/api/services/" + id + "/integration-keys/" + key.id())).entity(key).build();
    }

    @POST
    @Path("/{id}/integration-keys/{keyId}/rotate")
    @RolesAllowed(Roles.ADMIN)
    @Operation(summary = "Rotate an integration key", description = "A new key with the same name and type (its "
            + "only showing is this answer) and the old one revoked, at once. 409 for a revoked key.")
    public Response rotateKey(@PathParam("id") UUID id, @PathParam("keyId") UUID keyId) {
        NewKey key = catalog.rotateKey(id, keyId);
        return Response.created(URI.create("/api/services/" + id + "/integration-keys/" + key.id())).entity(key).build();
    }

    @DELETE
    @Path("/{id}/integration-keys/{keyId}")
    @RolesAllowed(Roles.ADMIN)
    @Operation(summary = "Revoke an integration key", description = "Events with it are refused from then on.")
    public KeyView revokeKey(@PathParam("id") UUID id, @PathParam("keyId") UUID keyId) {
        return catalog.revokeKey(id, keyId);
    }

    @POST
    @Path("/{id}/integration-keys/{keyId}/archive")
    @RolesAllowed(Roles.ADMIN)
    @Operation(summary = "Archive an integration key", description = "The same as revoking it (DELETE): for good, "
            + "a credential does not come back; create a new key instead.")
    public KeyView archiveKey(@PathParam("id") UUID id, @PathParam("keyId") UUID keyId) {
        return catalog.revokeKey(id, keyId);
    }

    /** A boolean query parameter: true, false or absent; anything else is a 400 naming it. */
    @GET
    @Path("/{id}/changes")
    @RolesAllowed(Roles.VIEWER)
    @Operation(summary = "The service's change timeline", description = "Change events, newest first.")
    public List<ChangeView> changes(@PathParam("id") UUID id,
                                    @QueryParam("limit") @DefaultValue("50") @Min(1) @Max(500) int limit) {
        return catalog.changes(id, limit);
    }
}

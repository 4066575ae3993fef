package dev.toban.incident.rest;

import dev.toban.incident.service.CatalogService;
import dev.toban.incident.service.CatalogService.ChangeView;
import dev.toban.incident.service.CatalogService.KeyRequest;
import dev.toban.incident.service.CatalogService.KeyView;
import dev.toban.incident.service.CatalogService.NewKey;
import dev.toban.incident.service.CatalogService.ServiceRequest;
import dev.toban.incident.service.CatalogService.ServiceView;
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

    public ServiceCatalogResource(CatalogService catalog) {
        this.catalog = catalog;
    }

    @GET
    @RolesAllowed(Roles.VIEWER)
    @Operation(summary = "List technical services with their owning team, runbook and channel")
    public List<ServiceView> list() {
        return catalog.list();
    }

    @GET
    @Path("/{id}")
    @RolesAllowed(Roles.VIEWER)
    @Operation(summary = "Get a technical service")
    public ServiceView get(@PathParam("id") UUID id) {
        return catalog.get(id);
    }

    @POST
    @RolesAllowed(Roles.ADMIN)
    @Operation(summary = "Create a technical service")
    public Response create(@NotNull @Valid ServiceRequest body) {
        ServiceView created = catalog.create(body);
        return Response.created(URI.create("/api/services/" + created.id())).entity(created).build();
    }

    @PUT
    @Path("/{id}")
    @RolesAllowed(Roles.ADMIN)
    @Operation(summary = "Update a technical service")
    public ServiceView update(@PathParam("id") UUID id, @NotNull @Valid ServiceRequest body) {
        return catalog.update(id, body);
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

    @DELETE
    @Path("/{id}/integration-keys/{keyId}")
    @RolesAllowed(Roles.ADMIN)
    @Operation(summary = "Revoke an integration key", description = "Events with it are refused from then on.")
    public KeyView revokeKey(@PathParam("id") UUID id, @PathParam("keyId") UUID keyId) {
        return catalog.revokeKey(id, keyId);
    }

    @GET
    @Path("/{id}/changes")
    @RolesAllowed(Roles.VIEWER)
    @Operation(summary = "The service's change timeline", description = "Change events, newest first.")
    public List<ChangeView> changes(@PathParam("id") UUID id,
                                    @QueryParam("limit") @DefaultValue("50") @Min(1) @Max(500) int limit) {
        return catalog.changes(id, limit);
    }
}

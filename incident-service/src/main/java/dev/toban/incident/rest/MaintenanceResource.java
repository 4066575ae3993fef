package dev.toban.incident.rest;

import dev.toban.incident.maintenance.MaintenanceService.HeldAlert;
import dev.toban.incident.maintenance.MaintenanceService.WindowRequest;
import dev.toban.incident.maintenance.MaintenanceService.WindowView;
import dev.toban.incident.maintenance.MaintenanceService;
import dev.toban.plumbing.input.Instants;
import dev.toban.plumbing.security.Roles;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Maintenance windows: planned work during which a service's alerts open no incident and page no one. */
@Path("/api/maintenance-windows")
@Tag(name = "Maintenance windows")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class MaintenanceResource {

    private final MaintenanceService maintenance;

    public MaintenanceResource(MaintenanceService maintenance) {
        this.maintenance = maintenance;
    }

    @GET
    @RolesAllowed({Roles.VIEWER, Roles.SERVICE})
    @Operation(summary = "Current and upcoming maintenance windows", description = "Not cancelled and not over, "
            + "running ones first; serviceId selects one service's. at (ISO instant, default now) is the moment "
            + "active, activeFrom/activeUntil and nextStart/nextEnd are computed for (each occurrence in local time "
            + "of the window's timeZone, DST included).")
    public List<WindowView> list(@QueryParam("serviceId") UUID serviceId, @QueryParam("at") String at) {
        return maintenance.list(serviceId, at(at));
    }

    /** An ISO instant query parameter (400 naming {@code at}), else now. */
    private static Instant at(String value) {
        return value == null || value.isBlank() ? Instant.now() : Instants.parse("at", value);
    }

    @GET
    @Path("/{id}")
    @RolesAllowed({Roles.VIEWER, Roles.SERVICE})
    @Operation(summary = "A maintenance window", description = "Cancelled ones too (cancelledAt).")
    public WindowView get(@PathParam("id") UUID id, @QueryParam("at") String at) {
        return maintenance.get(id, at(at));
    }

    @POST
    @RolesAllowed(Roles.RESPONDER)
    @Operation(summary = "Plan a maintenance window", description = "serviceIds (one or more active services), "
            + "startsAt and endsAt as local date-times (YYYY-MM-DDTHH:MM) in timeZone (e.g. Asia/Tokyo), reason, "
            + "recurrence none or weekly (at most 7 days long). 400 naming the field.")
    public Response create(WindowRequest body) {
        UUID id = maintenance.create(body);
        maintenance.reload();
        return Response.created(URI.create("/api/maintenance-windows/" + id)).entity(maintenance.get(id, Instant.now()))
                .build();
    }

    @DELETE
    @Path("/{id}")
    @RolesAllowed(Roles.RESPONDER)
    @Operation(summary = "Cancel a maintenance window", description = "Alerts it held stay visible.")
    public WindowView cancel(@PathParam("id") UUID id) {
        maintenance.cancel(id);
        maintenance.reload();
        return maintenance.get(id, Instant.now());
    }

    @GET
    @Path("/held-alerts")
    @RolesAllowed(Roles.VIEWER)
    @Operation(summary = "Alerts held by maintenance windows", description = "Of one service, newest first: "
            + "recorded during a window of a suppress service, they opened no incident.")
    public List<HeldAlert> held(@QueryParam("serviceId") UUID serviceId,
                                @QueryParam("limit") @DefaultValue("50") @Min(1) @Max(500) int limit) {
        if (serviceId == null) {
            throw dev.toban.plumbing.problem.ProblemException.invalid("serviceId", "is required");
        }
        return maintenance.held(serviceId, limit);
    }
}

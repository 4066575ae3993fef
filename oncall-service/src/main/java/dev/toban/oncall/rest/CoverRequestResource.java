package dev.toban.oncall.rest;

import dev.toban.oncall.common.Validation;
import dev.toban.oncall.schedule.CoverRequestService;
import dev.toban.oncall.schedule.CoverRequestService.AcceptRequest;
import dev.toban.oncall.schedule.CoverRequestService.CoverRequestCreate;
import dev.toban.oncall.schedule.CoverRequestService.CoverRequestView;
import dev.toban.plumbing.security.Roles;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
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

@Path("/api/cover-requests")
@Tag(name = "Cover and swap requests")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class CoverRequestResource {

    private final CoverRequestService requests;

    public CoverRequestResource(CoverRequestService requests) {
        this.requests = requests;
    }

    @GET
    @RolesAllowed(Roles.VIEWER)
    @Operation(summary = "List cover and swap requests", description = "Filter by scheduleId and status (open, accepted, cancelled).")
    public List<CoverRequestView> list(@QueryParam("scheduleId") String scheduleId, @QueryParam("status") String status) {
        return requests.list(Validation.uuid("scheduleId", scheduleId), status == null || status.isBlank() ? null : status);
    }

    @GET
    @Path("/{id}")
    @RolesAllowed(Roles.VIEWER)
    @Operation(summary = "Get a cover or swap request")
    public CoverRequestView get(@PathParam("id") UUID id) {
        return requests.get(id);
    }

    @POST
    @RolesAllowed(Roles.RESPONDER)
    @Operation(summary = "Ask for cover (or a swap)", description = "Open to anyone, or to targetPersonId only. "
            + "swapStart/swapEnd make it a swap. Publishes toban.oncall.cover.requested.")
    public Response create(@NotNull @Valid CoverRequestCreate body) {
        CoverRequestView created = requests.create(body);
        return Response.created(URI.create("/api/cover-requests/" + created.id())).entity(created).build();
    }

    @POST
    @Consumes(MediaType.WILDCARD)
    @Path("/{id}/accept")
    @RolesAllowed(Roles.RESPONDER)
    @Operation(summary = "Accept a cover or swap request", description = "You accept as yourself; only an admin may "
            + "accept on behalf of {\"personId\": X} (403 for anyone else naming another person). Creates the "
            + "override(s) and publishes toban.oncall.cover.accepted so both sides are told.")
    public CoverRequestView accept(@PathParam("id") UUID id, @Valid AcceptRequest body) {
        return requests.accept(id, body);
    }

    @POST
    @Consumes(MediaType.WILDCARD)
    @Path("/{id}/cancel")
    @RolesAllowed(Roles.RESPONDER)
    @Operation(summary = "Withdraw an open request", description = "Publishes toban.oncall.cover.cancelled.")
    public CoverRequestView cancel(@PathParam("id") UUID id) {
        return requests.cancel(id);
    }
}

package dev.toban.oncall.rest;

import dev.toban.oncall.common.Validation;
import dev.toban.oncall.handoff.HandoffService;
import dev.toban.oncall.handoff.HandoffService.TickResult;
import dev.toban.oncall.reachability.ReachabilityService;
import dev.toban.oncall.schedule.OnCallService;
import dev.toban.oncall.schedule.OnCallService.OnCallEntry;
import dev.toban.plumbing.security.Roles;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

@Path("/api/oncall")
@Tag(name = "On call")
@Produces(MediaType.APPLICATION_JSON)
public class OnCallResource {

    private final OnCallService onCall;
    private final HandoffService handoffs;
    private final ReachabilityService reachability;
    private final dev.toban.oncall.client.MaintenanceWindows maintenance;

    public OnCallResource(OnCallService onCall, HandoffService handoffs, ReachabilityService reachability,
                          dev.toban.oncall.client.MaintenanceWindows maintenance) {
        this.maintenance = maintenance;
        this.onCall = onCall;
        this.handoffs = handoffs;
        this.reachability = reachability;
    }

    @GET
    @Path("/unreachable")
    @RolesAllowed(Roles.VIEWER)
    @Operation(summary = "Who is on call soon without a verified way to wake them",
            description = "People on call now or within toban.oncall.reachability.window (7 days), in any schedule "
                    + "(layers and overrides), who have no verified sms, voice or push contact method used by a "
                    + "notification rule for high-urgency pages (high or any). Each with their shifts in that window "
                    + "(scheduleId, scheduleName, start, end; a shift running now starts at most one longest shift "
                    + "back, the last one ends at the window's end at the latest) and the reason "
                    + "(no_verified_waking_method). Soonest shift first.")
    public List<ReachabilityService.Unreachable> unreachable() {
        return reachability.unreachable();
    }

    @GET
    @Path("/now")
    @RolesAllowed(Roles.VIEWER)
    @Operation(summary = "Who is on call in every schedule now (or at ?at=), with the next handoff")
    @APIResponse(responseCode = "200", content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(type = SchemaType.ARRAY, implementation = OnCallEntry.class)))
    public Response now(@QueryParam("at") String at) {
        return Response.ok(onCall.onCallJson(Validation.instant("at", at, onCall.now()), null, null),
                MediaType.APPLICATION_JSON_TYPE).build();
    }

    @GET
    @RolesAllowed(Roles.VIEWER)
    @Operation(summary = "Who is on call for a team and role", description = "Same shape as /api/oncall/now, filtered.")
    @APIResponse(responseCode = "200", content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(type = SchemaType.ARRAY, implementation = OnCallEntry.class)))
    public Response filtered(@QueryParam("teamId") String teamId, @QueryParam("role") String role,
                             @QueryParam("at") String at) {
        return Response.ok(onCall.onCallJson(Validation.instant("at", at, onCall.now()), Validation.uuid("teamId", teamId),
                role == null || role.isBlank() ? null : role), MediaType.APPLICATION_JSON_TYPE).build();
    }

    @POST
    @Path("/handoffs/tick")
    @RolesAllowed(Roles.ADMIN)
    @Operation(summary = "Run a handoff pass now", description = "Publishes any shift start, end or upcoming notice due; "
            + "exactly once, like the scheduled pass.")
    public TickResult tick() {
        return handoffs.tick(null, HandoffService.notes(maintenance.currentAndUpcoming()));
    }
}

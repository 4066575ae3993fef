package dev.toban.oncall.rest;

import dev.toban.oncall.common.Validation;
import dev.toban.oncall.schedule.IcalService;
import dev.toban.oncall.schedule.IcalService.IssuedToken;
import dev.toban.oncall.schedule.OnCallService;
import dev.toban.oncall.schedule.OnCallService.ShiftsView;
import dev.toban.oncall.schedule.OverrideService;
import dev.toban.oncall.schedule.OverrideService.OverrideRequest;
import dev.toban.oncall.schedule.OverrideService.OverrideView;
import dev.toban.oncall.schedule.ScheduleService;
import dev.toban.oncall.schedule.ScheduleService.ScheduleRequest;
import dev.toban.oncall.schedule.ScheduleService.ScheduleView;
import dev.toban.plumbing.security.Roles;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
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
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

@Path("/api/schedules")
@Tag(name = "Schedules")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class ScheduleResource {

    private final ScheduleService schedules;
    private final OverrideService overrides;
    private final OnCallService onCall;
    private final IcalService ical;

    public ScheduleResource(ScheduleService schedules, OverrideService overrides, OnCallService onCall, IcalService ical) {
        this.schedules = schedules;
        this.overrides = overrides;
        this.onCall = onCall;
        this.ical = ical;
    }

    @GET
    @RolesAllowed(Roles.VIEWER)
    @Operation(summary = "List schedules, optionally of one team and role",
            description = "Archived schedules only with includeArchived=true.")
    public List<ScheduleView> list(@QueryParam("teamId") String teamId, @QueryParam("role") String role,
                                   @QueryParam("includeArchived") @DefaultValue("false") boolean includeArchived) {
        return schedules.list(Validation.uuid("teamId", teamId), role == null || role.isBlank() ? null : role,
                includeArchived);
    }

    @GET
    @Path("/{id}")
    @RolesAllowed(Roles.VIEWER)
    @Operation(summary = "Get a schedule with its layers")
    public ScheduleView get(@PathParam("id") UUID id) {
        return schedules.get(id);
    }

    @POST
    @RolesAllowed(Roles.ADMIN)
    @Operation(summary = "Create a schedule", description = "One per team and role. Publishes toban.oncall.schedule.created.")
    public Response create(@NotNull @Valid ScheduleRequest body) {
        ScheduleView created = schedules.create(body);
        return Response.created(URI.create("/api/schedules/" + created.id())).entity(created).build();
    }

    @PUT
    @Path("/{id}")
    @RolesAllowed(Roles.ADMIN)
    @Operation(summary = "Replace a schedule's settings and layers",
            description = "Give existing layers their id to keep them. Publishes toban.oncall.schedule.updated.")
    public ScheduleView update(@PathParam("id") UUID id, @NotNull @Valid ScheduleRequest body) {
        return schedules.update(id, body);
    }

    @POST
    @Consumes(MediaType.WILDCARD)
    @Path("/{id}/archive")
    @RolesAllowed(Roles.ADMIN)
    @Operation(summary = "Archive a schedule",
            description = "Archive, not delete: history (past overrides, cover requests, incidents in other "
                    + "services) keeps referring to it. An archived schedule leaves the lists "
                    + "(?includeArchived=true shows it), stays readable by id with archivedAt, cannot be chosen "
                    + "as a new reference and is read-only until unarchived. Refused (409, naming each) while a "
                    + "live escalation policy targets it or it has an open cover request. Its open shifts end "
                    + "now (toban.oncall.shift.ended) and it leaves who-is-on-call and the handoff notices; its "
                    + "role is free for a new schedule. Publishes toban.oncall.schedule.updated with "
                    + "archived=true.")
    public ScheduleView archive(@PathParam("id") UUID id) {
        return schedules.archive(id);
    }

    @POST
    @Consumes(MediaType.WILDCARD)
    @Path("/{id}/unarchive")
    @RolesAllowed(Roles.ADMIN)
    @Operation(summary = "Unarchive a schedule", description = "Refused (409) while its team or a person of its layers "
            + "is archived, or the team has another live schedule for the role. Publishes "
            + "toban.oncall.schedule.updated with archived=false.")
    public ScheduleView unarchive(@PathParam("id") UUID id) {
        return schedules.unarchive(id);
    }

    @DELETE
    @Path("/{id}")
    @RolesAllowed(Roles.ADMIN)
    @Operation(summary = "Archive a schedule (same as POST /{id}/archive)", description = "Nothing is hard-deleted; "
            + "see POST /{id}/archive. 204 on success.")
    public Response delete(@PathParam("id") UUID id) {
        schedules.archive(id);
        return Response.noContent().build();
    }

    @GET
    @Path("/{id}/shifts")
    @RolesAllowed(Roles.VIEWER)
    @Operation(summary = "Rendered final shifts with layer and override provenance",
            description = "from defaults to now, to to a week after from; at most 366 days.")
    public ShiftsView shifts(@PathParam("id") UUID id, @QueryParam("from") String from, @QueryParam("to") String to) {
        Instant start = Validation.instant("from", from, onCall.now());
        Instant end = Validation.instant("to", to, start.plus(Duration.ofDays(7)));
        return onCall.shifts(id, start, end);
    }

    @GET
    @Path("/{id}/overrides")
    @RolesAllowed(Roles.VIEWER)
    @Operation(summary = "Overrides of a schedule that intersect a range", description = "Defaults: now to 30 days later.")
    public List<OverrideView> overrides(@PathParam("id") UUID id, @QueryParam("from") String from,
                                        @QueryParam("to") String to) {
        Instant start = Validation.instant("from", from, onCall.now());
        Instant end = Validation.instant("to", to, start.plus(Duration.ofDays(30)));
        return overrides.list(id, start, end);
    }

    @POST
    @Path("/{id}/overrides")
    @RolesAllowed(Roles.RESPONDER)
    @Operation(summary = "Create an override", description = "Needs the consent of everyone whose shift it takes. "
            + "Admins create any override. Anyone else may give away their own shift (replacesPersonId = themselves, "
            + "personId = who takes it) or take the whole schedule themselves (personId = themselves, no "
            + "replacesPersonId) where nobody else is on call; taking someone else's shift is a 403: send a cover "
            + "request (POST /api/cover-requests), accepting it is the consent. Publishes "
            + "toban.oncall.override.created; handoff events follow at once.")
    public Response createOverride(@PathParam("id") UUID id, @NotNull @Valid OverrideRequest body) {
        OverrideView created = overrides.create(id, body);
        return Response.created(URI.create("/api/schedules/" + id + "/overrides/" + created.id())).entity(created).build();
    }

    @DELETE
    @Path("/{id}/overrides/{overrideId}")
    @RolesAllowed(Roles.RESPONDER)
    @Operation(summary = "Delete an override", description = "Your own, or any as admin. Publishes toban.oncall.override.deleted.")
    public Response deleteOverride(@PathParam("id") UUID id, @PathParam("overrideId") UUID overrideId) {
        overrides.delete(id, overrideId);
        return Response.noContent().build();
    }

    @POST
    @Consumes(MediaType.WILDCARD)
    @Path("/{id}/ical-token")
    @RolesAllowed(Roles.VIEWER)
    @Operation(summary = "Create your calendar subscription link for a schedule",
            description = "Replaces your previous link for it; the token is shown once.")
    public Response issueToken(@PathParam("id") UUID id) {
        IssuedToken token = ical.issue(IcalService.SCHEDULE, id);
        return Response.status(201).entity(token).build();
    }

    @DELETE
    @Path("/{id}/ical-token")
    @RolesAllowed(Roles.VIEWER)
    @Operation(summary = "Revoke calendar subscription links for a schedule",
            description = "Your own link; with all=true (admin) every link of this schedule.")
    public Map<String, Integer> revokeToken(@PathParam("id") UUID id, @QueryParam("all") @DefaultValue("false") boolean all) {
        return Map.of("revoked", ical.revoke(IcalService.SCHEDULE, id, all));
    }
}

package dev.toban.incident.rest;

import dev.toban.contracts.incident.IncidentSnapshot;
import dev.toban.incident.escalation.ManualPaging;
import dev.toban.incident.grouping.GroupingService;
import dev.toban.incident.lifecycle.IncidentDetails;
import dev.toban.incident.lifecycle.IncidentQueries;
import dev.toban.incident.lifecycle.IncidentRoles.PersonRequest;
import dev.toban.incident.lifecycle.IncidentRoles.TeamAssignmentRequest;
import dev.toban.incident.lifecycle.IncidentRoles;
import dev.toban.incident.lifecycle.IncidentTimeline;
import dev.toban.incident.lifecycle.IncidentTransitions.DeclareRequest;
import dev.toban.incident.lifecycle.IncidentTransitions.NoteRequest;
import dev.toban.incident.lifecycle.IncidentTransitions.ReopenRequest;
import dev.toban.incident.lifecycle.IncidentTransitions;
import dev.toban.incident.lifecycle.IncidentUpdates.SlackThreadRequest;
import dev.toban.incident.lifecycle.IncidentUpdates.StatusUpdateRequest;
import dev.toban.incident.lifecycle.IncidentUpdates.UpdateRequest;
import dev.toban.incident.lifecycle.IncidentUpdates;
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
import jakarta.ws.rs.PATCH;
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

/** Incidents: lifecycle, roles, teams, status updates and the timeline. */
@Path("/api/incidents")
@Tag(name = "Incidents")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class IncidentResource {

    private final IncidentQueries queries;
    private final IncidentTransitions transitions;
    private final IncidentUpdates updates;
    private final IncidentRoles roles;
    private final ManualPaging paging;
    private final GroupingService grouping;

    public IncidentResource(IncidentQueries queries, IncidentTransitions transitions, IncidentUpdates updates,
                            IncidentRoles roles, ManualPaging paging, GroupingService grouping) {
        this.queries = queries;
        this.transitions = transitions;
        this.updates = updates;
        this.roles = roles;
        this.paging = paging;
        this.grouping = grouping;
    }

    @GET
    @RolesAllowed(Roles.VIEWER)
    @Operation(summary = "List incidents, newest first",
            description = "state: open (default), all, or one state; filter by serviceId or owning teamId.")
    public List<IncidentSnapshot> list(@QueryParam("state") @DefaultValue("open") String state,
                                       @QueryParam("serviceId") UUID serviceId, @QueryParam("teamId") UUID teamId,
                                       @QueryParam("limit") @DefaultValue("50") @Min(1) @Max(200) int limit) {
        return queries.list(state, serviceId, teamId, limit);
    }

    @POST
    @RolesAllowed(Roles.RESPONDER)
    @Operation(summary = "Declare an incident by hand", description = "The on-call of the service's policy becomes IC.")
    public Response declare(@NotNull @Valid DeclareRequest body) {
        IncidentSnapshot created = transitions.declare(body);
        return Response.created(URI.create("/api/incidents/" + created.id())).entity(created).build();
    }

    @GET
    @Path("/{id}")
    @RolesAllowed(Roles.VIEWER)
    @Operation(summary = "Get an incident with its alerts")
    public IncidentDetails get(@PathParam("id") UUID id) {
        return queries.get(id);
    }

    @GET
    @Path("/{id}/timeline")
    @RolesAllowed(Roles.VIEWER)
    @Operation(summary = "The incident's timeline, oldest first", description = "Every change with who did it and when.")
    public List<IncidentTimeline.Entry> timeline(@PathParam("id") UUID id) {
        return queries.timeline(id);
    }

    @PATCH
    @Path("/{id}")
    @RolesAllowed(Roles.RESPONDER)
    @Operation(summary = "Change title, severity or impact")
    public IncidentSnapshot update(@PathParam("id") UUID id, @NotNull @Valid UpdateRequest body) {
        return updates.update(id, body);
    }

    @POST
    @Path("/{id}/acknowledge")
    @RolesAllowed(Roles.RESPONDER)
    @Operation(summary = "Acknowledge", description = "Stops the escalation.")
    public IncidentSnapshot acknowledge(@PathParam("id") UUID id) {
        return transitions.acknowledge(id);
    }

    @POST
    @Path("/{id}/mitigate")
    @RolesAllowed(Roles.RESPONDER)
    @Operation(summary = "Mark mitigated (暫定復旧)")
    public IncidentSnapshot mitigate(@PathParam("id") UUID id, @Valid NoteRequest body) {
        return transitions.mitigate(id, body);
    }

    @POST
    @Path("/{id}/resolve")
    @RolesAllowed(Roles.RESPONDER)
    @Operation(summary = "Resolve", description = "Resolves the incident's alerts too.")
    public IncidentSnapshot resolve(@PathParam("id") UUID id, @Valid NoteRequest body) {
        return transitions.resolve(id, body);
    }

    @POST
    @Path("/{id}/alerts/{alertId}/split")
    @RolesAllowed(Roles.RESPONDER)
    @Operation(summary = "Split an alert off into its own incident", description = "For an alert grouped into this "
            + "incident (alert grouping) that is another problem: it moves to a new incident, whose IC is found and "
            + "paged as for any new incident. 409 for the alert that opened the incident, a resolved alert or a "
            + "closed incident.")
    public Response split(@PathParam("id") UUID id, @PathParam("alertId") UUID alertId) {
        IncidentSnapshot created = grouping.split(id, alertId);
        return Response.created(URI.create("/api/incidents/" + created.id())).entity(created).build();
    }

    @POST
    @Path("/{id}/close")
    @RolesAllowed(Roles.RESPONDER)
    @Operation(summary = "Declare the response disbanded (close)",
            description = "Only the IC or an admin, and only once the incident is resolved.")
    public IncidentSnapshot close(@PathParam("id") UUID id, @Valid NoteRequest body) {
        return transitions.close(id, body);
    }

    @POST
    @Path("/{id}/reopen")
    @RolesAllowed(Roles.RESPONDER)
    @Operation(summary = "Reopen a resolved or closed incident", description = "It goes back to acknowledged.")
    public IncidentSnapshot reopen(@PathParam("id") UUID id, @NotNull @Valid ReopenRequest body) {
        return transitions.reopen(id, body);
    }

    @POST
    @Path("/{id}/escalate")
    @RolesAllowed(Roles.RESPONDER)
    @Operation(summary = "Escalate now: page the next level of the escalation policy at once",
            description = "Any open incident. Publishes toban.incident.escalated (reason escalate) like an automatic "
                    + "escalation; an unacknowledged incident's escalation continues from that level. 409 after the "
                    + "last level (re-page instead) or when nobody is on call there; 503 when oncall-service cannot say.")
    public IncidentSnapshot escalate(@PathParam("id") UUID id) {
        return paging.escalateNow(id);
    }

    @POST
    @Path("/{id}/repage")
    @RolesAllowed(Roles.RESPONDER)
    @Operation(summary = "Re-page the level last paged",
            description = "Pages everyone on call at the current level again (toban.incident.escalated, reason repage).")
    public IncidentSnapshot repage(@PathParam("id") UUID id) {
        return paging.repage(id);
    }

    @POST
    @Path("/{id}/status-updates")
    @RolesAllowed(Roles.RESPONDER)
    @Operation(summary = "Post a status update", description = "Resets the status-update cadence.")
    public IncidentSnapshot statusUpdate(@PathParam("id") UUID id, @NotNull @Valid StatusUpdateRequest body) {
        return updates.postStatusUpdate(id, body);
    }

    @PUT
    @Path("/{id}/commander")
    @RolesAllowed(Roles.RESPONDER)
    @Operation(summary = "Hand the Incident Commander role over", description = "Only the IC or an admin, while there is one.")
    public IncidentSnapshot commander(@PathParam("id") UUID id, @NotNull @Valid PersonRequest body) {
        return roles.setCommander(id, body);
    }

    @PUT
    @Path("/{id}/liaison")
    @RolesAllowed(Roles.RESPONDER)
    @Operation(summary = "Set the communications liaison (for business staff)")
    public IncidentSnapshot liaison(@PathParam("id") UUID id, @NotNull @Valid PersonRequest body) {
        return roles.setLiaison(id, body);
    }

    @DELETE
    @Path("/{id}/liaison")
    @RolesAllowed(Roles.RESPONDER)
    @Operation(summary = "Remove the communications liaison")
    public IncidentSnapshot removeLiaison(@PathParam("id") UUID id) {
        return roles.removeLiaison(id);
    }

    @POST
    @Path("/{id}/responders")
    @RolesAllowed(Roles.RESPONDER)
    @Operation(summary = "Add a responder", description = "Without personId or username, the caller joins.")
    public IncidentSnapshot addResponder(@PathParam("id") UUID id, @Valid PersonRequest body) {
        return roles.addResponder(id, body);
    }

    @DELETE
    @Path("/{id}/responders/{personId}")
    @RolesAllowed(Roles.RESPONDER)
    @Operation(summary = "Remove a responder")
    public IncidentSnapshot removeResponder(@PathParam("id") UUID id, @PathParam("personId") UUID personId) {
        return roles.removeResponder(id, personId);
    }

    @POST
    @Path("/{id}/teams")
    @RolesAllowed(Roles.RESPONDER)
    @Operation(summary = "Assign a team", description = "owning=true also makes it the owning team.")
    public IncidentSnapshot assignTeam(@PathParam("id") UUID id, @NotNull @Valid TeamAssignmentRequest body) {
        return roles.assignTeam(id, body);
    }

    @PUT
    @Path("/{id}/slack-thread")
    @RolesAllowed({Roles.SERVICE, Roles.ADMIN})
    @Operation(summary = "Record the incident's Slack thread", description = "For notify-service, when it cannot use the event.")
    public IncidentSnapshot slackThread(@PathParam("id") UUID id, @NotNull @Valid SlackThreadRequest body) {
        return updates.setSlackThread(id, body);
    }
}

package dev.toban.postmortem.rest;

import dev.toban.plumbing.problem.ProblemException;
import dev.toban.plumbing.security.Roles;
import dev.toban.postmortem.access.Requester;
import dev.toban.postmortem.actionitem.ActionItemService;
import dev.toban.postmortem.actionitem.ActionItemService.ActionItemRequest;
import dev.toban.postmortem.document.DocumentService;
import dev.toban.postmortem.document.DocumentService.DocumentPatch;
import dev.toban.postmortem.document.TimelineFetcher;
import dev.toban.postmortem.lifecycle.PostmortemService;
import dev.toban.postmortem.lifecycle.PostmortemService.DecisionRequest;
import dev.toban.postmortem.lifecycle.Views;
import dev.toban.postmortem.meeting.MeetingService;
import dev.toban.postmortem.meeting.MeetingService.ParticipantRequest;
import dev.toban.postmortem.model.PostmortemState;
import dev.toban.postmortem.model.WireEnum;
import io.quarkus.security.identity.SecurityIdentity;
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
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * Postmortems: the decision, the meeting and its participants, the document and its action items.
 * Reading needs viewer (published postmortems only) or responder (all); the rules for writing are
 * in {@link dev.toban.postmortem.access.Access}.
 */
@Path("/api/postmortems")
@Tag(name = "Postmortems")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class PostmortemResource {

    public static final String MARKDOWN = "text/markdown;charset=UTF-8";

    private final PostmortemService postmortems;
    private final MeetingService meetings;
    private final DocumentService documents;
    private final ActionItemService actionItems;
    private final TimelineFetcher timelines;
    private final SecurityIdentity identity;

    public PostmortemResource(PostmortemService postmortems, MeetingService meetings, DocumentService documents,
                              ActionItemService actionItems, TimelineFetcher timelines, SecurityIdentity identity) {
        this.postmortems = postmortems;
        this.meetings = meetings;
        this.documents = documents;
        this.actionItems = actionItems;
        this.timelines = timelines;
        this.identity = identity;
    }

    /** PUT meeting body. */
    public record RescheduleRequest(@NotNull OffsetDateTime start, Integer durationMinutes) {
    }

    private Requester caller() {
        return Requester.of(identity);
    }

    @GET
    @RolesAllowed(Roles.VIEWER)
    @Operation(summary = "List postmortems", description = "Newest first. Viewers see published postmortems only.")
    public List<Views.PostmortemSnapshot> list(@QueryParam("state") String state, @QueryParam("incidentId") String incidentId,
                                               @QueryParam("limit") @DefaultValue("50") @Min(1) @Max(500) int limit) {
        UUID incident = null;
        if (incidentId != null && !incidentId.isBlank()) {
            try {
                incident = UUID.fromString(incidentId.strip());
            } catch (IllegalArgumentException e) {
                throw ProblemException.invalid("incidentId", "is not a UUID");
            }
        }
        PostmortemState parsed = null;
        if (state != null && !state.isBlank()) {
            try {
                parsed = WireEnum.parse(PostmortemState.class, state);
            } catch (IllegalArgumentException e) {
                throw ProblemException.invalid("state", "must be one of pending_decision, scheduled, held, published, skipped");
            }
        }
        return postmortems.list(parsed, incident, limit, caller());
    }

    @GET
    @Path("/{id}")
    @RolesAllowed(Roles.VIEWER)
    @Operation(summary = "Get a postmortem", description = "With downtime figures, participants and the caller's permissions.")
    public Views.PostmortemDetail get(@PathParam("id") UUID id) {
        return postmortems.get(id, caller());
    }

    @POST
    @Path("/{id}/decision")
    @RolesAllowed({Roles.RESPONDER, Roles.SERVICE})
    @Operation(summary = "Record the IC's decision: hold or skip",
            description = "hold schedules the meeting at `start` or at the first free slot and sends the invitations "
                    + "(toban.postmortem.decided, .scheduled); skip needs a reason and, for a required severity, an admin "
                    + "(toban.postmortem.decided, .skipped). A Toban service (the Slack app) decides for a person with "
                    + "`onBehalfOf`: checked and recorded as that person, with their mirrored roles.")
    public Views.PostmortemSnapshot decide(@PathParam("id") UUID id, @NotNull @Valid DecisionRequest body) {
        return postmortems.decide(id, body, caller().actingFor(body.onBehalfOf()));
    }

    @GET
    @Path("/{id}/proposal")
    @RolesAllowed(Roles.RESPONDER)
    @Operation(summary = "Propose the first free meeting slot",
            description = "Within the configured business days, in the owning team's working hours, free of the "
                    + "participants' other postmortem meetings. Nothing is saved.")
    public MeetingService.Proposal proposal(@PathParam("id") UUID id, @QueryParam("durationMinutes") Integer durationMinutes) {
        return meetings.propose(id, durationMinutes, caller());
    }

    @PUT
    @Path("/{id}/meeting")
    @RolesAllowed(Roles.RESPONDER)
    @Operation(summary = "Reschedule the meeting",
            description = "Raises SEQUENCE, sends METHOD:REQUEST again and publishes toban.postmortem.rescheduled.")
    public Views.PostmortemSnapshot reschedule(@PathParam("id") UUID id, @NotNull @Valid RescheduleRequest body) {
        return meetings.reschedule(id, body.start().toInstant(), body.durationMinutes(), caller());
    }

    @DELETE
    @Path("/{id}/meeting")
    @RolesAllowed(Roles.RESPONDER)
    @Operation(summary = "Cancel the meeting",
            description = "Sends METHOD:CANCEL, publishes toban.postmortem.cancelled and returns the postmortem to pending_decision.")
    public Views.PostmortemSnapshot cancel(@PathParam("id") UUID id, @QueryParam("reason") String reason) {
        return meetings.cancel(id, reason, caller());
    }

    @GET
    @Path("/{id}/participants")
    @RolesAllowed(Roles.VIEWER)
    @Operation(summary = "List the participants", description = "Removed participants are listed with removed=true.")
    public List<Views.ParticipantView> participants(@PathParam("id") UUID id) {
        return meetings.participants(id, caller());
    }

    @POST
    @Path("/{id}/participants")
    @RolesAllowed(Roles.RESPONDER)
    @Operation(summary = "Add a participant", description = "By email, or by oncall-service person id. "
            + "If the meeting is scheduled, the new participant gets the invitation.")
    public Response addParticipant(@PathParam("id") UUID id, @NotNull @Valid ParticipantRequest body) {
        Views.ParticipantView added = meetings.addParticipant(id, body, caller());
        return Response.created(URI.create("/api/postmortems/" + id + "/participants/" + added.id())).entity(added).build();
    }

    @DELETE
    @Path("/{id}/participants/{participantId}")
    @RolesAllowed(Roles.RESPONDER)
    @Operation(summary = "Remove a participant", description = "If the meeting is scheduled, they get a METHOD:CANCEL.")
    public Response removeParticipant(@PathParam("id") UUID id, @PathParam("participantId") UUID participantId) {
        meetings.removeParticipant(id, participantId, caller());
        return Response.noContent().build();
    }

    @POST
    @Path("/{id}/held")
    @RolesAllowed(Roles.RESPONDER)
    @Operation(summary = "Mark the meeting held", description = "scheduled → held; publishes toban.postmortem.held.")
    public Views.PostmortemSnapshot held(@PathParam("id") UUID id) {
        return postmortems.markHeld(id, caller());
    }

    @POST
    @Path("/{id}/publish")
    @RolesAllowed(Roles.RESPONDER)
    @Operation(summary = "Publish the document", description = "held → published; viewers can read it; publishes toban.postmortem.published.")
    public Views.PostmortemSnapshot publish(@PathParam("id") UUID id) {
        return postmortems.publish(id, caller());
    }

    @POST
    @Path("/{id}/timeline/refresh")
    @RolesAllowed(Roles.RESPONDER)
    @Operation(summary = "Fetch the incident's timeline now", description = "Otherwise a job retries until incident-service answers.")
    public Map<String, Object> refreshTimeline(@PathParam("id") UUID id) {
        return Map.of("filled", timelines.refresh(id, caller()));
    }

    @GET
    @Path("/{id}/document")
    @RolesAllowed(Roles.VIEWER)
    @Operation(summary = "Get the blameless document", description = "Sections, timeline, downtime figures and the version to send back when editing.")
    public Views.DocumentView document(@PathParam("id") UUID id) {
        return documents.get(id, caller());
    }

    @PATCH
    @Path("/{id}/document")
    @RolesAllowed(Roles.RESPONDER)
    @Operation(summary = "Edit sections of the document",
            description = "Present sections replace the stored text. `version` must be the current version (else 409).")
    public Views.DocumentView patchDocument(@PathParam("id") UUID id, @NotNull @Valid DocumentPatch body) {
        return documents.patch(id, body, caller());
    }

    @GET
    @Path("/{id}/document.md")
    @Produces(MARKDOWN)
    @RolesAllowed(Roles.VIEWER)
    @Operation(summary = "Export the document as Markdown", description = "`lang` (ja or en) overrides the document's language.")
    public Response markdown(@PathParam("id") UUID id, @QueryParam("lang") String lang) {
        return Response.ok(documents.markdown(id, lang, caller()), MARKDOWN)
                .header("Content-Disposition", "inline; filename=\"postmortem-" + id + ".md\"").build();
    }

    @GET
    @Path("/{id}/action-items")
    @RolesAllowed(Roles.VIEWER)
    @Operation(summary = "List the action items")
    public List<Views.ActionItemView> actionItems(@PathParam("id") UUID id) {
        return actionItems.list(id, caller());
    }

    @POST
    @Path("/{id}/action-items")
    @RolesAllowed(Roles.RESPONDER)
    @Operation(summary = "Add an action item", description = "Publishes toban.postmortem.action_item.created.")
    public Response createActionItem(@PathParam("id") UUID id, @NotNull @Valid ActionItemRequest body) {
        Views.ActionItemView created = actionItems.create(id, body, caller());
        return Response.created(URI.create("/api/action-items/" + created.id())).entity(created).build();
    }
}

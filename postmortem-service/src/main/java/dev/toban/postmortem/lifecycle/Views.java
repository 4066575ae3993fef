package dev.toban.postmortem.lifecycle;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonUnwrapped;
import dev.toban.contracts.Actor;
import dev.toban.contracts.PersonRef;
import dev.toban.contracts.TeamRef;
import dev.toban.postmortem.model.ActionItemStatus;
import dev.toban.postmortem.model.Decision;
import dev.toban.postmortem.model.MeetingStatus;
import dev.toban.postmortem.model.ParticipantSource;
import dev.toban.postmortem.model.PostmortemState;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.UUID;

/** What the API returns and the events carry. */
public final class Views {

    private Views() {
    }

    /** An invitee as the events show them. */
    public record Attendee(String name, String email) {
    }

    /** docs/events.md: {@code meeting} of a PostmortemSnapshot. */
    public record MeetingView(UUID id, Instant start, Instant end, String timeZone, String uid, int sequence,
                              List<Attendee> attendees, String location, MeetingStatus status, Attendee organizer) {
    }

    public record SlackThread(String channel, String ts) {
    }

    /**
     * docs/events.md: PostmortemSnapshot. The fields after {@code url} were added by this service
     * (consumers ignore fields they do not know).
     */
    @JsonInclude(JsonInclude.Include.ALWAYS)
    public record PostmortemSnapshot(
            UUID id,
            UUID incidentId,
            Integer incidentNumber,
            String title,
            String severity,
            PostmortemState state,
            boolean required,
            Instant decisionDueAt,
            Decision decision,
            String skipReason,
            MeetingView meeting,
            TeamRef owningTeam,
            SlackThread slackThread,
            String url,
            String incidentTitle,
            String incidentState,
            boolean incidentReopened,
            String incidentUrl,
            PersonRef commander,
            String timeZone,
            String decidedBy,
            Instant decidedAt,
            Instant heldAt,
            Instant publishedAt,
            Instant createdAt,
            Instant updatedAt,
            long version) {
    }

    /** The three parts of downtime from the talk, and their sum, in seconds; null when a time is unknown. */
    public record Downtime(Long timeToDetectSeconds, Long timeToAssignSeconds, Long timeToMitigateSeconds,
                           Long totalSeconds) {
    }

    public record ParticipantView(UUID id, UUID personId, String username, String name, String email,
                                  ParticipantSource source, boolean removed) {
    }

    /** GET /api/postmortems/{id}: the snapshot plus downtime, participants and what the caller may do. */
    public record PostmortemDetail(@JsonUnwrapped PostmortemSnapshot postmortem, Downtime downtime,
                                   List<ParticipantView> participants, Permissions permissions) {
    }

    /** What the calling user may do with this postmortem, for clients that hide buttons. */
    public record Permissions(boolean edit, boolean organise, boolean skipRequired) {
    }

    public record ActionItemView(UUID id, UUID postmortemId, String title, String description, PersonRef owner,
                                 TeamRef team, LocalDate dueDate, ActionItemStatus status, String externalUrl,
                                 Instant exportedAt, Instant createdAt, Instant updatedAt, long version) {
    }

    /** docs/events.md: {@code actionItem} of the action-item events. */
    public record ActionItemRef(UUID id, UUID postmortemId, String title, PersonRef owner, TeamRef team,
                                LocalDate dueDate, ActionItemStatus status, String externalUrl) {
    }

    public record TimelineEntry(String id, Instant at, String kind, Actor actor, String message) {
    }

    public record DocumentView(UUID postmortemId, String language, String summary, String impact,
                               String contributingFactors, String wentWell, String wentPoorly, String gotLucky,
                               Downtime downtime, List<TimelineEntry> timeline, boolean timelineFromIncidentService,
                               Instant timelineFetchedAt, String updatedBy, Instant updatedAt, long version) {
    }
}

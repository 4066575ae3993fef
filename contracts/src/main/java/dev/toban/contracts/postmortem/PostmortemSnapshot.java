package dev.toban.contracts.postmortem;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import dev.toban.contracts.PersonRef;
import dev.toban.contracts.TeamRef;
import io.quarkus.runtime.annotations.RegisterForReflection;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * The postmortem after a change: the {@code postmortem} of every toban.postmortem.* event (docs/events.md,
 * PostmortemSnapshot). {@code state} pending_decision, scheduled, held, published or skipped; {@code decision}
 * hold, skip or null. The fields from {@code incidentTitle} on were added by postmortem-service.
 */
@RegisterForReflection
@JsonIgnoreProperties(ignoreUnknown = true)
public record PostmortemSnapshot(
        UUID id,
        UUID incidentId,
        Integer incidentNumber,
        String title,
        String severity,
        String state,
        boolean required,
        Instant decisionDueAt,
        String decision,
        String skipReason,
        Meeting meeting,
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

    /** The incident thread, as notify-service announced it to incident-service. */
    @RegisterForReflection
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record SlackThread(String channel, String ts) {
    }

    /**
     * The postmortem meeting: {@code uid} the iCalendar UID, {@code sequence} its SEQUENCE, {@code status}
     * scheduled, held or cancelled.
     */
    @RegisterForReflection
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Meeting(UUID id, Instant start, Instant end, String timeZone, String uid, int sequence,
                          List<Attendee> attendees, String location, String status, Attendee organizer) {
    }

    @RegisterForReflection
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Attendee(String name, String email) {
    }
}

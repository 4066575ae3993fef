package dev.toban.incident.service;

import dev.toban.incident.model.IncidentSource;
import dev.toban.incident.model.IncidentState;
import dev.toban.incident.model.Severity;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** The incident as it is after a change: the {@code incident} of every toban.incident.* event (docs/events.md). */
public record IncidentSnapshot(
        UUID id,
        long number,
        String title,
        Severity severity,
        IncidentState state,
        String impact,
        IncidentSource source,
        ServiceRef service,
        TeamRef owningTeam,
        List<TeamRef> assignedTeams,
        PersonRef commander,
        PersonRef liaison,
        List<PersonRef> responders,
        String warRoomUrl,
        SlackThread slackThread,
        String url,
        Instant problemStartedAt,
        Instant createdAt,
        Instant acknowledgedAt,
        Instant assignedAt,
        Instant mitigatedAt,
        Instant resolvedAt,
        Instant closedAt,
        long version) {

    /** The technical service, with what a responder needs first: the runbook and the channel. */
    public record ServiceRef(UUID id, String name, String runbookUrl, String slackChannel) {
    }

    /** notify-service's parent message of the incident thread; {@code permalink} is added to the contract. */
    public record SlackThread(String channel, String ts, String permalink) {
    }
}

package dev.toban.postmortem.service;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/** The parts of incident-service's IncidentSnapshot (docs/events.md) this service uses. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record IncidentSnapshot(
        UUID id,
        Integer number,
        String title,
        String severity,
        String state,
        String impact,
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
        Long version) {

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record ServiceRef(UUID id, String name, String runbookUrl, String slackChannel) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record SlackThread(String channel, String ts) {
    }

    public List<TeamRef> assignedTeamsOrEmpty() {
        return assignedTeams == null ? List.of() : assignedTeams;
    }

    public List<PersonRef> respondersOrEmpty() {
        return responders == null ? List.of() : responders;
    }

    /** Everyone with a role in the incident: commander, liaison, responders. */
    public List<PersonRef> people() {
        List<PersonRef> people = new ArrayList<>();
        if (commander != null) {
            people.add(commander);
        }
        if (liaison != null) {
            people.add(liaison);
        }
        people.addAll(respondersOrEmpty());
        return people;
    }

    /** Whether {@code username} held a role in the incident. */
    public boolean involves(String username) {
        return username != null && people().stream().anyMatch(p -> username.equals(p.username()));
    }
}

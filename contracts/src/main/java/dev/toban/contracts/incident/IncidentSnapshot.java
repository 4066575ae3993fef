package dev.toban.contracts.incident;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import dev.toban.contracts.PersonRef;
import dev.toban.contracts.TeamRef;
import io.quarkus.runtime.annotations.RegisterForReflection;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * The incident as it is after a change: the {@code incident} of every toban.incident.* event (docs/events.md,
 * IncidentSnapshot) and the body of incident-service's {@code GET /api/incidents/{id}}.
 */
@RegisterForReflection
@JsonIgnoreProperties(ignoreUnknown = true)
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

    @JsonIgnore
    public List<TeamRef> assignedTeamsOrEmpty() {
        return assignedTeams == null ? List.of() : assignedTeams;
    }

    @JsonIgnore
    public List<PersonRef> respondersOrEmpty() {
        return responders == null ? List.of() : responders;
    }

    /** Everyone with a role in the incident: commander, liaison, responders. */
    @JsonIgnore
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

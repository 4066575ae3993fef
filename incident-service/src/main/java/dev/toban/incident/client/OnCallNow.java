package dev.toban.incident.client;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * One schedule of oncall-service's {@code GET /api/oncall/now} (docs/architecture.md, Contracts): who is on call in
 * it now and until when. incident-service reads only these fields.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record OnCallNow(Schedule schedule, Team team, List<Shift> onCall, Instant nextHandoff) {

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Schedule(UUID id, String name, String role, String timeZone) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Team(UUID id, String name) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Shift(Person person, Instant since, Instant until) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Person(UUID id, String name, String slackUserId) {
    }

    public List<Shift> onCallOrEmpty() {
        return onCall == null ? List.of() : onCall;
    }
}

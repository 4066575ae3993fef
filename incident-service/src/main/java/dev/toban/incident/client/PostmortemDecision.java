package dev.toban.incident.client;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.UUID;

/**
 * {@code POST /api/postmortems/{id}/decision} as the Slack app sends it: {@code decision} ({@code hold} or
 * {@code skip}), the skip's {@code reason}, and {@code onBehalfOf}, the person who decided in Slack (matched by
 * incident-service; their realm roles as oncall-service mirrors them), whom postmortem-service checks and records
 * instead of the calling service.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record PostmortemDecision(String decision, String reason, OnBehalfOf onBehalfOf) {

    public record OnBehalfOf(String username, UUID personId, String name, List<String> roles) {
    }
}

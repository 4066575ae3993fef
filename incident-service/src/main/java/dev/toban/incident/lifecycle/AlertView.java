package dev.toban.incident.lifecycle;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import dev.toban.incident.model.Alert;
import java.time.Instant;
import java.util.UUID;

/** An alert of an incident, as {@code GET /api/incidents/{id}} shows it. */
public record AlertView(
        UUID id,
        String kind,
        String status,
        String dedupKey,
        String summary,
        String severity,
        String source,
        String component,
        String group,
        @JsonProperty("class") String alertClass,
        String client,
        String clientUrl,
        JsonNode customDetails,
        JsonNode links,
        JsonNode images,
        JsonNode labels,
        JsonNode annotations,
        String generatorUrl,
        Instant startedAt,
        Instant createdAt,
        Instant lastEventAt,
        int eventCount,
        Instant acknowledgedAt,
        Instant resolvedAt,
        boolean grouped) {

    public static AlertView of(Alert a) {
        return new AlertView(a.id, a.kind, a.status, a.dedupKey, a.summary, a.severity, a.source, a.component, a.group,
                a.alertClass, a.client, a.clientUrl, a.customDetails, a.links, a.images, a.labels, a.annotations,
                a.generatorUrl, a.startedAt, a.createdAt, a.lastEventAt, a.eventCount, a.acknowledgedAt, a.resolvedAt,
                a.grouped);
    }
}

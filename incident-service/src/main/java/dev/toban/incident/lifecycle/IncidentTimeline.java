package dev.toban.incident.lifecycle;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.toban.contracts.Actor;
import dev.toban.incident.model.TimelineEntry;
import dev.toban.incident.model.TimelineRepository;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** Writes and reads incident timelines. Every change writes its line in the same transaction. */
@ApplicationScoped
public class IncidentTimeline {

    private final TimelineRepository entries;
    private final ObjectMapper mapper;

    public IncidentTimeline(TimelineRepository entries, ObjectMapper mapper) {
        this.entries = entries;
        this.mapper = mapper;
    }

    /** One line of {@code GET /api/incidents/{id}/timeline}. */
    public record Entry(UUID id, Instant at, String kind, JsonNode actor, String message, JsonNode data) {
    }

    @Transactional(Transactional.TxType.MANDATORY)
    public void add(UUID incidentId, String kind, Actor actor, String message, Object data) {
        add(incidentId, Instant.now(), kind, actor, message, data);
    }

    /** A line about something that happened at {@code at} elsewhere (a delivery reported by notify-service). */
    @Transactional(Transactional.TxType.MANDATORY)
    public void add(UUID incidentId, Instant at, String kind, Actor actor, String message, Object data) {
        TimelineEntry entry = new TimelineEntry();
        entry.id = UUID.randomUUID();
        entry.incidentId = incidentId;
        entry.at = at;
        entry.kind = kind;
        entry.actor = mapper.valueToTree(actor);
        entry.message = message;
        entry.data = data == null ? null : mapper.valueToTree(data);
        entries.persist(entry);
    }

    public List<Entry> list(UUID incidentId) {
        return entries.forIncident(incidentId).stream()
                .map(e -> new Entry(e.id, e.at, e.kind, e.actor, e.message, e.data))
                .toList();
    }
}

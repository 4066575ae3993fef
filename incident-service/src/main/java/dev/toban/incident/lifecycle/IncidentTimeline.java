package dev.toban.incident.lifecycle;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.toban.contracts.Actor;
import dev.toban.incident.model.Sql;
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
    private final Sql sql;

    public IncidentTimeline(TimelineRepository entries, ObjectMapper mapper, Sql sql) {
        this.entries = entries;
        this.mapper = mapper;
        this.sql = sql;
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
        // inserted at once rather than persisted: a managed entry (two JSON columns) would be copied and
        // dirty-checked by every later flush of the transaction. Only this method writes timeline_entry, and
        // incident rows are inserted by native SQL, so no pending entity change has to be flushed first.
        sql.updateUnflushed("""
                insert into timeline_entry (id, incident_id, at, kind, actor, message, data)
                values (?, ?, ?, ?, cast(? as jsonb), ?, cast(? as jsonb))""",
                UUID.randomUUID(), incidentId, at, kind, json(actor), message, json(data));
    }

    private String json(Object value) {
        try {
            return value == null ? null : mapper.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    public List<Entry> list(UUID incidentId) {
        return entries.forIncident(incidentId).stream()
                .map(e -> new Entry(e.id, e.at, e.kind, e.actor, e.message, e.data))
                .toList();
    }
}

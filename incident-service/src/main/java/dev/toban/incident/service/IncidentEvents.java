package dev.toban.incident.service;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.toban.incident.model.Alert;
import dev.toban.incident.model.AlertRepository;
import dev.toban.incident.model.Incident;
import dev.toban.plumbing.outbox.Outbox;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes toban.incident.* events into the outbox, in the transaction of the change (docs/events.md).
 * {@code triggered} is always an incident's first event: any other event of an incident that was not
 * announced yet (its IC lookup still running) announces it first.
 */
@ApplicationScoped
public class IncidentEvents {

    public static final String TRIGGERED = "toban.incident.triggered";
    public static final String ACKNOWLEDGED = "toban.incident.acknowledged";
    public static final String ESCALATED = "toban.incident.escalated";
    public static final String ASSIGNED = "toban.incident.assigned";
    public static final String ROLE_CHANGED = "toban.incident.role_changed";
    public static final String STATUS_UPDATED = "toban.incident.status_updated";
    public static final String MITIGATED = "toban.incident.mitigated";
    public static final String RESOLVED = "toban.incident.resolved";
    public static final String CLOSED = "toban.incident.closed";
    public static final String REOPENED = "toban.incident.reopened";
    public static final String UPDATE_OVERDUE = "toban.incident.update_overdue";
    public static final String UPDATED = "toban.incident.updated";
    public static final String CHANGE_RECEIVED = "toban.incident.change_received";
    /** A roll-up of alerts grouped into the incident (at most one a minute per incident). */
    public static final String ALERTS_GROUPED = "toban.incident.alerts_grouped";
    /** Every alert of a grouped incident has resolved; the incident stays open (the IC decides). */
    public static final String ALERTS_RESOLVED = "toban.incident.alerts_resolved";

    private final Outbox outbox;
    private final SnapshotService snapshots;
    private final AlertRepository alerts;
    private final EntityManager em;
    private final ObjectMapper mapper;

    public IncidentEvents(Outbox outbox, SnapshotService snapshots, AlertRepository alerts, EntityManager em,
                          ObjectMapper mapper) {
        this.outbox = outbox;
        this.snapshots = snapshots;
        this.alerts = alerts;
        this.em = em;
        this.mapper = mapper;
    }

    /** Publishes {@code type} with the incident as it is now, the actor and the type's extra fields. */
    @Transactional(Transactional.TxType.MANDATORY)
    public void publish(String type, Incident incident, Actor actor, Map<String, Object> extras) {
        if (incident.announcedAt == null && !TRIGGERED.equals(type)) {
            announce(incident, List.of());
        }
        write(type, incident, actor, extras);
    }

    /** Publishes {@code toban.incident.triggered} with the first alert and whom to page at level 1. */
    @Transactional(Transactional.TxType.MANDATORY)
    public void announce(Incident incident, List<PersonRef> pageTargets) {
        incident.announcedAt = Instant.now();
        Map<String, Object> extras = new LinkedHashMap<>();
        extras.put("alert", alerts.first(incident.id).map(IncidentEvents::alertSummary).orElse(null));
        extras.put("page", Map.of("level", 1, "targets", pageTargets));
        write(TRIGGERED, incident, creator(incident), extras);
    }

    private void write(String type, Incident incident, Actor actor, Map<String, Object> extras) {
        em.flush(); // the snapshot carries the version after this change
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("incident", snapshots.of(incident));
        data.put("actor", actor);
        data.putAll(extras);
        outbox.publish(type, incident.id.toString(), data);
    }

    /** The {@code alert} of a triggered event: {summary, source, severity, dedupKey, component, links}. */
    static Map<String, Object> alertSummary(Alert a) {
        Map<String, Object> alert = new LinkedHashMap<>();
        alert.put("summary", a.summary);
        alert.put("source", a.source);
        alert.put("severity", a.severity);
        alert.put("dedupKey", a.dedupKey);
        alert.put("component", a.component);
        alert.put("links", a.links == null ? List.of() : a.links);
        return alert;
    }

    private Actor creator(Incident incident) {
        JsonNode node = incident.createdBy;
        return node == null ? Actor.SYSTEM : mapper.convertValue(node, Actor.class);
    }
}

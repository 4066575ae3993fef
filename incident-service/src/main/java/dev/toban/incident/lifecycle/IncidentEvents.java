package dev.toban.incident.lifecycle;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.toban.contracts.Actor;
import dev.toban.contracts.EventType;
import dev.toban.contracts.PersonRef;
import dev.toban.contracts.incident.IncidentContracts.Acknowledged;
import dev.toban.contracts.incident.IncidentContracts.AlertSummary;
import dev.toban.contracts.incident.IncidentContracts.AlertsGrouped;
import dev.toban.contracts.incident.IncidentContracts.AlertsResolved;
import dev.toban.contracts.incident.IncidentContracts.Assigned;
import dev.toban.contracts.incident.IncidentContracts.ChangeReceived;
import dev.toban.contracts.incident.IncidentContracts.Escalated;
import dev.toban.contracts.incident.IncidentContracts.Noted;
import dev.toban.contracts.incident.IncidentContracts.Page;
import dev.toban.contracts.incident.IncidentContracts.Reopened;
import dev.toban.contracts.incident.IncidentContracts.RoleChanged;
import dev.toban.contracts.incident.IncidentContracts.StatusUpdated;
import dev.toban.contracts.incident.IncidentContracts.Triggered;
import dev.toban.contracts.incident.IncidentContracts.UpdateOverdue;
import dev.toban.contracts.incident.IncidentContracts.Updated;
import dev.toban.contracts.incident.IncidentContracts;
import dev.toban.contracts.incident.IncidentEventData;
import dev.toban.contracts.incident.IncidentSnapshot;
import dev.toban.incident.model.AlertRepository;
import dev.toban.incident.model.Incident;
import dev.toban.plumbing.outbox.Outbox;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.util.List;
import java.util.function.Function;

/**
 * Writes toban.incident.* events into the outbox, in the transaction of the change (docs/events.md).
 * {@code triggered} is always an incident's first event: any other event of an incident that was not
 * announced yet (its IC lookup still running) announces it first.
 */
@ApplicationScoped
public class IncidentEvents {

    // the types, as the contracts module defines them (docs/events.md); here so callers read IncidentEvents.X
    public static final EventType<Triggered> TRIGGERED = IncidentContracts.TRIGGERED;
    public static final EventType<Acknowledged> ACKNOWLEDGED = IncidentContracts.ACKNOWLEDGED;
    public static final EventType<Escalated> ESCALATED = IncidentContracts.ESCALATED;
    public static final EventType<Assigned> ASSIGNED = IncidentContracts.ASSIGNED;
    public static final EventType<RoleChanged> ROLE_CHANGED = IncidentContracts.ROLE_CHANGED;
    public static final EventType<StatusUpdated> STATUS_UPDATED = IncidentContracts.STATUS_UPDATED;
    public static final EventType<Noted> MITIGATED = IncidentContracts.MITIGATED;
    public static final EventType<Noted> RESOLVED = IncidentContracts.RESOLVED;
    public static final EventType<Noted> CLOSED = IncidentContracts.CLOSED;
    public static final EventType<Reopened> REOPENED = IncidentContracts.REOPENED;
    public static final EventType<UpdateOverdue> UPDATE_OVERDUE = IncidentContracts.UPDATE_OVERDUE;
    public static final EventType<Updated> UPDATED = IncidentContracts.UPDATED;
    public static final EventType<ChangeReceived> CHANGE_RECEIVED = IncidentContracts.CHANGE_RECEIVED;
    /** A roll-up of alerts grouped into the incident (at most one a minute per incident). */
    public static final EventType<AlertsGrouped> ALERTS_GROUPED = IncidentContracts.ALERTS_GROUPED;
    /** Every alert of a grouped incident has resolved; the incident stays open (the IC decides). */
    public static final EventType<AlertsResolved> ALERTS_RESOLVED = IncidentContracts.ALERTS_RESOLVED;

    private final Outbox outbox;
    private final IncidentSnapshots snapshots;
    private final AlertRepository alerts;
    private final EntityManager em;
    private final ObjectMapper mapper;

    public IncidentEvents(Outbox outbox, IncidentSnapshots snapshots, AlertRepository alerts, EntityManager em,
                          ObjectMapper mapper) {
        this.outbox = outbox;
        this.snapshots = snapshots;
        this.alerts = alerts;
        this.em = em;
        this.mapper = mapper;
    }

    /**
     * Publishes {@code type} with the incident as it is now: {@code data} builds the type's record around the
     * snapshot, which is taken after this change is flushed (so it carries the new version).
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public <T extends IncidentEventData> void publish(EventType<T> type, Incident incident,
                                                     Function<IncidentSnapshot, T> data) {
        if (incident.announcedAt == null && !TRIGGERED.equals(type)) {
            announce(incident, List.of());
        }
        write(type, incident, false, data);
    }

    /** Publishes {@code toban.incident.triggered} with the first alert and whom to page at level 1. */
    @Transactional(Transactional.TxType.MANDATORY)
    public void announce(Incident incident, List<PersonRef> pageTargets) {
        announce(incident, pageTargets, false, null);
    }

    /**
     * {@link #announce} by a caller that has not assigned a team or added a responder in its transaction (the IC
     * job): an incident not announced yet has neither, as both are only added with an event, which announces first.
     *
     * @param firstAlert the incident's only alert when the caller opened it in this transaction (the Events API's
     *                   hot path needs no query for what it has just written); null: read it
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public void announceUnstaffed(Incident incident, List<PersonRef> pageTargets, AlertSummary firstAlert) {
        announce(incident, pageTargets, true, firstAlert);
    }

    private void announce(Incident incident, List<PersonRef> pageTargets, boolean unstaffed, AlertSummary known) {
        incident.announcedAt = Instant.now();
        Actor actor = creator(incident);
        // the first alert is read after the flush (write), so its query needs none of its own
        write(TRIGGERED, incident, unstaffed, s -> new Triggered(s, actor, known != null ? known : firstAlert(incident),
                new Page(1, pageTargets)));
    }

    private <T extends IncidentEventData> void write(EventType<T> type, Incident incident, boolean unstaffed,
                                                    Function<IncidentSnapshot, T> data) {
        em.flush(); // the snapshot carries the version after this change
        IncidentSnapshot snapshot = unstaffed ? snapshots.ofUnstaffed(incident) : snapshots.ofFlushed(incident);
        outbox.publish(type, incident.id.toString(), data.apply(snapshot));
    }

    /** The {@code alert} of a triggered event: {summary, source, severity, dedupKey, component, links}. */
    private AlertSummary firstAlert(Incident incident) {
        return alerts.firstSummary(incident.id).map(a -> alertSummary((String) a[0], (String) a[1], (String) a[2],
                (String) a[3], (String) a[4], (JsonNode) a[5])).orElse(null);
    }

    /** A {@code triggered.alert}; no links (null or JSON null) are an empty array. */
    public static AlertSummary alertSummary(String summary, String source, String severity, String dedupKey,
                                            String component, JsonNode links) {
        return new AlertSummary(summary, source, severity, dedupKey, component,
                links == null || links.isNull() ? JsonNodeFactory.instance.arrayNode() : links);
    }

    private Actor creator(Incident incident) {
        JsonNode node = incident.createdBy;
        return node == null ? Actor.SYSTEM : mapper.convertValue(node, Actor.class);
    }
}

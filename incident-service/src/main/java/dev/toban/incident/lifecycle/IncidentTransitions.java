package dev.toban.incident.lifecycle;

import static dev.toban.incident.lifecycle.IncidentChecks.blankToNull;

import dev.toban.contracts.Actor;
import dev.toban.contracts.incident.IncidentContracts.Acknowledged;
import dev.toban.contracts.incident.IncidentContracts.Noted;
import dev.toban.contracts.incident.IncidentContracts.Reopened;
import dev.toban.contracts.incident.IncidentSnapshot;
import dev.toban.contracts.incident.IncidentSource;
import dev.toban.contracts.incident.IncidentState;
import dev.toban.contracts.incident.Severity;
import dev.toban.incident.directory.ActorService;
import dev.toban.incident.downtime.DowntimeMetrics;
import dev.toban.incident.escalation.EscalationService;
import dev.toban.incident.model.Incident;
import dev.toban.incident.model.IncidentRepository;
import dev.toban.incident.model.Sql;
import dev.toban.incident.model.TechnicalService;
import dev.toban.incident.model.TechnicalServiceRepository;
import dev.toban.plumbing.input.SingleLine;
import dev.toban.plumbing.problem.ProblemException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The incident's state machine: declared by hand, then acknowledged, mitigated, resolved, closed (the response
 * disbanded) and reopened. Each command locks the incident row, checks everything, changes it, writes the
 * timeline line and the event in one transaction. Ingestion, heartbeats and page answers use the
 * {@code MANDATORY} variants inside their own transaction.
 */
@ApplicationScoped
public class IncidentTransitions {

    private final IncidentRepository incidents;
    private final TechnicalServiceRepository services;
    private final IncidentTimeline timeline;
    private final IncidentEvents events;
    private final EscalationService escalation;
    private final IncidentSnapshots snapshots;
    private final DowntimeMetrics metrics;
    private final CadencePolicy cadence;
    private final CadenceService overdue;
    private final IncidentOpener opener;
    private final ActorService actors;
    private final IncidentChecks checks;
    private final Sql sql;

    public IncidentTransitions(IncidentRepository incidents, TechnicalServiceRepository services,
                               IncidentTimeline timeline, IncidentEvents events, EscalationService escalation,
                               IncidentSnapshots snapshots, DowntimeMetrics metrics, CadencePolicy cadence,
                               CadenceService overdue,
                               IncidentOpener opener, ActorService actors, IncidentChecks checks, Sql sql) {
        this.incidents = incidents;
        this.services = services;
        this.timeline = timeline;
        this.events = events;
        this.escalation = escalation;
        this.snapshots = snapshots;
        this.metrics = metrics;
        this.cadence = cadence;
        this.overdue = overdue;
        this.opener = opener;
        this.actors = actors;
        this.checks = checks;
        this.sql = sql;
    }

    public record DeclareRequest(
            @NotNull UUID serviceId,
            @NotBlank @SingleLine @Size(max = 1024) String title,
            @NotNull Severity severity,
            @Size(max = 4000) String impact) {
    }

    public record NoteRequest(@Size(max = 4000) String note) {
    }

    public record ReopenRequest(@NotBlank @Size(max = 4000) String reason) {
    }

    // ------------------------------------------------------------------ opening by hand

    @Transactional
    public IncidentSnapshot declare(DeclareRequest request) {
        TechnicalService service = services.findByIdOptional(request.serviceId())
                .orElseThrow(() -> ProblemException.invalid("serviceId", "is not a service of the catalog"));
        Actor actor = actors.current();
        IncidentOpener.Opened opened = opener.open(new IncidentOpener.NewIncident(request.title().strip(),
                request.severity(), blankToNull(request.impact()), IncidentSource.MANUAL, service, null, null,
                null, actor));
        return snapshots.of(incidents.findById(opened.incidentId()));
    }

    // ------------------------------------------------------------------ lifecycle

    @Transactional
    public IncidentSnapshot acknowledge(UUID id) {
        Incident incident = checks.lock(id);
        if (incident.state != IncidentState.TRIGGERED) {
            throw ProblemException.conflict("state", "the incident is " + incident.state.wire()
                    + "; only a triggered incident can be acknowledged");
        }
        acknowledge(incident, actors.current());
        return snapshots.of(incident);
    }

    /** Acknowledges a triggered incident (API or an integration's acknowledge). */
    @Transactional(Transactional.TxType.MANDATORY)
    public void acknowledge(Incident incident, Actor actor) {
        acknowledge(incident, actor, null);
    }

    /**
     * Acknowledges a triggered incident; {@code via} names the channel a paged person answered through (sms,
     * voice, push, email...; notify-service's toban.notify.page.responded), kept in the timeline line's data.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public void acknowledge(Incident incident, Actor actor, String via) {
        Instant now = Instant.now();
        incident.state = IncidentState.ACKNOWLEDGED;
        markAcknowledged(incident, now);
        sql.update("update alert set status = 'acknowledged', acknowledged_at = ? where incident_id = ? and status = 'triggered'",
                now, incident.id);
        timeline.add(incident.id, "acknowledged", actor, actor.display() + " acknowledged the incident"
                + (via == null ? "" : " via " + via), via == null ? null : Map.of("via", via));
        events.publish(IncidentEvents.ACKNOWLEDGED, incident, s -> new Acknowledged(s, actor));
    }

    @Transactional
    public IncidentSnapshot mitigate(UUID id, NoteRequest body) {
        Incident incident = checks.lock(id);
        if (incident.state != IncidentState.TRIGGERED && incident.state != IncidentState.ACKNOWLEDGED) {
            throw ProblemException.conflict("state", "the incident is " + incident.state.wire()
                    + "; only a triggered or acknowledged incident can be mitigated");
        }
        Actor actor = actors.current();
        Instant now = Instant.now();
        String note = note(body);
        incident.state = IncidentState.MITIGATED;
        markAcknowledged(incident, now);
        incident.mitigatedAt = now;
        metrics.recordAfterCommit(DowntimeMetrics.Figure.MITIGATE, incident, incident.acknowledgedAt, now);
        timeline.add(incident.id, "mitigated", actor, actor.display() + " mitigated the incident (暫定復旧)"
                + (note == null ? "" : ": " + note), note == null ? null : Map.of("note", note));
        events.publish(IncidentEvents.MITIGATED, incident, s -> new Noted(s, actor, note));
        return snapshots.of(incident);
    }

    @Transactional
    public IncidentSnapshot resolve(UUID id, NoteRequest body) {
        Incident incident = checks.lock(id);
        if (!incident.state.isOpen()) {
            throw ProblemException.conflict("state", "the incident is already " + incident.state.wire());
        }
        resolve(incident, actors.current(), note(body));
        return snapshots.of(incident);
    }

    /** Resolves an open incident and its alerts (API, or all alerts resolved by their sources). */
    @Transactional(Transactional.TxType.MANDATORY)
    public void resolve(Incident incident, Actor actor, String note) {
        Instant now = Instant.now();
        incident.state = IncidentState.RESOLVED;
        markAcknowledged(incident, now);
        if (incident.mitigatedAt == null) { // resolution implies mitigation
            incident.mitigatedAt = now;
            metrics.recordAfterCommit(DowntimeMetrics.Figure.MITIGATE, incident, incident.acknowledgedAt, now);
        }
        incident.resolvedAt = now;
        incident.nextUpdateDueAt = null;
        metrics.recordAfterCommit(DowntimeMetrics.Figure.RESOLVE, incident, incident.createdAt, now);
        sql.update("update alert set status = 'resolved', resolved_at = ? where incident_id = ? and status <> 'resolved'",
                now, incident.id);
        sql.update("delete from commander_job where incident_id = ?", incident.id);
        timeline.add(incident.id, "resolved", actor, actor.display() + " resolved the incident"
                + (note == null ? "" : ": " + note), note == null ? null : Map.of("note", note));
        events.publish(IncidentEvents.RESOLVED, incident, s -> new Noted(s, actor, note));
    }

    @Transactional
    public IncidentSnapshot close(UUID id, NoteRequest body) {
        Incident incident = checks.lock(id);
        if (incident.state != IncidentState.RESOLVED) {
            throw ProblemException.conflict("state", "the incident is " + incident.state.wire()
                    + "; resolve it before declaring the response disbanded");
        }
        checks.requireCommanderOrAdmin(incident, "declare the response disbanded");
        Actor actor = actors.current();
        String note = note(body);
        incident.state = IncidentState.CLOSED;
        incident.closedAt = Instant.now();
        timeline.add(incident.id, "closed", actor, actor.display() + " declared the response disbanded"
                + (note == null ? "" : ": " + note), note == null ? null : Map.of("note", note));
        events.publish(IncidentEvents.CLOSED, incident, s -> new Noted(s, actor, note));
        return snapshots.of(incident);
    }

    @Transactional
    public IncidentSnapshot reopen(UUID id, ReopenRequest body) {
        Incident incident = checks.lock(id);
        if (incident.state != IncidentState.RESOLVED && incident.state != IncidentState.CLOSED) {
            throw ProblemException.conflict("state", "the incident is " + incident.state.wire()
                    + "; only a resolved or closed incident can be reopened");
        }
        // an archived service has no open incidents (share lock: an archive running now waits, then sees this one)
        List<Sql.Row> service = sql.query("select name, archived_at from technical_service where id = ? for share",
                incident.serviceId);
        if (!service.isEmpty() && service.get(0).instant(1) != null) {
            throw ProblemException.conflict("serviceId", "the incident's service " + service.get(0).string(0)
                    + " is archived; an admin must unarchive it before the incident can be reopened");
        }
        if (incident.dedupKey != null && !sql.query("""
                select 1 from incident where integration_key_id = ? and dedup_key = ? and id <> ?
                  and state in ('triggered', 'acknowledged', 'mitigated')""",
                incident.integrationKeyId, incident.dedupKey, incident.id).isEmpty()) {
            throw ProblemException.conflict("state", "another open incident has the same dedup key; work on that one");
        }
        // alert grouping: the reopened incident keeps its group key unless another open incident took it meanwhile
        sql.update("""
                update incident set group_key = null where id = ? and group_key is not null and exists (
                    select 1 from incident o where o.service_id = incident.service_id and o.group_key = incident.group_key
                      and o.id <> incident.id and o.state in ('triggered', 'acknowledged', 'mitigated'))""", incident.id);
        Actor actor = actors.current();
        Instant now = Instant.now();
        incident.state = IncidentState.ACKNOWLEDGED; // whoever reopens is on it
        incident.mitigatedAt = null;
        incident.resolvedAt = null;
        incident.closedAt = null;
        incident.nextUpdateDueAt = overdue.watch(cadence.firstDue(incident.severity, now));
        String reason = body.reason().strip();
        timeline.add(incident.id, "reopened", actor, actor.display() + " reopened the incident: " + reason,
                Map.of("reason", reason));
        events.publish(IncidentEvents.REOPENED, incident, s -> new Reopened(s, actor, reason));
        return snapshots.of(incident);
    }

    // ------------------------------------------------------------------ helpers

    /** Acknowledgement is implied by every later state: sets it once and stops the escalation. */
    private void markAcknowledged(Incident incident, Instant now) {
        if (incident.acknowledgedAt == null) {
            incident.acknowledgedAt = now;
            // time to assign ends when the IC acknowledges (docs/architecture.md, Downtime)
            metrics.recordAfterCommit(DowntimeMetrics.Figure.ASSIGN, incident, incident.createdAt, now);
        }
        escalation.cancel(incident.id);
    }

    private static String note(NoteRequest body) {
        return body == null ? null : blankToNull(body.note());
    }
}

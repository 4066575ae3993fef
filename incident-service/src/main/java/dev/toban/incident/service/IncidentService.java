package dev.toban.incident.service;

import dev.toban.contracts.Actor;
import dev.toban.contracts.PersonRef;
import dev.toban.contracts.TeamRef;
import dev.toban.contracts.incident.IncidentContracts.Acknowledged;
import dev.toban.contracts.incident.IncidentContracts.Assigned;
import dev.toban.contracts.incident.IncidentContracts.Change;
import dev.toban.contracts.incident.IncidentContracts.Noted;
import dev.toban.contracts.incident.IncidentContracts.Reopened;
import dev.toban.contracts.incident.IncidentContracts.RoleChanged;
import dev.toban.contracts.incident.IncidentContracts.StatusUpdated;
import dev.toban.contracts.incident.IncidentContracts.Updated;
import dev.toban.contracts.incident.IncidentSnapshot;
import dev.toban.contracts.incident.IncidentSource;
import dev.toban.contracts.incident.IncidentState;
import dev.toban.contracts.incident.Severity;
import dev.toban.incident.model.AlertRepository;
import dev.toban.incident.model.Incident;
import dev.toban.incident.model.IncidentRepository;
import dev.toban.incident.model.IncidentResponder;
import dev.toban.incident.model.IncidentResponderRepository;
import dev.toban.incident.model.IncidentTeam;
import dev.toban.incident.model.IncidentTeamRepository;
import dev.toban.incident.model.Person;
import dev.toban.incident.model.Sql;
import dev.toban.incident.model.TechnicalService;
import dev.toban.incident.model.TechnicalServiceRepository;
import dev.toban.plumbing.input.SingleLine;
import dev.toban.plumbing.problem.ProblemException;
import io.quarkus.panache.common.Page;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * The incident lifecycle and roles. Each command locks the incident row, checks everything, changes
 * it, writes the timeline line and the event in one transaction.
 */
@ApplicationScoped
public class IncidentService {

    private final IncidentRepository incidents;
    private final AlertRepository alerts;
    private final IncidentTeamRepository incidentTeams;
    private final IncidentResponderRepository responders;
    private final TechnicalServiceRepository services;
    private final PeopleDirectoryService people;
    private final TeamDirectoryService teams;
    private final TimelineService timeline;
    private final IncidentEvents events;
    private final EscalationService escalation;
    private final SnapshotService snapshots;
    private final DowntimeMetrics metrics;
    private final CadencePolicy cadence;
    private final IncidentOpener opener;
    private final ActorService actors;
    private final Sql sql;

    public IncidentService(IncidentRepository incidents, AlertRepository alerts, IncidentTeamRepository incidentTeams,
                           IncidentResponderRepository responders, TechnicalServiceRepository services,
                           PeopleDirectoryService people, TeamDirectoryService teams, TimelineService timeline,
                           IncidentEvents events, EscalationService escalation, SnapshotService snapshots,
                           DowntimeMetrics metrics, CadencePolicy cadence, IncidentOpener opener, ActorService actors,
                           Sql sql) {
        this.incidents = incidents;
        this.alerts = alerts;
        this.incidentTeams = incidentTeams;
        this.responders = responders;
        this.services = services;
        this.people = people;
        this.teams = teams;
        this.timeline = timeline;
        this.events = events;
        this.escalation = escalation;
        this.snapshots = snapshots;
        this.metrics = metrics;
        this.cadence = cadence;
        this.opener = opener;
        this.actors = actors;
        this.sql = sql;
    }

    // ------------------------------------------------------------------ requests

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

    /**
     * What PATCH changes; a null field stays as it is. {@code warRoomUrl} (added in issue 16) sets the incident's
     * war-room link (an http(s) URL).
     */
    public record UpdateRequest(@SingleLine @Size(min = 1, max = 1024) String title, Severity severity,
                                @Size(max = 4000) String impact,
                                @SingleLine @Size(max = 2000)
                                @Pattern(regexp = "^https?://[^\\s/]+\\S*$", message = "must be an http(s) URL")
                                String warRoomUrl) {

        public UpdateRequest(String title, Severity severity, String impact) {
            this(title, severity, impact, null);
        }
    }

    /** A person by id or by username; for joining as responder, neither means "me". */
    public record PersonRequest(UUID personId, @SingleLine @Size(max = 100) String username) {
    }

    public record TeamAssignmentRequest(@NotNull UUID teamId, Boolean owning) {
    }

    /**
     * A status update. Optional (issue 17, the Slack modal's fields): {@code impact}, the business impact recorded
     * with it (blank or null: unchanged; the same "updated" timeline line and event as PATCH, in the same
     * transaction), and {@code nextUpdateInMinutes}, when the next update is due instead of the severity's cadence.
     */
    public record StatusUpdateRequest(@NotBlank @Size(max = 4000) String message, @Size(max = 4000) String impact,
                                      @Min(1) @Max(1440) Integer nextUpdateInMinutes) {

        public StatusUpdateRequest(String message) {
            this(message, null, null);
        }
    }

    public record SlackThreadRequest(@NotBlank @SingleLine @Size(max = 100) String channel,
                                     @NotBlank @SingleLine @Size(max = 50) String ts,
                                     @SingleLine @Size(max = 2000) String permalink) {
    }

    // ------------------------------------------------------------------ reads

    public List<IncidentSnapshot> list(String state, UUID serviceId, UUID teamId, int limit) {
        return filtered(state, null, serviceId, teamId).page(Page.ofSize(limit)).list().stream()
                .map(snapshots::of).toList();
    }

    /** The incident list page's filters; null fields do not filter. */
    public record PageFilter(String state, Severity severity, UUID serviceId, UUID teamId, UUID involving,
                             Instant from, Instant to) {
    }

    /**
     * One page of incidents for the incident list page, newest first: like {@link #list} plus severity, "mine"
     * ({@code involving}: the person is IC or a responder) and a creation period, and an offset. Returns up to
     * {@code size + 1} incidents so the caller knows whether a next page exists.
     */
    public List<IncidentSnapshot> page(PageFilter filter, int page, int size) {
        return filtered(filter).range(page * size, page * size + size).list().stream()
                .map(snapshots::of).toList();
    }

    private io.quarkus.hibernate.orm.panache.PanacheQuery<Incident> filtered(String state, Severity severity,
                                                                             UUID serviceId, UUID teamId) {
        return filtered(new PageFilter(state, severity, serviceId, teamId, null, null, null));
    }

    /** Incidents newest first, filtered by state ("open", "all" or one state), severity, service, team and more. */
    private io.quarkus.hibernate.orm.panache.PanacheQuery<Incident> filtered(PageFilter f) {
        String state = f.state();
        Severity severity = f.severity();
        UUID serviceId = f.serviceId();
        UUID teamId = f.teamId();
        StringBuilder query = new StringBuilder("1 = 1");
        List<Object> params = new ArrayList<>();
        if (state != null && !state.isBlank() && !"all".equals(state)) {
            if ("open".equals(state)) {
                query.append(" and state in ?").append(params.size() + 1);
                params.add(List.copyOf(IncidentState.OPEN));
            } else {
                IncidentState wanted;
                try {
                    wanted = IncidentState.of(state);
                } catch (IllegalArgumentException e) {
                    throw ProblemException.invalid("state",
                            "must be open, all, triggered, acknowledged, mitigated, resolved or closed");
                }
                query.append(" and state = ?").append(params.size() + 1);
                params.add(wanted);
            }
        }
        if (severity != null) {
            query.append(" and severity = ?").append(params.size() + 1);
            params.add(severity);
        }
        if (serviceId != null) {
            query.append(" and serviceId = ?").append(params.size() + 1);
            params.add(serviceId);
        }
        if (teamId != null) {
            query.append(" and owningTeamId = ?").append(params.size() + 1);
            params.add(teamId);
        }
        if (f.involving() != null) {
            int n = params.size() + 1;
            query.append(" and (commanderId = ?").append(n).append(" or id in (select r.incidentId from IncidentResponder r"
                    + " where r.personId = ?").append(n).append("))");
            params.add(f.involving());
        }
        if (f.from() != null) {
            query.append(" and createdAt >= ?").append(params.size() + 1);
            params.add(f.from());
        }
        if (f.to() != null) {
            query.append(" and createdAt < ?").append(params.size() + 1);
            params.add(f.to());
        }
        query.append(" order by number desc");
        return incidents.find(query.toString(), params.toArray());
    }

    /** The incident with this number (Slack's {@code /toban update #42}). */
    public Optional<UUID> idByNumber(long number) {
        return incidents.find("number", number).firstResultOptional().map(i -> i.id);
    }

    /**
     * The most recent open incident whose Slack thread is in this channel (its id, or its name with or without
     * {@code #}): what {@code /toban update} and {@code /toban status} mean without a number.
     */
    public Optional<UUID> openInSlackChannel(String channelId, String channelName) {
        if (channelId == null && channelName == null) {
            return Optional.empty();
        }
        String id = channelId == null ? "" : channelId;
        String name = channelName == null ? "" : channelName.startsWith("#") ? channelName : "#" + channelName;
        return incidents.find("state in ?1 and (slackChannel = ?2 or slackChannel = ?3) order by createdAt desc",
                List.copyOf(IncidentState.OPEN), id, name).firstResultOptional().map(i -> i.id);
    }

    /** When the next status update is due (null when none is expected), for the IC console's checklist. */
    public Instant nextStatusUpdateDue(UUID id) {
        return incidents.findByIdOptional(id).map(i -> i.nextUpdateDueAt).orElse(null);
    }

    /** Whether the incident has its IC yet, read afresh from the database (for a page that waits for it). */
    public boolean hasCommander(UUID id) {
        return io.quarkus.narayana.jta.QuarkusTransaction.requiringNew().call(() -> !sql.query(
                "select 1 from incident where id = ? and commander_id is not null", id).isEmpty());
    }

    /** What the IC console shows besides the snapshot: paging, the policy, the postmortem decision. */
    public record ConsoleFacts(Instant nextUpdateDueAt, UUID escalationPolicyId, Integer pageLevel, Integer pageRepeat,
                               UUID postmortemId, String postmortemState, String postmortemDecision,
                               Instant postmortemDecidedAt) {
    }

    public ConsoleFacts consoleFacts(UUID id) {
        Incident i = incidents.findByIdOptional(id).orElseThrow(() -> ProblemException.notFound("Incident", id));
        return new ConsoleFacts(i.nextUpdateDueAt, i.escalationPolicyId, i.pageLevel, i.pageRepeat, i.postmortemId,
                i.postmortemState, i.postmortemDecision, i.postmortemDecidedAt);
    }

    public IncidentDetails get(UUID id) {
        Incident incident = incidents.findByIdOptional(id).orElseThrow(() -> ProblemException.notFound("Incident", id));
        return new IncidentDetails(snapshots.of(incident), alerts.forIncident(id).stream().map(AlertView::of).toList());
    }

    public List<TimelineService.Entry> timeline(UUID id) {
        if (incidents.findById(id) == null) {
            throw ProblemException.notFound("Incident", id);
        }
        return timeline.list(id);
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
        Incident incident = lock(id);
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
        Incident incident = lock(id);
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
        Incident incident = lock(id);
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
        Incident incident = lock(id);
        if (incident.state != IncidentState.RESOLVED) {
            throw ProblemException.conflict("state", "the incident is " + incident.state.wire()
                    + "; resolve it before declaring the response disbanded");
        }
        requireCommanderOrAdmin(incident, "declare the response disbanded");
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
        Incident incident = lock(id);
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
        incident.nextUpdateDueAt = cadence.firstDue(incident.severity, now);
        String reason = body.reason().strip();
        timeline.add(incident.id, "reopened", actor, actor.display() + " reopened the incident: " + reason,
                Map.of("reason", reason));
        events.publish(IncidentEvents.REOPENED, incident, s -> new Reopened(s, actor, reason));
        return snapshots.of(incident);
    }

    @Transactional
    public IncidentSnapshot update(UUID id, UpdateRequest body) {
        if (body.title() == null && body.severity() == null && body.impact() == null && body.warRoomUrl() == null) {
            throw ProblemException.invalid("body", "name at least one of title, severity, impact, warRoomUrl");
        }
        Incident incident = lock(id);
        requireNotClosed(incident);
        Actor actor = actors.current();
        Map<String, Object> changes = new LinkedHashMap<>();
        if (body.title() != null && !body.title().isBlank() && !body.title().strip().equals(incident.title)) {
            changes.put("title", change(incident.title, body.title().strip()));
            incident.title = body.title().strip();
        }
        if (body.severity() != null && body.severity() != incident.severity) {
            changes.put("severity", change(incident.severity, body.severity()));
            incident.severity = body.severity();
            if (incident.state.isOpen()) {
                Instant base = incident.lastStatusUpdateAt == null ? incident.createdAt : incident.lastStatusUpdateAt;
                Instant due = cadence.firstDue(incident.severity, base);
                incident.nextUpdateDueAt = due == null || due.isAfter(Instant.now()) ? due : Instant.now();
            }
        }
        if (body.impact() != null && !Objects.equals(blankToNull(body.impact()), incident.impact)) {
            changes.put("impact", change(incident.impact, blankToNull(body.impact())));
            incident.impact = blankToNull(body.impact());
        }
        if (body.warRoomUrl() != null && !body.warRoomUrl().isBlank()
                && !body.warRoomUrl().strip().equals(incident.warRoomUrl)) {
            changes.put("warRoomUrl", change(incident.warRoomUrl, body.warRoomUrl().strip()));
            incident.warRoomUrl = body.warRoomUrl().strip();
        }
        if (!changes.isEmpty()) {
            timeline.add(incident.id, "updated", actor, actor.display() + " changed " + String.join(", ", changes.keySet()),
                    changes);
            events.publish(IncidentEvents.UPDATED, incident, s -> new Updated(s, actor, typed(changes)));
        }
        return snapshots.of(incident);
    }

    @Transactional
    public IncidentSnapshot postStatusUpdate(UUID id, StatusUpdateRequest body) {
        Incident incident = lock(id);
        requireNotClosed(incident);
        Actor actor = actors.current();
        Instant now = Instant.now();
        String message = body.message().strip();
        String impact = blankToNull(body.impact());
        if (impact != null && !impact.equals(incident.impact)) {
            Map<String, Object> changes = Map.of("impact", change(incident.impact, impact));
            incident.impact = impact;
            timeline.add(incident.id, "updated", actor, actor.display() + " changed impact", changes);
            events.publish(IncidentEvents.UPDATED, incident, s -> new Updated(s, actor, typed(changes)));
        }
        incident.lastStatusUpdateAt = now;
        if (!incident.state.isOpen()) {
            incident.nextUpdateDueAt = null;
        } else if (body.nextUpdateInMinutes() != null) {
            incident.nextUpdateDueAt = now.plus(Duration.ofMinutes(body.nextUpdateInMinutes()));
        } else {
            incident.nextUpdateDueAt = cadence.firstDue(incident.severity, now);
        }
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("message", message);
        if (incident.nextUpdateDueAt != null) {
            data.put("nextUpdateAt", incident.nextUpdateDueAt);
        }
        timeline.add(incident.id, "status_update", actor, message, data);
        events.publish(IncidentEvents.STATUS_UPDATED, incident,
                s -> new StatusUpdated(s, actor, message, incident.nextUpdateDueAt));
        return snapshots.of(incident);
    }

    // ------------------------------------------------------------------ paging by hand

    /**
     * "Escalate now": pages the next level of the incident's escalation policy at once (an open incident; the
     * IC wants more hands, or the on-call does not answer). Not transactional: whom to page is asked of
     * oncall-service first, outside any transaction ({@link EscalationService#pageNow}).
     */
    public IncidentSnapshot escalateNow(UUID id) {
        escalation.pageNow(id, true, actors.current());
        return snapshots.of(incidents.findById(id));
    }

    /** "Re-page": pages the level last paged again, everyone on call there. */
    public IncidentSnapshot repage(UUID id) {
        escalation.pageNow(id, false, actors.current());
        return snapshots.of(incidents.findById(id));
    }

    // ------------------------------------------------------------------ roles and teams

    @Transactional
    public IncidentSnapshot setCommander(UUID id, PersonRequest body) {
        Person person = person(body, false);
        Incident incident = lock(id);
        requireNotClosed(incident);
        requireCommanderOrAdmin(incident, "hand the Incident Commander role over");
        if (person.id.equals(incident.commanderId)) {
            return snapshots.of(incident);
        }
        Actor actor = actors.current();
        PersonRef previous = people.ref(incident.commanderId);
        PersonRef next = PeopleDirectoryService.refOf(person);
        incident.commanderId = person.id;
        sql.update("delete from commander_job where incident_id = ?", incident.id);
        timeline.add(incident.id, "role_changed", actor, previous == null
                        ? actor.display() + " made " + person.name + " the Incident Commander"
                        : actor.display() + " handed the Incident Commander role from " + CommanderAssignment.name(previous)
                        + " to " + person.name,
                roleData("commander", next, previous, "set"));
        events.publish(IncidentEvents.ROLE_CHANGED, incident,
                s -> new RoleChanged(s, actor, "commander", next, previous, "set"));
        return snapshots.of(incident);
    }

    @Transactional
    public IncidentSnapshot setLiaison(UUID id, PersonRequest body) {
        Person person = person(body, false);
        Incident incident = lock(id);
        requireNotClosed(incident);
        if (person.id.equals(incident.liaisonId)) {
            return snapshots.of(incident);
        }
        Actor actor = actors.current();
        PersonRef previous = people.ref(incident.liaisonId);
        PersonRef next = PeopleDirectoryService.refOf(person);
        incident.liaisonId = person.id;
        timeline.add(incident.id, "role_changed", actor, actor.display() + " made " + person.name
                + " the communications liaison", roleData("liaison", next, previous, "set"));
        events.publish(IncidentEvents.ROLE_CHANGED, incident,
                s -> new RoleChanged(s, actor, "liaison", next, previous, "set"));
        return snapshots.of(incident);
    }

    @Transactional
    public IncidentSnapshot removeLiaison(UUID id) {
        Incident incident = lock(id);
        requireNotClosed(incident);
        if (incident.liaisonId == null) {
            return snapshots.of(incident);
        }
        Actor actor = actors.current();
        PersonRef removed = people.ref(incident.liaisonId);
        incident.liaisonId = null;
        timeline.add(incident.id, "role_changed", actor, actor.display() + " removed "
                + CommanderAssignment.name(removed) + " as communications liaison", roleData("liaison", removed, null, "removed"));
        events.publish(IncidentEvents.ROLE_CHANGED, incident,
                s -> new RoleChanged(s, actor, "liaison", removed, null, "removed"));
        return snapshots.of(incident);
    }

    @Transactional
    public IncidentSnapshot addResponder(UUID id, PersonRequest body) {
        Person person = person(body, true);
        Incident incident = lock(id);
        requireNotClosed(incident);
        if (responders.find(incident.id, person.id).isPresent()) {
            return snapshots.of(incident);
        }
        Actor actor = actors.current();
        IncidentResponder responder = new IncidentResponder();
        responder.id = UUID.randomUUID();
        responder.incidentId = incident.id;
        responder.personId = person.id;
        responder.joinedAt = Instant.now();
        responders.persist(responder);
        PersonRef ref = PeopleDirectoryService.refOf(person);
        timeline.add(incident.id, "role_changed", actor, person.id.equals(actor.personId())
                ? person.name + " joined as responder" : actor.display() + " added " + person.name + " as responder",
                roleData("responder", ref, null, "added"));
        checkAssigned(incident, actor);
        events.publish(IncidentEvents.ROLE_CHANGED, incident,
                s -> new RoleChanged(s, actor, "responder", ref, null, "added"));
        return snapshots.of(incident);
    }

    @Transactional
    public IncidentSnapshot removeResponder(UUID id, UUID personId) {
        Incident incident = lock(id);
        requireNotClosed(incident);
        IncidentResponder responder = responders.find(incident.id, personId)
                .orElseThrow(() -> ProblemException.notFound("Responder", personId));
        Actor actor = actors.current();
        responders.delete(responder);
        PersonRef ref = people.ref(personId);
        timeline.add(incident.id, "role_changed", actor, actor.display() + " removed " + CommanderAssignment.name(ref)
                + " from the responders", roleData("responder", ref, null, "removed"));
        events.publish(IncidentEvents.ROLE_CHANGED, incident,
                s -> new RoleChanged(s, actor, "responder", ref, null, "removed"));
        return snapshots.of(incident);
    }

    @Transactional
    public IncidentSnapshot assignTeam(UUID id, TeamAssignmentRequest body) {
        if (!teams.exists(body.teamId())) {
            throw ProblemException.invalid("teamId", "is not a team known to Toban (oncall-service has not announced it)");
        }
        if (!teams.active(body.teamId())) {
            throw ProblemException.invalid("teamId", "is an archived team of oncall-service");
        }
        boolean owning = Boolean.TRUE.equals(body.owning());
        Incident incident = lock(id);
        requireNotClosed(incident);
        boolean alreadyAssigned = incidentTeams.assigned(incident.id, body.teamId());
        boolean owningChanges = owning && !body.teamId().equals(incident.owningTeamId);
        if (alreadyAssigned && !owningChanges) {
            return snapshots.of(incident);
        }
        Actor actor = actors.current();
        TeamRef team = teams.ref(body.teamId());
        if (owningChanges) {
            TeamRef previous = teams.ref(incident.owningTeamId);
            incident.owningTeamId = body.teamId();
            timeline.add(incident.id, "owning_team_changed", actor, actor.display() + " made " + team.name()
                            + " the owning team" + (previous == null ? "" : " (was " + previous.name() + ")"),
                    Map.of("team", team));
        }
        if (!alreadyAssigned) {
            IncidentTeam assignment = new IncidentTeam();
            assignment.id = UUID.randomUUID();
            assignment.incidentId = incident.id;
            assignment.teamId = body.teamId();
            assignment.assignedAt = Instant.now();
            incidentTeams.persist(assignment);
            timeline.add(incident.id, "team_assigned", actor, actor.display() + " assigned " + team.name(),
                    Map.of("team", team, "owning", body.teamId().equals(incident.owningTeamId)));
        }
        checkAssigned(incident, actor);
        events.publish(IncidentEvents.ASSIGNED, incident, s -> new Assigned(s, actor, team));
        return snapshots.of(incident);
    }

    // ------------------------------------------------------------------ Slack thread

    @Transactional
    public IncidentSnapshot setSlackThread(UUID id, SlackThreadRequest body) {
        Incident incident = lock(id);
        applySlackThread(incident, body.channel(), null, body.ts(), body.permalink(), actors.current());
        return snapshots.of(incident);
    }

    @Transactional(Transactional.TxType.MANDATORY)
    public void applySlackThread(Incident incident, String channel, String channelName, String ts, String permalink,
                                 Actor actor) {
        if (ts.equals(incident.slackTs) && channel.equals(incident.slackChannel)) {
            return;
        }
        // Bookkeeping, not a change anyone is told about: written past the entity so that its version,
        // which notify-service orders thread replies by, does not move without an event.
        sql.update("update incident set slack_channel = ?, slack_ts = ?, slack_permalink = ? where id = ?",
                channel, ts, permalink, incident.id);
        incidents.getEntityManager().refresh(incident);
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("channel", channel);
        if (channelName != null && !channelName.isBlank()) {
            data.put("channelName", channelName);
        }
        data.put("ts", ts);
        data.put("permalink", permalink);
        timeline.add(incident.id, "slack_thread", actor, "Slack thread started in " + channel, data);
    }

    // ------------------------------------------------------------------ helpers

    /**
     * Time to assign: the owning team is among the assigned teams and a member of it (per oncall-service's
     * team) has joined as responder. Set once, the first time both hold.
     */
    private void checkAssigned(Incident incident, Actor actor) {
        if (incident.assignedAt != null || incident.owningTeamId == null
                || !incidentTeams.assigned(incident.id, incident.owningTeamId)) {
            return;
        }
        boolean memberJoined = !sql.query("""
                select 1 from incident_responder r join team_member m on m.person_id = r.person_id
                where r.incident_id = ? and m.team_id = ? limit 1""", incident.id, incident.owningTeamId).isEmpty();
        if (!memberJoined) {
            return;
        }
        Instant now = Instant.now();
        incident.assignedAt = now;
        TeamRef team = teams.ref(incident.owningTeamId);
        timeline.add(incident.id, "owning_team_engaged", actor, team.name() + " is assigned and one of its engineers"
                + " has joined, " + Duration.between(incident.createdAt, now).toSeconds() + " s after the incident opened",
                Map.of("team", team));
    }

    /** Acknowledgement is implied by every later state: sets it once and stops the escalation. */
    private void markAcknowledged(Incident incident, Instant now) {
        if (incident.acknowledgedAt == null) {
            incident.acknowledgedAt = now;
            // time to assign ends when the IC acknowledges (docs/architecture.md, Downtime)
            metrics.recordAfterCommit(DowntimeMetrics.Figure.ASSIGN, incident, incident.createdAt, now);
        }
        escalation.cancel(incident.id);
    }

    private Incident lock(UUID id) {
        return incidents.lock(id).orElseThrow(() -> ProblemException.notFound("Incident", id));
    }

    private void requireNotClosed(Incident incident) {
        if (incident.state == IncidentState.CLOSED) {
            throw ProblemException.conflict("state", "the incident is closed; reopen it first");
        }
    }

    private void requireCommanderOrAdmin(Incident incident, String what) {
        if (incident.commanderId == null || actors.isAdmin()) {
            return;
        }
        boolean isCommander = actors.currentPerson().map(p -> p.id.equals(incident.commanderId)).orElse(false);
        if (!isCommander) {
            throw ProblemException.forbidden("Only the Incident Commander (" + CommanderAssignment.name(
                    people.ref(incident.commanderId)) + ") or an admin may " + what);
        }
    }

    /** The person a request names; with {@code selfIfEmpty}, the caller when it names nobody. */
    private Person person(PersonRequest body, boolean selfIfEmpty) {
        UUID id = body == null ? null : body.personId();
        String username = body == null ? null : blankToNull(body.username());
        if (id == null && username == null) {
            if (selfIfEmpty) {
                return actors.currentPerson().orElseThrow(() -> ProblemException.invalid("personId",
                        "is required: you (" + actors.username() + ") are not in the people directory"));
            }
            throw ProblemException.invalid("personId", "name a person by personId or username");
        }
        if (id != null) {
            return people.find(id).orElseThrow(() -> ProblemException.invalid("personId", "is not a known person"));
        }
        return people.byUsername(username).orElseThrow(() -> ProblemException.invalid("username", "is not a known person"));
    }

    /** The timeline's {from, to} changes as the event's: values as their wire strings (a severity's name). */
    private static Map<String, Change> typed(Map<String, Object> changes) {
        Map<String, Change> typed = new LinkedHashMap<>();
        changes.forEach((field, value) -> {
            Map<?, ?> fromTo = (Map<?, ?>) value;
            typed.put(field, new Change(wire(fromTo.get("from")), wire(fromTo.get("to"))));
        });
        return typed;
    }

    private static String wire(Object value) {
        return value == null ? null : value instanceof Enum<?> e ? e.name() : value.toString();
    }

    private static Map<String, Object> roleData(String role, PersonRef person, PersonRef previous, String change) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("role", role);
        data.put("person", person);
        data.put("previous", previous);
        data.put("change", change);
        return data;
    }

    private static Map<String, Object> change(Object from, Object to) {
        Map<String, Object> change = new LinkedHashMap<>();
        change.put("from", from);
        change.put("to", to);
        return change;
    }

    private static String note(NoteRequest body) {
        return body == null ? null : blankToNull(body.note());
    }

    static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.strip();
    }

    /** For ingestion: the open alerts left on an incident. */
    long openAlerts(UUID incidentId) {
        return alerts.openCount(incidentId);
    }
}

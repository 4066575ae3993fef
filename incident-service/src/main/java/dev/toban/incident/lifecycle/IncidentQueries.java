package dev.toban.incident.lifecycle;

import dev.toban.contracts.incident.IncidentSnapshot;
import dev.toban.contracts.incident.IncidentState;
import dev.toban.contracts.incident.Severity;
import dev.toban.incident.model.AlertRepository;
import dev.toban.incident.model.Incident;
import dev.toban.incident.model.IncidentRepository;
import dev.toban.incident.model.Sql;
import dev.toban.plumbing.problem.ProblemException;
import io.quarkus.hibernate.orm.panache.PanacheQuery;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.panache.common.Page;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * The reading side of incidents: lists, one incident with its alerts and timeline, and the facts the IC console
 * and Slack show. Nothing here locks or writes, so the commands stay in the classes that change incidents.
 */
@ApplicationScoped
public class IncidentQueries {

    private final IncidentRepository incidents;
    private final AlertRepository alerts;
    private final IncidentSnapshots snapshots;
    private final IncidentTimeline timeline;
    private final Sql sql;

    public IncidentQueries(IncidentRepository incidents, AlertRepository alerts, IncidentSnapshots snapshots,
                           IncidentTimeline timeline, Sql sql) {
        this.incidents = incidents;
        this.alerts = alerts;
        this.snapshots = snapshots;
        this.timeline = timeline;
        this.sql = sql;
    }

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

    private PanacheQuery<Incident> filtered(String state, Severity severity, UUID serviceId, UUID teamId) {
        return filtered(new PageFilter(state, severity, serviceId, teamId, null, null, null));
    }

    /** Incidents newest first, filtered by state ("open", "all" or one state), severity, service, team and more. */
    private PanacheQuery<Incident> filtered(PageFilter f) {
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
        return QuarkusTransaction.requiringNew().call(() -> !sql.query(
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

    public List<IncidentTimeline.Entry> timeline(UUID id) {
        if (incidents.findById(id) == null) {
            throw ProblemException.notFound("Incident", id);
        }
        return timeline.list(id);
    }

    /** For ingestion: the open alerts left on an incident (it resolves by itself once none is). */
    public long openAlerts(UUID incidentId) {
        return alerts.openCount(incidentId);
    }
}

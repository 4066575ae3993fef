package dev.toban.incident.grouping;

import dev.toban.contracts.Actor;
import dev.toban.contracts.incident.IncidentContracts.AlertCount;
import dev.toban.contracts.incident.IncidentContracts.AlertsGrouped;
import dev.toban.contracts.incident.IncidentContracts.AlertsResolved;
import dev.toban.contracts.incident.IncidentContracts.Rollup;
import dev.toban.contracts.incident.IncidentSnapshot;
import dev.toban.contracts.incident.IncidentSource;
import dev.toban.incident.config.IncidentConfig;
import dev.toban.incident.directory.ActorService;
import dev.toban.incident.ingestion.SeverityMapper;
import dev.toban.incident.lifecycle.IncidentEvents;
import dev.toban.incident.lifecycle.IncidentOpener;
import dev.toban.incident.lifecycle.IncidentSnapshots;
import dev.toban.incident.lifecycle.IncidentTimeline;
import dev.toban.incident.model.Alert;
import dev.toban.incident.model.AlertRepository;
import dev.toban.incident.model.Incident;
import dev.toban.incident.model.IncidentRepository;
import dev.toban.incident.model.Sql;
import dev.toban.incident.model.TechnicalService;
import dev.toban.incident.model.TechnicalServiceRepository;
import dev.toban.plumbing.jobs.JobSpec;
import dev.toban.plumbing.jobs.Jobs;
import dev.toban.plumbing.jobs.Next;
import dev.toban.plumbing.jobs.Worker;
import dev.toban.plumbing.problem.ProblemException;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.runtime.configuration.DurationConverter;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.transaction.Transactional;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Alert grouping (issue 19): which open incident an alert joins, the Slack roll-up of grouped alerts, the IC's
 * "every grouped alert resolved" notice and splitting an alert off into its own incident.
 * <p>
 * The hot path ({@link #openIncidentFor}) is one read on the partial unique index {@code incident_open_group},
 * plus, for a joined alert, an {@code insert ... on conflict do nothing} into {@code alert_rollup} that takes no
 * lock when a roll-up is already pending. Roll-ups are worked off by {@link #rollUpDue} like the other durable
 * jobs of this service (a due time in a table, FOR UPDATE SKIP LOCKED), never per alert.
 */
@ApplicationScoped
public class GroupingService {

    private static final String OPEN = "state in ('triggered', 'acknowledged', 'mitigated')";

    private static final int BATCH = 50;
    /** How often a roll-up that is due but waits for its incident's announcement is looked at again. */
    private static final Duration RECHECK = Duration.ofSeconds(30);

    private final Sql sql;
    private final Worker worker;
    private final IncidentRepository incidents;
    private final AlertRepository alerts;
    private final TechnicalServiceRepository services;
    private final IncidentOpener opener;
    private final IncidentEvents events;
    private final IncidentTimeline timeline;
    private final SeverityMapper severities;
    private final ActorService actors;
    private final IncidentSnapshots snapshots;
    private final IncidentConfig.Grouping config;

    public GroupingService(Sql sql, IncidentRepository incidents, AlertRepository alerts,
                           TechnicalServiceRepository services, IncidentOpener opener, IncidentEvents events,
                           IncidentTimeline timeline, SeverityMapper severities, ActorService actors,
                           IncidentSnapshots snapshots, IncidentConfig config, Jobs jobs) {
        this.sql = sql;
        this.incidents = incidents;
        this.alerts = alerts;
        this.services = services;
        this.opener = opener;
        this.events = events;
        this.timeline = timeline;
        this.severities = severities;
        this.actors = actors;
        this.snapshots = snapshots;
        this.config = config.grouping();
        // sleeps until the next roll-up is due; a new one (the first grouped alert since the last roll-up) wakes it
        // after its commit if it would sleep past it
        this.worker = jobs.define(JobSpec.pass("alert-rollup", this::pass)
                .idleCap(DurationConverter.parseDuration(this.config.checkEvery())));
    }

    void start(@Observes StartupEvent event) {
        worker.start();
    }

    // ------------------------------------------------------------------ the rule (catalog)

    public record GroupingRequest(String rule, Integer windowMinutes, String template, Boolean autoResolve) {
    }

    public AlertGrouping get(UUID serviceId) {
        return AlertGrouping.of(service(serviceId));
    }

    /** Sets a service's rule (admin); incidents already open keep the key they were opened with. */
    @Transactional
    public AlertGrouping set(UUID serviceId, GroupingRequest request) {
        if (request == null) {
            throw ProblemException.invalid("body", "is required");
        }
        AlertGrouping rule = AlertGrouping.validated(request.rule(), request.windowMinutes(), request.template(),
                request.autoResolve());
        TechnicalService service = service(serviceId);
        service.groupingRule = rule.rule();
        service.groupingWindowMinutes = rule.windowMinutes();
        service.groupingTemplate = rule.template();
        service.groupingAutoResolve = rule.autoResolve();
        service.updatedAt = Instant.now();
        return rule;
    }

    private TechnicalService service(UUID id) {
        return services.findByIdOptional(id).orElseThrow(() -> ProblemException.notFound("Service", id));
    }

    // ------------------------------------------------------------------ ingestion (hot path)

    /**
     * The open incident of the service an alert with {@code groupKey} joins, or null when it opens its own.
     * {@code lock}: FOR SHARE, so the incident cannot resolve before the alert is written (Alertmanager locks
     * its incidents itself, in id order). Time rule: the incident takes alerts for its window only; once that
     * passed its key is cleared, so the next alert opens the next incident.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public UUID openIncidentFor(TechnicalService service, AlertGrouping rule, String groupKey, boolean lock) {
        if (groupKey == null) {
            return null;
        }
        String share = lock ? " for share" : "";
        if (rule.time()) {
            Instant windowStart = Instant.now().minus(rule.window());
            List<Sql.Row> open = sql.query("select id from incident where service_id = ? and group_key = ? and " + OPEN
                    + " and created_at > ?" + share, service.id, groupKey, windowStart);
            if (!open.isEmpty()) {
                return open.get(0).uuid(0);
            }
            sql.update("update incident set group_key = null where service_id = ? and group_key = ? and " + OPEN
                    + " and created_at <= ?", service.id, groupKey, windowStart);
            return null;
        }
        List<Sql.Row> open = sql.query("select id from incident where service_id = ? and group_key = ? and " + OPEN
                + share, service.id, groupKey);
        return open.isEmpty() ? null : open.get(0).uuid(0);
    }

    /**
     * A grouped alert joined {@code incidentId}: a roll-up becomes due, unless one is pending already. The no-op
     * update locks a pending row until this alert commits, so the roll-up job (SKIP LOCKED) cannot roll up and
     * delete it while this alert is still invisible to it, which would leave the alert out of every roll-up.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public void joined(UUID incidentId) {
        Instant due = Instant.now().plus(config.rollupInterval());
        boolean created = sql.query("insert into alert_rollup (incident_id, due_at) values (?, ?)"
                        + " on conflict (incident_id) do update set due_at = alert_rollup.due_at returning xmax = 0",
                incidentId, due).get(0).bool(0);
        if (created) {
            worker.wakeAfterCommitFor(due); // the storm's first grouped alert; those after it find the row pending
        }
    }

    /** Whether any alert joined the incident by grouping (then the service's auto-resolve flag decides). */
    public boolean hasGroupedAlerts(UUID incidentId) {
        return !sql.query("select 1 from alert where incident_id = ? and grouped limit 1", incidentId).isEmpty();
    }

    /**
     * Every alert of a grouped incident has resolved: resolve it when the service says so, else tell the IC
     * (timeline line and {@code toban.incident.alerts_resolved}, which notify-service posts in the thread).
     * Returns true when the incident was left open.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public boolean toldInsteadOfResolved(Incident incident, Actor actor) {
        if (!hasGroupedAlerts(incident.id)) {
            return false;
        }
        TechnicalService service = services.findById(incident.serviceId);
        if (service.groupingAutoResolve) {
            return false;
        }
        long total = alerts.count("incidentId", incident.id);
        timeline.add(incident.id, "alerts_resolved", actor, "All " + total
                + " alerts of the incident have resolved; the incident stays open until the IC resolves it",
                Map.of("total", total));
        events.publish(IncidentEvents.ALERTS_RESOLVED, incident, s -> new AlertsResolved(s, actor, new AlertCount(total)));
        return true;
    }

    // ------------------------------------------------------------------ roll-up

    private Next pass() {
        Instant now = Instant.now();
        if (rollUpDue(now) >= BATCH) {
            return Next.NOW;
        }
        // one due at the claim's time but not taken (its incident not announced yet, or locked) is looked at again
        // shortly; one that came due since the claim is the next due time (now: at once)
        Sql.Row next = QuarkusTransaction.requiringNew().call(() -> sql.query(
                "select min(due_at) filter (where due_at > ?), count(*) filter (where due_at <= ?) > 0 from alert_rollup",
                now, now).get(0));
        return Next.atOrRecheck(next.instant(0), next.bool(1), RECHECK);
    }

    /**
     * Publishes one roll-up per due incident this instance can claim; returns how many it claimed. The incident row is not
     * locked or written here (a grouped alert holds it FOR SHARE while waiting on this job's delete of its
     * roll-up row); an incident not yet announced waits for its {@code triggered} event.
     */
    public int rollUpDue(Instant now) {
        return QuarkusTransaction.requiringNew().call(() -> {
            List<Sql.Row> due = sql.query("""
                    select r.incident_id from alert_rollup r join incident i on i.id = r.incident_id
                    where r.due_at <= ? and (i.announced_at is not null or i.state not in ('triggered', 'acknowledged', 'mitigated'))
                    order by r.due_at limit ? for update of r skip locked""", now, BATCH);
            for (Sql.Row row : due) {
                rollUp(row.uuid(0), now);
            }
            return due.size();
        });
    }

    private boolean rollUp(UUID incidentId, Instant now) {
        List<Sql.Row> added = sql.query("""
                update alert set rolled_up_at = ? where incident_id = ? and grouped and rolled_up_at is null
                returning summary, created_at""", now, incidentId);
        sql.update("delete from alert_rollup where incident_id = ?", incidentId);
        Incident incident = incidents.findById(incidentId);
        if (added.isEmpty() || incident == null || !incident.state.isOpen()) {
            return false;
        }
        List<String> summaries = added.stream()
                .sorted((a, b) -> a.instant(1).compareTo(b.instant(1)))
                .map(r -> r.string(0)).distinct().limit(config.rollupSummaries()).toList();
        List<Sql.Row> counts = sql.query("""
                select count(*), count(*) filter (where status <> 'resolved') from alert where incident_id = ?""",
                incidentId);
        Map<String, Object> roll = new LinkedHashMap<>();
        roll.put("added", added.size());
        roll.put("total", counts.get(0).longValue(0));
        roll.put("open", counts.get(0).longValue(1));
        roll.put("summaries", summaries);
        timeline.add(incidentId, "alerts_grouped", Actor.SYSTEM, "+" + added.size() + " alerts grouped into the incident: "
                + String.join("; ", summaries), roll);
        events.publish(IncidentEvents.ALERTS_GROUPED, incident, s -> new AlertsGrouped(s, Actor.SYSTEM,
                new Rollup(added.size(), counts.get(0).longValue(0), counts.get(0).longValue(1), summaries)));
        return true;
    }

    // ------------------------------------------------------------------ split

    /**
     * Moves a grouped alert into an incident of its own (IC's call: it is a different problem). The new incident
     * is opened as the alert would have opened it without grouping: its IC is found and paged.
     */
    @Transactional
    public IncidentSnapshot split(UUID incidentId, UUID alertId) {
        Actor actor = actors.current();
        Incident incident = incidents.lock(incidentId).orElseThrow(() -> ProblemException.notFound("Incident", incidentId));
        Alert alert = alerts.findByIdOptional(alertId).filter(a -> a.incidentId.equals(incidentId))
                .orElseThrow(() -> ProblemException.notFound("Alert", alertId));
        if (!incident.state.isOpen()) {
            throw ProblemException.conflict("state", "the incident is " + incident.state.wire()
                    + "; alerts are split off open incidents only");
        }
        if (!alert.grouped) {
            throw ProblemException.conflict("alertId", "only an alert grouped into the incident can be split off; "
                    + "this one opened it");
        }
        if ("resolved".equals(alert.status)) {
            throw ProblemException.conflict("alertId", "the alert has resolved");
        }
        TechnicalService service = services.findById(alert.serviceId);
        IncidentSource source = IncidentSource.of(alert.kind);
        IncidentOpener.Opened opened = opener.open(new IncidentOpener.NewIncident(alert.summary,
                severities.of(alert.severity), null, source, service, alert.integrationKeyId, alert.dedupKey,
                alert.startedAt, actor, null));
        if (!opened.created()) {
            throw ProblemException.conflict("alertId", "an open incident already has this alert's dedup key");
        }
        sql.update("""
                update alert set incident_id = ?, grouped = false, rolled_up_at = coalesce(rolled_up_at, ?),
                    status = 'triggered', acknowledged_at = null where id = ?""", opened.incidentId(), Instant.now(), alertId);
        Incident split = incidents.findById(opened.incidentId());
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("summary", alert.summary);
        data.put("incidentId", split.id);
        data.put("number", split.number);
        timeline.add(incidentId, "alert_split", actor, actor.display() + " split the alert \"" + alert.summary
                + "\" off into incident #" + split.number, data);
        Map<String, Object> from = new LinkedHashMap<>();
        from.put("summary", alert.summary);
        from.put("incidentId", incident.id);
        from.put("number", incident.number);
        timeline.add(split.id, "alert_split_from", actor, "Split off incident #" + incident.number + " by "
                + actor.display(), from);
        return snapshots.of(split);
    }
}

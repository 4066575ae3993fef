package dev.toban.incident.ingestion;

import dev.toban.contracts.Actor;
import dev.toban.contracts.incident.IncidentSource;
import dev.toban.incident.config.IncidentConfig;
import dev.toban.incident.config.PublicLinks;
import dev.toban.incident.directory.ActorService;
import dev.toban.incident.lifecycle.IncidentOpener;
import dev.toban.incident.lifecycle.IncidentTimeline;
import dev.toban.incident.lifecycle.IncidentTransitions;
import dev.toban.incident.model.Incident;
import dev.toban.incident.model.IncidentRepository;
import dev.toban.incident.model.Sql;
import dev.toban.incident.model.TechnicalService;
import dev.toban.incident.model.TechnicalServiceRepository;
import dev.toban.plumbing.input.Text;
import dev.toban.plumbing.jobs.JobSpec;
import dev.toban.plumbing.jobs.Jobs;
import dev.toban.plumbing.jobs.Next;
import dev.toban.plumbing.jobs.Worker;
import dev.toban.plumbing.problem.Problem;
import dev.toban.plumbing.problem.ProblemException;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.runtime.configuration.DurationConverter;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.transaction.Transactional;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Heartbeat monitors (issue 19): a job POSTs {@code /heartbeat/{token}} at least every interval; when interval plus
 * grace pass without a beat, an incident opens through the normal opener (IC found, level 1 paged), and the next
 * beat resolves it. The token is a credential like an integration key: shown once, kept as SHA-256. The due time
 * is a column, checked by {@link #checkDue} with FOR UPDATE SKIP LOCKED like the other jobs of this service, so a
 * restart (or a replica more) neither forgets a miss nor reports one twice.
 */
@ApplicationScoped
public class HeartbeatService {

    private static final String OPEN = "('triggered', 'acknowledged', 'mitigated')";

    private static final int BATCH = 50;
    /** How often a monitor due while its miss incident is open (or another replica holds it) is looked at again. */
    private static final Duration RECHECK = Duration.ofSeconds(30);

    private final Sql sql;
    private final Worker worker;
    private final TechnicalServiceRepository services;
    private final IncidentRepository incidents;
    private final IncidentOpener opener;
    private final IncidentTransitions transitions;
    private final IncidentTimeline timeline;
    private final ActorService actors;
    private final PublicLinks links;
    private final IncidentConfig.Heartbeat config;

    public HeartbeatService(Sql sql, TechnicalServiceRepository services, IncidentRepository incidents,
                            IncidentOpener opener, IncidentTransitions transitions, IncidentTimeline timeline,
                            ActorService actors, PublicLinks links, IncidentConfig config, Jobs jobs) {
        this.sql = sql;
        this.services = services;
        this.incidents = incidents;
        this.opener = opener;
        this.transitions = transitions;
        this.timeline = timeline;
        this.actors = actors;
        this.links = links;
        this.config = config.heartbeat();
        // sleeps until the next monitor is due; a beat only moves it later, and a new monitor wakes it
        this.worker = jobs.define(JobSpec.pass("heartbeat", this::pass)
                .idleCap(DurationConverter.parseDuration(this.config.checkEvery())));
    }

    void start(@Observes StartupEvent event) {
        worker.start();
    }

    public record MonitorRequest(String name, Integer intervalMinutes, Integer graceMinutes) {
    }

    /** A monitor as listed: never its token. {@code status}: up, late (an incident is open) or waiting (no beat yet). */
    public record MonitorView(UUID id, UUID serviceId, String name, int intervalMinutes, int graceMinutes, String last4,
                              Instant createdAt, Instant lastBeatAt, Instant dueAt, UUID incidentId, String status) {
    }

    /** A new monitor: the only time its token (and the URL with it) is shown. */
    public record NewMonitor(UUID id, String name, int intervalMinutes, int graceMinutes, String token, String url) {
    }

    // ------------------------------------------------------------------ monitors

    @Transactional
    public List<MonitorView> list(UUID serviceId) {
        services.findByIdOptional(serviceId).orElseThrow(() -> ProblemException.notFound("Service", serviceId));
        return sql.query("""
                select m.id, m.service_id, m.name, m.interval_minutes, m.grace_minutes, m.last4, m.created_at,
                       m.last_beat_at, m.due_at, m.incident_id, i.state
                from heartbeat_monitor m left join incident i on i.id = m.incident_id
                where m.service_id = ? and m.deleted_at is null order by lower(m.name)""", serviceId).stream()
                .map(r -> new MonitorView(r.uuid(0), r.uuid(1), r.string(2), r.integer(3), r.integer(4), r.string(5),
                        r.instant(6), r.instant(7), r.instant(8), r.uuid(9),
                        r.uuid(9) != null && r.string(10) != null && OPEN.contains("'" + r.string(10) + "'") ? "late"
                                : r.instant(7) == null ? "waiting" : "up"))
                .toList();
    }

    /** Creates a monitor (admin); 400 naming the field, 409 for an archived service or a taken name. */
    @Transactional
    public NewMonitor create(UUID serviceId, MonitorRequest request) {
        TechnicalService service = services.findByIdOptional(serviceId)
                .orElseThrow(() -> ProblemException.notFound("Service", serviceId));
        if (request == null) {
            throw ProblemException.invalid("body", "is required");
        }
        List<Problem.FieldError> errors = new ArrayList<>();
        String name = null;
        if (request.name() == null || request.name().isBlank()) {
            errors.add(new Problem.FieldError("name", "is required, e.g. backup-job"));
        } else if (request.name().strip().length() > 100) {
            errors.add(new Problem.FieldError("name", "must be at most 100 characters"));
        } else {
            try {
                name = Text.check("name", request.name().strip(), true);
            } catch (ProblemException e) {
                errors.addAll(e.errors());
            }
        }
        if (request.intervalMinutes() == null || request.intervalMinutes() < 1 || request.intervalMinutes() > 10080) {
            errors.add(new Problem.FieldError("intervalMinutes", "must be between 1 and 10080 (a week)"));
        }
        int grace = request.graceMinutes() == null ? 0 : request.graceMinutes();
        if (grace < 0 || grace > 1440) {
            errors.add(new Problem.FieldError("graceMinutes", "must be between 0 and 1440"));
        }
        if (!errors.isEmpty()) {
            throw ProblemException.invalid(errors);
        }
        if (service.archivedAt != null) {
            throw ProblemException.conflict(null, service.name + " is archived; unarchive it before adding monitors");
        }
        if (!sql.query("select 1 from heartbeat_monitor where service_id = ? and lower(name) = lower(?) and deleted_at is null",
                serviceId, name).isEmpty()) {
            throw ProblemException.conflict("name", "the service already has a heartbeat monitor named " + name);
        }
        String token = IntegrationKeys.generate();
        UUID id = UUID.randomUUID();
        Instant now = Instant.now();
        sql.update("""
                insert into heartbeat_monitor (id, service_id, name, interval_minutes, grace_minutes, token_hash, last4,
                    created_at, created_by, due_at)
                values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""", id, serviceId, name, request.intervalMinutes(), grace,
                IntegrationKeys.hash(token), token.substring(token.length() - 4), now, actors.username(),
                now.plus(Duration.ofMinutes(request.intervalMinutes() + grace)));
        worker.wakeAfterCommitFor(now.plus(Duration.ofMinutes(request.intervalMinutes() + grace)));
        return new NewMonitor(id, name, request.intervalMinutes(), grace, token, url(token));
    }

    public String url(String token) {
        return links.base() + "/heartbeat/" + token;
    }

    /** Deletes a monitor (its open incident stays for the IC to resolve). */
    @Transactional
    public void delete(UUID serviceId, UUID monitorId) {
        int changed = sql.update("""
                update heartbeat_monitor set deleted_at = ?, deleted_by = ?
                where id = ? and service_id = ? and deleted_at is null""", Instant.now(), actors.username(), monitorId,
                serviceId);
        if (changed == 0) {
            throw ProblemException.notFound("Heartbeat monitor", monitorId);
        }
    }

    // ------------------------------------------------------------------ beats

    /**
     * A beat: the next one is due interval + grace from now; a miss's open incident resolves. Returns false for an
     * unknown (or deleted) token.
     */
    @Transactional
    public boolean beat(String token) {
        if (token == null || token.length() != IntegrationKeys.LENGTH) {
            return false;
        }
        Instant now = Instant.now();
        List<Sql.Row> rows = sql.query("""
                update heartbeat_monitor set last_beat_at = ?, due_at = ? + make_interval(mins => interval_minutes + grace_minutes)
                where token_hash = ? and deleted_at is null
                returning id, name, incident_id, service_id""", now, now, IntegrationKeys.hash(token));
        if (rows.isEmpty()) {
            return false;
        }
        UUID incidentId = rows.get(0).uuid(2);
        if (incidentId != null) {
            sql.update("update heartbeat_monitor set incident_id = null where id = ?", rows.get(0).uuid(0));
            Incident incident = incidents.lock(incidentId).orElse(null);
            if (incident != null && incident.state.isOpen()) {
                transitions.resolve(incident, actor(rows.get(0).string(1)), "the heartbeat of " + rows.get(0).string(1)
                        + " came back");
            }
        }
        return true;
    }

    private static Actor actor(String monitorName) {
        return Actor.integration("heartbeat:" + monitorName);
    }

    // ------------------------------------------------------------------ misses

    private Next pass() {
        Instant now = Instant.now();
        if (checkDue(now) >= BATCH) {
            return Next.NOW;
        }
        // the next monitor coming due; one due already but not taken (its incident is open, another replica
        // holds it, its service is archived) is looked at again shortly: its incident resolving wakes nobody. One
        // that came due since the check is the next due time (now: at once)
        Sql.Row next = QuarkusTransaction.requiringNew().call(() -> sql.query("""
                select min(due_at) filter (where due_at > ?), count(*) filter (where due_at <= ?) > 0
                from heartbeat_monitor where deleted_at is null""", now, now).get(0));
        return Next.atOrRecheck(next.instant(0), next.bool(1), RECHECK);
    }

    /**
     * Opens an incident for every monitor whose beat is late and that has no open incident yet; returns how many.
     * Its next check is one interval + grace later, so a miss the IC resolved while the job is still silent opens
     * again then, not at once.
     */
    public int checkDue() {
        return checkDue(Instant.now());
    }

    private int checkDue(Instant now) {
        return QuarkusTransaction.requiringNew().call(() -> {
            List<Sql.Row> due = sql.query("""
                    select m.id, m.service_id, m.name, m.interval_minutes, m.grace_minutes, coalesce(m.last_beat_at, m.created_at)
                    from heartbeat_monitor m join technical_service s on s.id = m.service_id
                    where m.due_at <= ? and m.deleted_at is null and s.archived_at is null
                      and (m.incident_id is null or not exists (
                          select 1 from incident i where i.id = m.incident_id and i.state in """ + OPEN + """
                    ))
                    order by m.due_at limit ? for update of m skip locked""", now, BATCH);
            for (Sql.Row m : due) {
                TechnicalService service = services.findById(m.uuid(1));
                String name = m.string(2);
                long silent = Math.max(1, Duration.between(m.instant(5), now).toMinutes());
                IncidentOpener.Opened opened = opener.open(new IncidentOpener.NewIncident(
                        "No heartbeat from " + name + " for " + silent + " min", config.severity(), null,
                        IncidentSource.HEARTBEAT, service, null, null, m.instant(5).plus(
                        Duration.ofMinutes(m.integer(3))), actor(name)));
                Map<String, Object> data = new LinkedHashMap<>();
                data.put("monitorId", m.uuid(0));
                data.put("monitor", name);
                data.put("lastBeatAt", m.instant(5));
                data.put("intervalMinutes", m.integer(3));
                data.put("graceMinutes", m.integer(4));
                timeline.add(opened.incidentId(), "heartbeat_missed", actor(name), "No heartbeat from " + name
                        + " since " + m.instant(5) + " (every " + m.integer(3) + " min, grace " + m.integer(4) + " min)",
                        data);
                sql.update("""
                        update heartbeat_monitor set incident_id = ?,
                            due_at = ? + make_interval(mins => interval_minutes + grace_minutes) where id = ?""",
                        opened.incidentId(), now, m.uuid(0));
            }
            return due.size();
        });
    }
}

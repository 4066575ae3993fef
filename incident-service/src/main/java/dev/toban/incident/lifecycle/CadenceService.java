package dev.toban.incident.lifecycle;

import dev.toban.contracts.Actor;
import dev.toban.contracts.incident.IncidentContracts.UpdateOverdue;
import dev.toban.incident.config.IncidentConfig;
import dev.toban.incident.model.Incident;
import dev.toban.incident.model.IncidentRepository;
import dev.toban.incident.model.Sql;
import dev.toban.plumbing.jobs.JobSpec;
import dev.toban.plumbing.jobs.Jobs;
import dev.toban.plumbing.jobs.Next;
import dev.toban.plumbing.jobs.Worker;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.runtime.configuration.DurationConverter;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reminds the IC when no status update was posted within the cadence of the incident's severity:
 * {@code toban.incident.update_overdue}, once per overdue window. The due time is a column; the row is
 * taken with {@code FOR UPDATE SKIP LOCKED} and moved to the next window in the same transaction as the
 * event, so two replicas never remind twice.
 */
@ApplicationScoped
public class CadenceService {


    private static final int BATCH = 50;

    private final Sql sql;
    private final Worker worker;
    private final IncidentRepository incidents;
    private final CadencePolicy cadence;
    private final IncidentEvents events;
    private final IncidentTimeline timeline;

    public CadenceService(Sql sql, IncidentRepository incidents, CadencePolicy cadence, IncidentEvents events,
                          IncidentTimeline timeline, IncidentConfig config, Jobs jobs) {
        this.sql = sql;
        this.incidents = incidents;
        this.cadence = cadence;
        this.events = events;
        this.timeline = timeline;
        // sleeps until the next incident's update is due, at most check-every; a due time set sooner wakes it (watch)
        this.worker = jobs.define(JobSpec.pass("update-cadence", this::pass)
                .idleCap(DurationConverter.parseDuration(config.cadence().checkEvery())));
    }

    void start(@Observes StartupEvent event) {
        worker.start();
    }

    /**
     * Returns {@code due}, an update due time being set in the caller's transaction, and wakes the check once
     * that commits if it would sleep past it. A due time beyond the check's longest sleep (a cadence away, as
     * when an incident opens) is found by its next pass and costs nothing here.
     */
    public Instant watch(Instant due) {
        if (due != null) {
            worker.wakeAfterCommitFor(due);
        }
        return due;
    }

    private Next pass() {
        if (remindOverdue() >= BATCH) {
            return Next.NOW;
        }
        // the earliest due time, past ones included: one still due here was locked (its incident being changed),
        // and the worker looks again soon rather than after its longest sleep
        return Next.at(QuarkusTransaction.requiringNew().call(() -> sql.query("""
                select min(next_update_due_at) from incident
                where state in ('triggered', 'acknowledged', 'mitigated')""")
                .get(0).instant(0)));
    }

    /** Publishes one reminder per overdue incident this instance can lock; returns how many. */
    public int remindOverdue() {
        return QuarkusTransaction.requiringNew().call(() -> {
            Instant now = Instant.now();
            List<Sql.Row> due = sql.query("""
                    select id from incident
                    where next_update_due_at <= ? and state in ('triggered', 'acknowledged', 'mitigated')
                    order by next_update_due_at limit ? for update skip locked""", now, BATCH);
            for (Sql.Row row : due) {
                Incident incident = incidents.findById(row.uuid(0));
                Duration every = cadence.of(incident.severity);
                if (every.isZero() || every.isNegative()) {
                    incident.nextUpdateDueAt = null;
                    continue;
                }
                Instant last = incident.lastStatusUpdateAt == null ? incident.createdAt : incident.lastStatusUpdateAt;
                Map<String, Object> extras = new LinkedHashMap<>();
                extras.put("lastUpdateAt", last);
                extras.put("cadenceMinutes", every.toMinutes());
                events.publish(IncidentEvents.UPDATE_OVERDUE, incident,
                        s -> new UpdateOverdue(s, Actor.SYSTEM, last, every.toMinutes()));
                timeline.add(incident.id, "update_overdue", Actor.SYSTEM, "No status update for "
                        + Duration.between(last, now).toMinutes() + " minutes (cadence " + every.toMinutes()
                        + " minutes for " + incident.severity + ")", extras);
                Instant next = incident.nextUpdateDueAt.plus(every);
                while (!next.isAfter(now)) {
                    next = next.plus(every); // after downtime: one reminder, then the next window in the future
                }
                incident.nextUpdateDueAt = next;
            }
            return due.size();
        });
    }
}

package dev.toban.incident.ingestion;

import dev.toban.plumbing.jobs.JobSpec;
import dev.toban.plumbing.jobs.Jobs;
import dev.toban.plumbing.jobs.Next;
import dev.toban.plumbing.jobs.Worker;
import io.agroal.api.AgroalDataSource;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import org.jboss.logging.Logger;

/**
 * Counts repeated triggers of open alerts. A repeated trigger changes nothing about the incident
 * (PagerDuty records it in the alert's log), so it is answered after an indexed read and its
 * occurrence is added to the alert's {@code event_count} and {@code last_event_at} by a flush a
 * second after the first unwritten one (a worker of plumbing's {@link Jobs} that sleeps while there is
 * nothing to write), one statement per alert. This keeps an alert storm from costing one durable commit per
 * event; a crash loses at most the last second of counts, never an alert or an incident.
 */
@ApplicationScoped
public class AlertOccurrences {

    private static final Logger LOG = Logger.getLogger(AlertOccurrences.class);

    /** How long occurrences gather before they are written. */
    private static final Duration FLUSH_AFTER = Duration.ofSeconds(1);

    private final AgroalDataSource dataSource;
    private final Map<UUID, Pending> pending = new ConcurrentHashMap<>();
    /** When the oldest occurrence not yet written came; null while there is none (the worker sleeps). */
    private final AtomicReference<Instant> firstPending = new AtomicReference<>();
    private final Worker worker;

    public AlertOccurrences(AgroalDataSource dataSource, Jobs jobs) {
        this.dataSource = dataSource;
        this.worker = jobs.define(JobSpec.pass("alert-occurrences", this::pass));
    }

    void start(@Observes StartupEvent event) {
        worker.start();
    }

    /** Occurrences not yet written; closed once a flush has taken it, so no increment is lost. */
    private static final class Pending {
        private long count;
        private Instant last = Instant.EPOCH;
        private boolean closed;

        synchronized boolean add(Instant at) {
            if (closed) {
                return false;
            }
            count++;
            if (at.isAfter(last)) {
                last = at;
            }
            return true;
        }

        synchronized void addAll(long more, Instant at) {
            count += more;
            if (at.isAfter(last)) {
                last = at;
            }
        }

        synchronized long close() {
            closed = true;
            return count;
        }

        synchronized Instant last() {
            return last;
        }
    }

    /** One more trigger of the open alert {@code alertId}, received now. */
    public void record(UUID alertId) {
        Instant now = Instant.now();
        while (true) {
            Pending p = pending.computeIfAbsent(alertId, id -> new Pending());
            if (p.add(now)) {
                if (firstPending.compareAndSet(null, now)) {
                    worker.wake(); // the first of a batch: flush it a second from now
                }
                return;
            }
            pending.remove(alertId, p); // a flush took it meanwhile: start a new one
        }
    }

    /** Flushes a second after the first unwritten occurrence; sleeps while there is none (no idle polling). */
    private Next pass() {
        Instant first = firstPending.get();
        if (first == null) {
            return Next.IDLE;
        }
        Instant due = first.plus(FLUSH_AFTER);
        if (Instant.now().isBefore(due)) {
            return Next.at(due);
        }
        firstPending.set(null); // occurrences from now on open the next batch
        flush();
        if (!pending.isEmpty() && firstPending.compareAndSet(null, Instant.now())) {
            return Next.at(Instant.now().plus(FLUSH_AFTER)); // kept after a failure, or came during the flush
        }
        return Next.IDLE;
    }

    void onStop(@Observes ShutdownEvent event) {
        flush();
    }

    /** Writes the counts gathered so far; on failure they stay for the next flush. */
    public synchronized void flush() {
        if (pending.isEmpty()) {
            return;
        }
        Map<UUID, long[]> batch = new HashMap<>();
        Map<UUID, Instant> lastSeen = new HashMap<>();
        for (UUID id : pending.keySet()) {
            Pending p = pending.remove(id);
            if (p != null) {
                long count = p.close();
                if (count > 0) {
                    batch.put(id, new long[] {count});
                    lastSeen.put(id, p.last());
                }
            }
        }
        if (batch.isEmpty()) {
            return;
        }
        try (Connection connection = dataSource.getConnection();
             PreparedStatement ps = connection.prepareStatement(
                     "update alert set event_count = event_count + ?, last_event_at = greatest(last_event_at, ?) where id = ?")) {
            connection.setAutoCommit(false);
            for (var entry : batch.entrySet()) {
                ps.setLong(1, entry.getValue()[0]);
                ps.setObject(2, OffsetDateTime.ofInstant(lastSeen.get(entry.getKey()), ZoneOffset.UTC));
                ps.setObject(3, entry.getKey());
                ps.addBatch();
            }
            ps.executeBatch();
            connection.commit();
        } catch (SQLException | RuntimeException e) {
            LOG.warnf("Could not record %d alerts' repeated triggers yet (%s); keeping them for the next flush",
                    batch.size(), e.toString());
            batch.forEach((id, count) -> {
                while (true) {
                    Pending p = pending.computeIfAbsent(id, k -> new Pending());
                    synchronized (p) {
                        if (!p.closed) {
                            p.addAll(count[0], lastSeen.get(id));
                            break;
                        }
                    }
                    pending.remove(id, p);
                }
            });
        }
    }
}

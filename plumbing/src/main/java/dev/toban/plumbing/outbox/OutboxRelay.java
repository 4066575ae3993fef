package dev.toban.plumbing.outbox;

import dev.toban.plumbing.events.EventsConfig;
import dev.toban.plumbing.jobs.JobSpec;
import dev.toban.plumbing.jobs.Jobs;
import dev.toban.plumbing.jobs.Next;
import dev.toban.plumbing.jobs.Periodic;
import dev.toban.plumbing.jobs.Worker;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.persistence.EntityManager;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import org.jboss.logging.Logger;

/**
 * Publishes committed outbox rows to RabbitMQ and marks them sent only after the broker confirms.
 *
 * <p>Each batch runs in one transaction holding a PostgreSQL advisory lock, so with several replicas
 * exactly one publishes at a time and rows leave in commit-sequence order. A crash between confirm
 * and commit republishes the batch; consumers deduplicate on the CloudEvents id.
 */
@ApplicationScoped
public class OutboxRelay {

    private static final Logger LOG = Logger.getLogger(OutboxRelay.class);
    private static final int LOCK_BUSY = -1;

    private final EntityManager em;
    private final BrokerConnection broker;
    private final EventsConfig.Outbox config;
    private final long lockKey;
    private final String source;
    private final AtomicLong pending = new AtomicLong();
    private final Counter published;
    private final Counter failures;
    private final Worker worker;
    private Instant gateUntil;
    private boolean gateOpen;
    private boolean failing;

    public OutboxRelay(EntityManager em, BrokerConnection broker, EventsConfig config, MeterRegistry meters, Jobs jobs) {
        this.em = em;
        this.broker = broker;
        this.config = config.outbox();
        this.lockKey = ("toban-outbox:" + config.exchange()).hashCode();
        this.source = config.source();
        this.published = meters.counter("toban.outbox.published");
        this.failures = meters.counter("toban.outbox.publish.failures");
        Gauge.builder("toban.outbox.pending", pending, AtomicLong::get)
                .description("Outbox rows not yet confirmed by the broker")
                .register(meters);
        // one pass at a time per replica; the advisory lock keeps replicas from publishing side by side
        this.worker = jobs.define(JobSpec.pass("outbox-relay", this::pass)
                .idleCap(this.config.pollInterval())
                .backoff(Duration.ofMillis(250), this.config.maxBackoff()));
    }

    void start(@Observes StartupEvent event, Periodic periodic) {
        Periodic.interval(config.cleanupEvery()).ifPresent(every ->
                periodic.every("outbox-cleanup", every, Duration.ofMinutes(1), this::purgePublished));
        if (!config.relayEnabled()) {
            LOG.info("Outbox relay disabled on this instance");
            return;
        }
        gateUntil = Instant.now().plus(config.awaitQueuesTimeout());
        gateOpen = config.awaitQueues().map(List::isEmpty).orElse(true) || config.awaitQueuesTimeout().isZero();
        worker.start();
    }

    /** Called after a transaction that wrote an event commits. */
    public void wake() {
        worker.wake();
    }

    /** Wakes the relay once the caller's transaction commits (once per transaction). */
    public void wakeAfterCommit() {
        worker.wakeAfterCommit();
    }

    /**
     * One relay step on the worker's thread: a full batch asks for the next at once, a lock held by another
     * replica for a look again soon (a quick failover), anything else sleeps until the next commit wakes
     * it (or the poll interval, for rows another replica left behind). A failure backs off in the worker.
     */
    private Next pass() throws Exception {
        if (!gateOpen) {
            gateOpen = consumersReady(gateUntil);
            if (!gateOpen) {
                return Next.at(Instant.now().plusSeconds(1));
            }
        }
        int sent;
        try {
            sent = relayBatch();
        } catch (Exception e) {
            failures.increment();
            failing = true;
            throw e;
        }
        if (failing) {
            LOG.info("Outbox relay is publishing again");
            failing = false;
        }
        if (sent == LOCK_BUSY) {
            return Next.at(Instant.now().plusMillis(200));
        }
        return sent >= config.batchSize() ? Next.NOW : Next.IDLE;
    }

    /** Whether the consumers' queues exist, or the wait for them is over. */
    private boolean consumersReady(Instant until) throws java.io.IOException, java.util.concurrent.TimeoutException {
        List<String> missing = broker.missingQueues(config.awaitQueues().orElse(List.of()));
        if (missing.isEmpty()) {
            return true;
        }
        if (Instant.now().isAfter(until)) {
            LOG.warnf("Outbox relay publishing although the queues %s do not exist: events for them are routed nowhere"
                    + " until their services start", missing);
            return true;
        }
        LOG.debugf("Outbox relay waits for the queues %s (their services declare them when they start)", missing);
        return false;
    }

    /** Publishes one batch; returns how many rows were sent, or {@link #LOCK_BUSY}. */
    int relayBatch() {
        return QuarkusTransaction.requiringNew().timeout(60).call(() -> {
            Boolean locked = (Boolean) em.createNativeQuery("select pg_try_advisory_xact_lock(?1)")
                    .setParameter(1, lockKey)
                    .getSingleResult();
            if (!Boolean.TRUE.equals(locked)) {
                return LOCK_BUSY;
            }
            @SuppressWarnings("unchecked")
            List<Object[]> rows = em.createNativeQuery(
                            "select seq, id, type, exchange, envelope, created_at from outbox_event "
                                    + "where published_at is null order by seq limit ?1 for update skip locked")
                    .setParameter(1, config.batchSize())
                    .getResultList();
            if (rows.isEmpty()) {
                pending.set(0);
                return 0;
            }
            List<BrokerConnection.Outgoing> messages = new ArrayList<>(rows.size());
            List<Long> seqs = new ArrayList<>(rows.size());
            for (Object[] row : rows) {
                seqs.add(((Number) row[0]).longValue());
                messages.add(new BrokerConnection.Outgoing((String) row[3], ((UUID) row[1]).toString(),
                        (String) row[2], source, toInstant(row[5]).toEpochMilli(), (String) row[4]));
            }
            broker.publishConfirmed(messages, config.confirmTimeout());
            em.createNativeQuery("update outbox_event set published_at = now() where seq in (:seqs)")
                    .setParameter("seqs", seqs)
                    .executeUpdate();
            published.increment(rows.size());
            if (rows.size() == config.batchSize()) {
                pending.set(((Number) em.createNativeQuery(
                        "select count(*) from outbox_event where published_at is null").getSingleResult()).longValue());
            } else {
                pending.set(0);
            }
            return rows.size();
        });
    }

    /** Deletes rows that were published longer ago than the retention (plumbing's {@link Periodic}, cleanup-every). */
    void purgePublished() {
        QuarkusTransaction.requiringNew().run(() -> em.createNativeQuery(
                        "delete from outbox_event where published_at < ?1")
                .setParameter(1, Instant.now().minus(config.retention()))
                .executeUpdate());
    }

    /** Rows waiting for the broker right now; cheap enough for health and benchmarks. */
    public long pendingCount() {
        return QuarkusTransaction.requiringNew().call(() -> ((Number) em.createNativeQuery(
                "select count(*) from outbox_event where published_at is null").getSingleResult()).longValue());
    }

    private static Instant toInstant(Object value) {
        if (value instanceof Instant i) {
            return i;
        }
        if (value instanceof java.time.OffsetDateTime o) {
            return o.toInstant();
        }
        if (value instanceof java.sql.Timestamp t) {
            return t.toInstant();
        }
        return Instant.now();
    }
}

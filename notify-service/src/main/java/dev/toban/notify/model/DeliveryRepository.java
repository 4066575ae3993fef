package dev.toban.notify.model;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Parameters;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.FlushModeType;
import jakarta.transaction.TransactionSynchronizationRegistry;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.hibernate.Session;

/**
 * The delivery log and the dispatcher's work queue. Claims use {@code FOR UPDATE SKIP LOCKED} on
 * the lane row, so replicas never exceed a lane's in-flight limit and never send the same message twice.
 */
@ApplicationScoped
public class DeliveryRepository implements PanacheRepositoryBase<Delivery, UUID> {

    /** A delivery may go once the delivery it waits for (the thread's parent) has finished. */
    private static final String NOT_BLOCKED = """
            (d.blocked_by is null or exists (select 1 from delivery p where p.id = d.blocked_by
                                             and p.state not in ('pending', 'sending')))""";

    /** Within an incident thread, nothing earlier (by incident version, event time, creation) is still open. */
    private static final String THREAD_HEAD = """
            (d.thread_key is null or not exists (
                select 1 from delivery e where e.thread_key = d.thread_key and e.state in ('pending', 'sending')
                  and (e.order_version, e.event_time, e.seq) < (d.order_version, d.event_time, d.seq)))""";

    /** Transaction resource key: the unique keys of the deliveries inserted in the current transaction. */
    private static final Object INSERTED = new Object();

    private final EntityManager em;
    private final TransactionSynchronizationRegistry transactions;
    /** Lanes known to exist; lane rows are never deleted, so this only saves a query. */
    private final java.util.Set<String> knownLanes = java.util.concurrent.ConcurrentHashMap.newKeySet();

    public DeliveryRepository(EntityManager em, TransactionSynchronizationRegistry transactions) {
        this.em = em;
        this.transactions = transactions;
    }

    /**
     * Inserts a delivery and, for a laned one, its lane row if the lane is new. An existing lane row
     * is only read: writers of lane rows (the dispatcher) must never be waited for while the caller
     * holds an incident-thread lock, or the two could deadlock.
     */
    public void insert(Delivery d) {
        // plain JDBC on the transaction's connection, at once: a persisted entity cost an insert action, a
        // snapshot and a dirty check at every flush of the inbox transaction (five deliveries per incident); the
        // delivery is read back (locked) by the transactions that claim it, never changed through this object
        em.unwrap(Session.class).doWork(connection -> {
            try (PreparedStatement ps = connection.prepareStatement("""
                    insert into delivery (id, event_id, event_type, event_time, subject, incident_id, purpose, channel,
                        kind, target, message_key, locale, payload, lane, thread_key, order_version, priority, blocked_by,
                        state, attempts, due_at, sending_since, unknown_outcome, woken, last_error, created_at,
                        updated_at, sent_at, recipient)
                    values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""")) {
                int i = 0;
                ps.setObject(++i, d.id);
                ps.setString(++i, d.eventId);
                ps.setString(++i, d.eventType);
                ps.setObject(++i, utc(d.eventTime));
                ps.setString(++i, d.subject);
                ps.setObject(++i, d.incidentId);
                ps.setString(++i, d.purpose);
                ps.setString(++i, d.channel);
                ps.setString(++i, d.kind);
                ps.setString(++i, d.target);
                ps.setString(++i, d.messageKey);
                ps.setString(++i, d.locale);
                ps.setString(++i, d.payload);
                ps.setString(++i, d.lane);
                ps.setObject(++i, d.threadKey);
                ps.setLong(++i, d.orderVersion);
                ps.setShort(++i, d.priority);
                ps.setObject(++i, d.blockedBy);
                ps.setString(++i, d.state);
                ps.setInt(++i, d.attempts);
                ps.setObject(++i, utc(d.dueAt));
                ps.setObject(++i, utc(d.sendingSince));
                ps.setBoolean(++i, d.unknownOutcome);
                ps.setBoolean(++i, d.woken);
                ps.setString(++i, d.lastError);
                ps.setObject(++i, utc(d.createdAt));
                ps.setObject(++i, utc(d.updatedAt));
                ps.setObject(++i, utc(d.sentAt));
                ps.setString(++i, d.recipient);
                ps.executeUpdate();
            }
        });
        Delivery delivery = d;
        insertedInThisTransaction().add(uniqueKey(delivery.eventId, delivery.channel, delivery.target,
                delivery.messageKey));
        if (delivery.lane != null && !knownLanes.contains(delivery.lane)) {
            Number known = (Number) em.createNativeQuery("select count(*) from delivery_lane where lane = ?1")
                    .setParameter(1, delivery.lane)
                    .getSingleResult();
            if (known.longValue() == 0) {
                em.createNativeQuery("insert into delivery_lane (lane, next_at) values (?1, ?2) on conflict do nothing")
                        .setParameter(1, delivery.lane)
                        .setParameter(2, Instant.EPOCH)
                        .executeUpdate();
            } else {
                knownLanes.add(delivery.lane);
            }
        }
    }

    /**
     * Replaces the message of a parent update that no worker has claimed yet. A targeted update
     * (not a full-row write of a loaded entity) so that a claim in between is never overwritten.
     * Returns false when the row was claimed meanwhile.
     */
    public boolean foldIntoPendingUpdate(UUID id, String payload, String eventId, String eventType, Instant eventTime,
                                         String subject) {
        return em.createNativeQuery("""
                        update delivery set payload = ?2, event_id = ?3, event_type = ?4, event_time = ?5, subject = ?6,
                               updated_at = now()
                        where id = ?1 and state = 'pending'""")
                .setParameter(1, id)
                .setParameter(2, payload)
                .setParameter(3, eventId)
                .setParameter(4, eventType)
                .setParameter(5, eventTime)
                .setParameter(6, subject)
                .executeUpdate() == 1;
    }

    /**
     * Whether a delivery for this message already exists (the unique key of the log). The deliveries of this
     * transaction are remembered in it rather than flushed for the query: an auto-flush before every check
     * dirty-checked the whole session once per delivery of an event.
     */
    public boolean exists(String eventId, String channel, String target, String messageKey) {
        if (insertedInThisTransaction().contains(uniqueKey(eventId, channel, target, messageKey))) {
            return true;
        }
        // plain JDBC on the transaction's connection: no flush, and no Hibernate native-query plan (missed each call)
        return em.unwrap(Session.class).doReturningWork(connection -> {
            try (PreparedStatement ps = connection.prepareStatement("""
                    select 1 from delivery where event_id = ? and channel = ? and target = ? and message_key = ?""")) {
                ps.setString(1, eventId);
                ps.setString(2, channel);
                ps.setString(3, target);
                ps.setString(4, messageKey);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next();
                }
            }
        });
    }

    @SuppressWarnings("unchecked")
    private Set<List<String>> insertedInThisTransaction() {
        Set<List<String>> keys = (Set<List<String>>) transactions.getResource(INSERTED);
        if (keys == null) {
            keys = new HashSet<>();
            transactions.putResource(INSERTED, keys);
        }
        return keys;
    }

    private static OffsetDateTime utc(Instant at) {
        return at == null ? null : at.atOffset(java.time.ZoneOffset.UTC);
    }

    private static List<String> uniqueKey(String eventId, String channel, String target, String messageKey) {
        return Arrays.asList(eventId, channel, target, messageKey);
    }

    /**
     * Claims up to {@code limit} laned deliveries that may go now, in send order (priority, then creation)
     * across lanes. A lane qualifies when its pacing allows a post now and it has room for more in flight:
     * {@code parallelism} for a Slack channel lane, one for other lanes. Within a lane only different
     * incident threads go side by side, and posts outside threads one at a time. Each lane is walked in send
     * order on its own index and only up to its free slots, so a claim costs about the same with ten or ten
     * thousand deliveries waiting. The lanes of the returned deliveries are locked ({@code FOR UPDATE SKIP
     * LOCKED}: another replica skips them) until the caller's transaction ends; the caller marks the
     * deliveries sending in it.
     */
    public LaneClaims claimLaned(Instant now, int parallelism, int limit) {
        if (limit <= 0) {
            return LaneClaims.NONE;
        }
        // greatest(0, ...): a lane may hold more in flight than its limit (a lower limit after a restart, claims of a
        // stopped instance), and a negative LIMIT would fail the whole claim
        @SuppressWarnings("unchecked")
        List<Object[]> rows = em.createNativeQuery("""
                        select c.id, c.lane, c.thread_key from delivery_lane l
                        cross join lateral (
                            select count(*) as busy, count(*) filter (where s.thread_key is null) as alone
                            from delivery s where s.lane = l.lane and s.state = 'sending') f
                        cross join lateral (
                            (select d.id, d.lane, d.thread_key, d.priority, d.seq from delivery d
                             where d.lane = l.lane and d.state = 'pending' and d.thread_key is not null
                               and d.due_at <= ?1 and %1$s and %2$s
                             order by d.priority, d.seq
                             limit greatest(0, (case when l.lane like 'slack:%%' then ?2 else 1 end) - f.busy))
                            union all
                            (select d.id, d.lane, d.thread_key, d.priority, d.seq from delivery d
                             where d.lane = l.lane and d.state = 'pending' and d.thread_key is null
                               and f.alone = 0 and d.due_at <= ?1 and %1$s
                             order by d.priority, d.seq
                             limit 1)) c
                        where l.next_at <= ?1 and f.busy < (case when l.lane like 'slack:%%' then ?2 else 1 end)
                        order by c.priority, c.seq
                        limit ?3
                        for update of l skip locked""".formatted(NOT_BLOCKED, THREAD_HEAD))
                .setParameter(1, now)
                .setParameter(2, Math.max(1, parallelism))
                .setParameter(3, limit)
                .getResultList();
        if (rows.isEmpty()) {
            return LaneClaims.NONE;
        }
        // a fresh statement sees commits made after the query above started: re-check under the lane locks
        List<String> lanes = rows.stream().map(r -> (String) r[1]).distinct().toList();
        @SuppressWarnings("unchecked")
        List<Object[]> counts = em.createNativeQuery("""
                        select lane, count(*), count(*) filter (where thread_key is null) from delivery
                        where lane = any(?1) and state = 'sending' group by lane""")
                .setParameter(1, lanes.toArray(String[]::new))
                .getResultList();
        Map<String, int[]> busy = new HashMap<>(); // lane -> {in flight, of which unthreaded}
        for (Object[] c : counts) {
            busy.put((String) c[0], new int[] {((Number) c[1]).intValue(), ((Number) c[2]).intValue()});
        }
        List<UUID> ids = new ArrayList<>();
        boolean dropped = false;
        for (Object[] row : rows) {
            String lane = (String) row[1];
            boolean threaded = row[2] != null;
            int cap = lane.startsWith("slack:") ? Math.max(1, parallelism) : 1;
            int[] lb = busy.computeIfAbsent(lane, k -> new int[2]);
            if (lb[0] >= cap || !threaded && lb[1] > 0) {
                dropped = true; // the lane filled up meanwhile, or another of its unthreaded posts is ahead
                continue;
            }
            lb[0]++;
            if (!threaded) {
                lb[1]++;
            }
            ids.add((UUID) row[0]);
        }
        return new LaneClaims(ids, dropped);
    }

    /**
     * Laned deliveries to send ({@code ids}, in send order), and whether some eligible ones were left out because
     * their lane filled up while the query ran ({@code lookAgain}: other lanes may still have work).
     */
    public record LaneClaims(List<UUID> ids, boolean lookAgain) {
        static final LaneClaims NONE = new LaneClaims(List.of(), false);
    }

    /** Locks up to {@code limit} due deliveries that have no lane (email, webhooks): they go in parallel. */
    public List<UUID> claimUnlaned(Instant now, int limit) {
        if (limit <= 0) {
            return List.of();
        }
        return probe("""
                        select d.id from delivery d
                        where d.state = 'pending' and d.due_at <= ? and d.lane is null and %s
                        order by d.due_at, d.seq
                        limit ?
                        for update of d skip locked""".formatted(NOT_BLOCKED),
                rs -> rs.getObject(1, UUID.class), utc(now), limit);
    }

    /** Holds a lane back until {@code until} (pacing, Slack's Retry-After), unless it is held longer already. */
    public void holdLane(String lane, Instant until) {
        em.createNativeQuery("update delivery_lane set next_at = greatest(next_at, ?2) where lane = ?1")
                .setParameter(1, lane)
                .setParameter(2, until)
                .executeUpdate();
    }

    /**
     * Pending deliveries of {@code channel} waiting out a backoff after failures become due at {@code now},
     * each at most once per {@code spacing} (their last try was at least that long ago), marked woken.
     */
    public int retryBackedOffNow(String channel, Instant now, Duration spacing) {
        return em.createNativeQuery("""
                        update delivery set due_at = ?2, updated_at = ?2, woken = true
                        where channel = ?1 and state = 'pending' and attempts > 0 and due_at > ?2 and not woken
                          and updated_at <= ?3""")
                .setParameter(1, channel)
                .setParameter(2, now)
                .setParameter(3, now.minus(spacing))
                .executeUpdate();
    }

    /**
     * Deliveries left in {@code sending} by a crashed instance go back to pending, flagged so the
     * channel checks whether the earlier attempt arrived before sending again.
     */
    public int releaseStale(Instant sendingBefore) {
        return em.createNativeQuery("""
                        update delivery set state = 'pending', unknown_outcome = true, due_at = now(), updated_at = now(),
                               last_error = 'the instance sending it stopped; outcome unknown'
                        where state = 'sending' and sending_since < ?1""")
                .setParameter(1, sendingBefore)
                .executeUpdate();
    }

    /**
     * The next moment after {@code now} at which a pending delivery becomes due or its lane's pacing
     * or Retry-After hold ends; null if none. What is due already but waits for something in flight
     * (a lane's slot, a thread's earlier message, the parent) is left out: finishing that wakes the workers.
     */
    public Instant nextDue(Instant now) {
        // the earliest due time or lane hold after now (a lower bound of the exact answer, the later of the two per
        // delivery): both come from an index, where the exact one joined every pending delivery to its lane; the limit
        // keeps the lane check a probe per held lane, not a hash of every pending delivery
        OffsetDateTime after = utc(now);
        return probe("""
                        select least(
                            (select min(due_at) from delivery where state = 'pending' and due_at > ?),
                            (select min(l.next_at) from delivery_lane l where l.next_at > ? and exists (
                                select 1 from delivery d where d.lane = l.lane and d.state = 'pending' limit 1)))""",
                rs -> rs.getObject(1, OffsetDateTime.class), after, after).stream()
                .filter(java.util.Objects::nonNull).map(OffsetDateTime::toInstant).findFirst().orElse(null);
    }

    /** When the longest-sending delivery started sending (its claim goes stale sending-timeout later); null: none. */
    public Instant oldestSending() {
        return toInstant(em.createNativeQuery("select min(sending_since) from delivery where state = 'sending'")
                .getSingleResult());
    }

    /**
     * Whether a pending delivery may have been waiting for {@code id} to finish: one after it in its lane (a free
     * slot, a pacing hold), in its incident thread (send order) or blocked by it (a parent's replies and updates).
     */
    public boolean othersWaitOn(UUID id, String lane, UUID threadKey) {
        // one probe per relation, each on its own index and stopped at the first row (limit 1 keeps each a probe
        // rather than a join): one condition with ORs was planned as a scan of every pending delivery
        StringBuilder sql = new StringBuilder("select exists(select 1 from delivery where blocked_by = ?"
                + " and state = 'pending' limit 1)");
        List<Object> params = new ArrayList<>(List.of(id));
        if (lane != null) {
            sql.append(" or exists(select 1 from delivery where lane = ? and state = 'pending' and id <> ? limit 1)");
            params.add(lane);
            params.add(id);
        }
        if (threadKey != null) {
            sql.append(" or exists(select 1 from delivery where thread_key = ? and state = 'pending' and id <> ? limit 1)");
            params.add(threadKey);
            params.add(id);
        }
        // no flush first: the caller's own changes are to this delivery, which the query leaves out
        return Boolean.TRUE.equals(probe(sql.toString(), rs -> rs.getBoolean(1), params.toArray()).get(0));
    }

    /** Reads one column of each row. */
    @FunctionalInterface
    interface Column<T> {
        T read(ResultSet rs) throws java.sql.SQLException;
    }

    /**
     * Runs one of the dispatcher's hot probes in plain JDBC on the transaction's connection, planned for its own
     * parameters and the table as it is at each run: never a server-side prepared statement, whose generic plan
     * PostgreSQL keeps for the connection's life. Made while the table was empty (a fresh start) such a plan picks
     * any partial index of pending deliveries, and a storm then walks thousands of them per call (4-8 ms each in
     * PostgreSQL, docs/performance.md "Plans that do not depend on statistics"). Nothing is flushed first.
     */
    private <T> List<T> probe(String sql, Column<T> column, Object... params) {
        return em.unwrap(Session.class).doReturningWork(connection -> {
            try (PreparedStatement ps = connection.prepareStatement(sql)) {
                ps.unwrap(org.postgresql.PGStatement.class).setPrepareThreshold(0);
                for (int i = 0; i < params.length; i++) {
                    ps.setObject(i + 1, params[i]);
                }
                List<T> rows = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        rows.add(column.read(rs));
                    }
                }
                return rows;
            }
        });
    }

    /** Cancels the pending page steps of an incident (someone acknowledged it). */
    public List<UUID> cancelPendingPages(UUID incidentId, String reason) {
        @SuppressWarnings("unchecked")
        List<UUID> ids = em.createNativeQuery("""
                        update delivery set state = 'cancelled', last_error = ?2, updated_at = now()
                        where incident_id = ?1 and purpose = 'page' and state = 'pending'
                        returning id""")
                .setParameter(1, incidentId)
                .setParameter(2, reason)
                .getResultList();
        return ids;
    }

    /** The parent update of an incident that is not in flight, to fold a newer version into. */
    public Optional<Delivery> pendingParentUpdate(UUID incidentId) {
        return find("incidentId = ?1 and kind = 'slack_update' and state = 'pending'", incidentId)
                .firstResultOptional();
    }

    /** Deliveries in {@code state} that wait for {@code parent} (replies and updates of its thread), locked. */
    public List<Delivery> waitingFor(UUID parent, String state) {
        return find("blockedBy = ?1 and state = ?2 order by seq", parent, state)
                .withLock(jakarta.persistence.LockModeType.PESSIMISTIC_WRITE).list();
    }

    /** A Slack channel id an earlier answer gave for this target ({@code #name} or user id), if any. */
    public Optional<String> knownSlackChannelId(String target) {
        @SuppressWarnings("unchecked")
        List<String> ids = em.createNativeQuery("""
                        select provider_channel from delivery
                        where channel = 'slack' and target = ?1 and provider_channel is not null
                        order by sent_at desc nulls last limit 1""")
                .setParameter(1, target)
                .getResultList();
        return ids.stream().findFirst();
    }

    /** Filters of the delivery log. */
    public record Filter(String eventId, String channel, String state, UUID incidentId, String purpose,
                         String target, int limit, Long beforeSeq) {
    }

    public List<Delivery> search(Filter f) {
        StringBuilder q = new StringBuilder("1 = 1");
        Parameters p = new Parameters();
        if (f.eventId() != null) {
            q.append(" and eventId = :eventId");
            p.and("eventId", f.eventId());
        }
        if (f.channel() != null) {
            q.append(" and channel = :channel");
            p.and("channel", f.channel());
        }
        if (f.state() != null) {
            q.append(" and state = :state");
            p.and("state", f.state());
        }
        if (f.incidentId() != null) {
            q.append(" and incidentId = :incidentId");
            p.and("incidentId", f.incidentId());
        }
        if (f.purpose() != null) {
            q.append(" and purpose = :purpose");
            p.and("purpose", f.purpose());
        }
        if (f.target() != null) {
            q.append(" and target = :target");
            p.and("target", f.target());
        }
        if (f.beforeSeq() != null) {
            q.append(" and seq < :before");
            p.and("before", f.beforeSeq());
        }
        q.append(" order by seq desc");
        return find(q.toString(), p).page(0, f.limit()).list();
    }

    /** Deletes finished deliveries (not dead ones) created before {@code before}. */
    public int purgeFinished(Instant before) {
        return em.createNativeQuery("""
                        delete from delivery where state in ('sent', 'skipped', 'cancelled') and created_at < ?1
                        and id not in (select parent_delivery_id from incident_thread where parent_delivery_id is not null)""")
                .setParameter(1, before)
                .executeUpdate();
    }

    /** Dead deliveries matching the filters, oldest first, for a bulk replay. */
    public List<Delivery> dead(String channel, String eventType, int limit) {
        List<String> clauses = new ArrayList<>(List.of("state = 'dead'"));
        Parameters p = new Parameters();
        if (channel != null) {
            clauses.add("channel = :channel");
            p.and("channel", channel);
        }
        if (eventType != null) {
            clauses.add("eventType = :eventType");
            p.and("eventType", eventType);
        }
        return find(String.join(" and ", clauses) + " order by seq", p).page(0, limit)
                .withLock(jakarta.persistence.LockModeType.PESSIMISTIC_WRITE).list();
    }

    static Instant toInstant(Object value) {
        if (value == null) {
            return null;
        }
        if (value instanceof Instant i) {
            return i;
        }
        if (value instanceof OffsetDateTime o) {
            return o.toInstant();
        }
        if (value instanceof Timestamp t) {
            return t.toInstant();
        }
        throw new IllegalStateException("Unexpected time value " + value.getClass());
    }
}

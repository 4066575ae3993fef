package dev.toban.oncall.handoff;

import dev.toban.contracts.PersonRef;
import dev.toban.contracts.TeamRef;
import dev.toban.contracts.oncall.OnCallContracts.MaintenanceNote;
import dev.toban.contracts.oncall.OnCallContracts.OnCallWith;
import dev.toban.contracts.oncall.OnCallContracts.Shift;
import dev.toban.contracts.oncall.OnCallContracts;
import dev.toban.oncall.config.OnCallConfig;
import dev.toban.oncall.model.Schedule;
import dev.toban.oncall.model.ScheduleOverrideRepository;
import dev.toban.oncall.reachability.ReachabilityService;
import dev.toban.oncall.rotation.Rotation.Override;
import dev.toban.oncall.rotation.Rotation.Run;
import dev.toban.oncall.rotation.ShiftRenderer;
import dev.toban.oncall.snapshot.OnCallSnapshot.ScheduleEntry;
import dev.toban.oncall.snapshot.OnCallSnapshot;
import dev.toban.oncall.snapshot.OnCallSnapshots;
import dev.toban.plumbing.outbox.Outbox;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * Publishes toban.oncall.shift.started, .ended and .upcoming exactly once per shift and person.
 *
 * <p>Each tick renders every schedule around now and compares who is on call with the
 * {@code open_shift} rows. A start is an insert guarded by the partial unique index on
 * (schedule, person) of open rows, an end is a conditional update of the open row, an upcoming
 * notice is an insert into {@code shift_notice}'s primary key; the event is written to the outbox
 * only when that statement changed a row, in the same transaction. So two replicas ticking at once,
 * or a restart in the middle, can never announce a shift twice. Ticks also take a transaction-scoped
 * advisory lock so replicas take turns instead of blocking on each other's rows.
 */
@ApplicationScoped
public class HandoffService {

    private static final Logger LOG = Logger.getLogger(HandoffService.class);
    public static final String SHIFT_STARTED = OnCallContracts.SHIFT_STARTED.name();
    public static final String SHIFT_ENDED = OnCallContracts.SHIFT_ENDED.name();
    public static final String SHIFT_UPCOMING = OnCallContracts.SHIFT_UPCOMING.name();
    static final long LOCK_KEY = "toban-oncall-handoff".hashCode();
    /** Clock differences between replicas that ticks absorb; a larger step back is taken as a corrected clock. */
    static final Duration MAX_SKEW = Duration.ofMinutes(5);

    private final EntityManager em;
    private final OnCallSnapshots snapshots;
    private final ScheduleOverrideRepository overrides;
    private final Outbox outbox;
    private final OnCallConfig.Handoff config;
    private final java.time.Clock clock;
    private final ReachabilityService reachability;

    public HandoffService(EntityManager em, OnCallSnapshots snapshots, ScheduleOverrideRepository overrides, Outbox outbox,
                          OnCallConfig config, java.time.Clock clock, ReachabilityService reachability) {
        this.reachability = reachability;
        this.em = em;
        this.snapshots = snapshots;
        this.overrides = overrides;
        this.outbox = outbox;
        this.config = config.handoff();
        this.clock = clock;
    }




    /** The windows the tick's notices mention, from what incident-service answered (empty: it could not answer). */
    public static List<MaintenanceNote> notes(java.util.Optional<List<dev.toban.oncall.client.MaintenanceWindowsApi.Window>> windows) {
        return windows.map(list -> list.stream().map(w -> new MaintenanceNote(w.reason(),
                w.services() == null ? "" : String.join(", ", w.services().stream()
                        .map(dev.toban.oncall.client.MaintenanceWindowsApi.Service::name).toList()),
                w.active() ? null : w.nextStart(), w.active() ? w.activeUntil() : w.nextEnd(), w.active())).toList())
                .orElse(null);
    }

    private static List<MaintenanceNote> during(List<MaintenanceNote> notes, Instant start, Instant end) {
        if (notes == null) {
            return null;
        }
        Instant until = end != null ? end : start.plus(Duration.ofDays(7));
        return notes.stream().filter(n -> n.active() || n.start() != null && n.start().isBefore(until)).toList();
    }

    public record TickResult(int started, int ended, int upcoming) {
    }

    private record Key(UUID scheduleId, UUID personId) {
    }

    private record OpenRow(Instant startedAt) {
    }

    /**
     * One pass: announces every start, end and upcoming shift not announced yet. {@code at} null
     * means the clock, read after the tick lock is taken; ticks never go back in time by less than
     * {@link #MAX_SKEW} (see {@code handoff_clock}).
     */
    @Transactional
    public TickResult tick(Instant at) {
        return tick(at, null);
    }

    /** The same, with the maintenance windows asked of incident-service before (never inside this transaction). */
    @Transactional
    public TickResult tick(Instant at, List<MaintenanceNote> maintenance) {
        return pass(at, maintenance, true);
    }

    /**
     * The same without the maintenance windows, which only the notice of a start or an upcoming shift mentions:
     * empty, having changed nothing, when such a notice is due (ask incident-service, then tick with them). Most
     * passes announce nothing, so most ask incident-service nothing.
     */
    @Transactional
    public Optional<TickResult> tickUnlessAnnouncing(Instant at) {
        TickResult done = pass(at, null, false);
        if (done == null) {
            QuarkusTransaction.setRollbackOnly();
        }
        return Optional.ofNullable(done);
    }

    /** One pass; null as soon as it has a notice to publish that needs the windows it was not given. */
    private TickResult pass(Instant at, List<MaintenanceNote> maintenance, boolean windowsAsked) {
        em.createNativeQuery("select pg_advisory_xact_lock(?1)").setParameter(1, LOCK_KEY).getSingleResult();
        Instant requested = (at != null ? at : clock.instant()).truncatedTo(ChronoUnit.MICROS);
        Instant last = toInstant(em.createNativeQuery("select last_tick from handoff_clock where id = 1").getSingleResult());
        Instant now = last.isAfter(requested) && Duration.between(requested, last).compareTo(MAX_SKEW) <= 0
                ? last : requested;
        em.createNativeQuery("update handoff_clock set last_tick = ?1 where id = 1").setParameter(1, now).executeUpdate();
        OnCallSnapshot snap = snapshots.current();
        Duration back = snap.longestShift().plus(Duration.ofDays(1));
        back = back.compareTo(config.announceLookback()) > 0 ? back : config.announceLookback().plus(Duration.ofHours(1));
        Duration ahead = snap.longestShift().plus(Duration.ofDays(1));
        ahead = ahead.compareTo(config.upcomingLead()) > 0 ? ahead : config.upcomingLead().plus(Duration.ofDays(1));
        Instant from = now.minus(back);
        Instant to = now.plus(ahead);
        Map<UUID, List<Override>> found = overrides.windows(null, from, to);
        Map<UUID, List<Run>> runs = new HashMap<>();
        for (ScheduleEntry s : snap.schedules()) {
            runs.put(s.id(), ShiftRenderer.runs(ShiftRenderer.render(s.rotation(), found.getOrDefault(s.id(), List.of()),
                    from, to)));
        }
        Map<Key, Run> onNow = new HashMap<>();
        runs.forEach((scheduleId, list) -> list.stream().filter(r -> contains(r, now))
                .forEach(r -> onNow.put(new Key(scheduleId, r.personId()), r)));

        Map<Key, OpenRow> open = new HashMap<>();
        for (Object row : em.createNativeQuery(
                "select schedule_id, person_id, started_at from open_shift where ended_at is null").getResultList()) {
            Object[] cols = (Object[]) row;
            open.put(new Key((UUID) cols[0], (UUID) cols[1]), new OpenRow(toInstant(cols[2])));
        }

        int started = 0;
        int ended = 0;
        int upcoming = 0;
        for (Map.Entry<Key, Run> e : onNow.entrySet()) {
            if (open.containsKey(e.getKey())) {
                continue;
            }
            Key key = e.getKey();
            Run run = e.getValue();
            boolean startKnown = run.start().isAfter(from);
            Instant start = startKnown ? run.start() : from;
            boolean announce = startKnown && !start.isBefore(now.minus(config.announceLookback()));
            int inserted = em.createNativeQuery("insert into open_shift (schedule_id, person_id, started_at, announced, "
                            + "opened_at) values (?1, ?2, ?3, ?4, ?5) on conflict (schedule_id, person_id) "
                            + "where ended_at is null do nothing")
                    .setParameter(1, key.scheduleId()).setParameter(2, key.personId()).setParameter(3, start)
                    .setParameter(4, announce).setParameter(5, now).executeUpdate();
            if (inserted == 1 && announce) {
                if (!windowsAsked) {
                    return null;
                }
                ScheduleEntry s = snap.schedulesById().get(key.scheduleId());
                outbox.publish(OnCallContracts.SHIFT_STARTED, shiftId(key, start),
                        event(snap, s, key.personId(), start, end(run, to), onNow, runs, now, maintenance));
                started++;
            }
        }
        for (Map.Entry<Key, OpenRow> e : open.entrySet()) {
            Key key = e.getKey();
            if (onNow.containsKey(key)) {
                continue;
            }
            ScheduleEntry s = snap.schedulesById().get(key.scheduleId());
            Instant endedAt = now;
            if (s != null) {
                // the real end: the last time this person was on call since the row opened
                Instant latest = e.getValue().startedAt();
                for (Run r : runs.getOrDefault(key.scheduleId(), List.of())) {
                    if (r.personId().equals(key.personId()) && !r.end().isAfter(now) && r.end().isAfter(latest)) {
                        latest = r.end();
                    }
                }
                endedAt = latest.isAfter(e.getValue().startedAt()) ? latest : now;
            }
            int updated = em.createNativeQuery("update open_shift set ended_at = ?1 where schedule_id = ?2 "
                            + "and person_id = ?3 and ended_at is null")
                    .setParameter(1, endedAt).setParameter(2, key.scheduleId()).setParameter(3, key.personId())
                    .executeUpdate();
            if (updated == 1 && s != null && snap.person(key.personId()) != null) {
                Instant start = e.getValue().startedAt();
                outbox.publish(OnCallContracts.SHIFT_ENDED, shiftId(key, start),
                        event(snap, s, key.personId(), start, endedAt, onNow, runs, now, null));
                ended++;
            }
        }
        Map<Key, Set<Instant>> notices = new HashMap<>();
        for (Object row : em.createNativeQuery(
                        "select schedule_id, person_id, shift_start from shift_notice where shift_start > ?1")
                .setParameter(1, now).getResultList()) {
            Object[] cols = (Object[]) row;
            notices.computeIfAbsent(new Key((UUID) cols[0], (UUID) cols[1]), k -> new HashSet<>()).add(toInstant(cols[2]));
        }
        Instant horizon = now.plus(config.upcomingLead());
        for (ScheduleEntry s : snap.schedules()) {
            for (Run r : runs.getOrDefault(s.id(), List.of())) {
                if (!r.start().isAfter(now) || r.start().isAfter(horizon)) {
                    continue;
                }
                Key key = new Key(s.id(), r.personId());
                if (notices.getOrDefault(key, Set.of()).contains(r.start())) {
                    continue;
                }
                int inserted = em.createNativeQuery("insert into shift_notice (schedule_id, person_id, shift_start, "
                                + "created_at) values (?1, ?2, ?3, ?4) on conflict do nothing")
                        .setParameter(1, s.id()).setParameter(2, r.personId()).setParameter(3, r.start())
                        .setParameter(4, now).executeUpdate();
                if (inserted == 1) {
                    if (!windowsAsked) {
                        return null;
                    }
                    Map<Key, Run> atStart = new HashMap<>();
                    runs.forEach((scheduleId, list) -> list.stream().filter(x -> contains(x, r.start()))
                            .forEach(x -> atStart.put(new Key(scheduleId, x.personId()), x)));
                    outbox.publish(OnCallContracts.SHIFT_UPCOMING, shiftId(key, r.start()),
                            event(snap, s, r.personId(), r.start(), end(r, to), atStart, runs, r.start(), maintenance));
                    upcoming++;
                }
            }
        }
        Instant expired = now.minus(config.retention());
        em.createNativeQuery("delete from open_shift where ended_at < ?1").setParameter(1, expired).executeUpdate();
        em.createNativeQuery("delete from shift_notice where shift_start < ?1").setParameter(1, expired).executeUpdate();
        // the same pass keeps the reachability flags (one message per flag, under the same lock)
        reachability.check(snap, now);
        if (started + ended + upcoming > 0) {
            LOG.infof("Handoffs at %s: %d started, %d ended, %d upcoming", now, started, ended, upcoming);
        }
        return new TickResult(started, ended, upcoming);
    }

    /** Ends every open shift of a schedule being archived, in the caller's transaction. */
    @Transactional(Transactional.TxType.MANDATORY)
    public void closeSchedule(Schedule schedule, Instant now) {
        // wait for a running tick, so it cannot open a shift of this schedule after we closed them
        em.createNativeQuery("select pg_advisory_xact_lock(?1)").setParameter(1, LOCK_KEY).getSingleResult();
        OnCallSnapshot snap = snapshots.current();
        ScheduleEntry s = snap.schedulesById().get(schedule.id);
        @SuppressWarnings("unchecked")
        List<Object[]> rows = em.createNativeQuery("update open_shift set ended_at = ?1 where schedule_id = ?2 "
                        + "and ended_at is null returning person_id, started_at")
                .setParameter(1, now).setParameter(2, schedule.id).getResultList();
        if (s == null) {
            return;
        }
        for (Object[] row : rows) {
            UUID personId = (UUID) row[0];
            Instant start = toInstant(row[1]);
            if (snap.person(personId) != null) {
                outbox.publish(OnCallContracts.SHIFT_ENDED, shiftId(new Key(schedule.id, personId), start),
                        new Shift(shiftId(new Key(schedule.id, personId), start), s.ref(),
                                snap.teams().get(s.teamId()), snap.person(personId), start, now, List.of(),
                                snap.policiesBySchedule().getOrDefault(s.id(), List.of()), snap.reachable(personId),
                                null));
            }
        }
    }

    private Shift event(OnCallSnapshot snap, ScheduleEntry s, UUID personId, Instant start, Instant end,
                             Map<Key, Run> others, Map<UUID, List<Run>> runs, Instant at,
                             List<MaintenanceNote> maintenance) {
        List<OnCallWith> with = new ArrayList<>();
        for (ScheduleEntry other : snap.schedules()) {
            for (Run r : runs.getOrDefault(other.id(), List.of())) {
                Key k = new Key(other.id(), r.personId());
                if (!contains(r, at) || !others.containsKey(k) || (other.id().equals(s.id()) && r.personId().equals(personId))) {
                    continue;
                }
                PersonRef p = snap.person(r.personId());
                TeamRef team = snap.teams().get(other.teamId());
                if (p != null) {
                    with.add(new OnCallWith(p, other.ref(), team == null ? null : team.name(), r.end()));
                }
            }
        }
        // nearest first: the same schedule, then the same team, then everyone else; bounded for large organisations
        with.sort(java.util.Comparator.comparingInt((OnCallWith w) -> w.schedule().id().equals(s.id()) ? 0
                : snap.schedulesById().get(w.schedule().id()).teamId().equals(s.teamId()) ? 1 : 2));
        if (with.size() > config.onCallWithLimit()) {
            with = new ArrayList<>(with.subList(0, config.onCallWithLimit()));
        }
        return new Shift(shiftId(new Key(s.id(), personId), start), s.ref(), snap.teams().get(s.teamId()),
                snap.person(personId), start, end, with, snap.policiesBySchedule().getOrDefault(s.id(), List.of()),
                snap.reachable(personId), during(maintenance, start, end));
    }

    private static Instant end(Run run, Instant windowEnd) {
        return run.end().isBefore(windowEnd) ? run.end() : null;
    }

    private static boolean contains(Run r, Instant t) {
        return !r.start().isAfter(t) && r.end().isAfter(t);
    }

    static String shiftId(Key key, Instant start) {
        return key.scheduleId() + ":" + key.personId() + ":" + start.truncatedTo(ChronoUnit.MICROS);
    }

    private static Instant toInstant(Object value) {
        if (value instanceof Instant i) {
            return i;
        }
        if (value instanceof java.sql.Timestamp ts) {
            return ts.toInstant();
        }
        if (value instanceof java.time.OffsetDateTime odt) {
            return odt.toInstant();
        }
        throw new IllegalStateException("Unexpected timestamp type " + value.getClass());
    }
}

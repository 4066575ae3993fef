package dev.toban.oncall.reachability;

import dev.toban.contracts.PersonRef;
import dev.toban.contracts.oncall.OnCallContracts.ReachabilityFlagged;
import dev.toban.contracts.oncall.OnCallContracts.ShiftRef;
import dev.toban.contracts.oncall.OnCallContracts;
import dev.toban.oncall.config.OnCallConfig;
import dev.toban.oncall.model.ScheduleOverrideRepository;
import dev.toban.oncall.rotation.Rotation.Override;
import dev.toban.oncall.rotation.Rotation.Run;
import dev.toban.oncall.rotation.ShiftRenderer;
import dev.toban.oncall.snapshot.OnCallSnapshot.ScheduleEntry;
import dev.toban.oncall.snapshot.OnCallSnapshot;
import dev.toban.oncall.snapshot.OnCallSnapshots;
import dev.toban.plumbing.outbox.Outbox;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * Who is on call now or soon (within {@code toban.oncall.reachability.window}, 7 days) without a verified way
 * to wake them: no verified sms, voice or push method used by a rule for high-urgency pages. The shifts are
 * the schedules' final shifts (layers and overrides) as the handoff ticker renders them. The tick flags each
 * such person once ({@code toban.oncall.reachability.flagged}, remembered in {@code reachability_flag}) and
 * forgets the flag when they become reachable or leave the window, so a later flag is sent again.
 */
@ApplicationScoped
public class ReachabilityService {

    private static final Logger LOG = Logger.getLogger(ReachabilityService.class);
    public static final String FLAGGED = OnCallContracts.REACHABILITY_FLAGGED.name();
    public static final String NO_WAKING_METHOD = "no_verified_waking_method";

    private final OnCallSnapshots snapshots;
    private final ScheduleOverrideRepository overrides;
    private final Outbox outbox;
    private final EntityManager em;
    private final Clock clock;
    private final Duration window;

    public ReachabilityService(OnCallSnapshots snapshots, ScheduleOverrideRepository overrides, Outbox outbox,
                               EntityManager em, Clock clock, OnCallConfig config) {
        this.snapshots = snapshots;
        this.overrides = overrides;
        this.outbox = outbox;
        this.em = em;
        this.clock = clock;
        this.window = config.reachability().window();
    }


    public record PersonName(UUID id, String name, String username) {
    }

    /** {@code GET /api/oncall/unreachable}: one person, their shifts in the window, soonest first, and why. */
    public record Unreachable(PersonName person, List<ShiftRef> shifts, String reason) {
    }


    /** Everyone on call between now and the end of the window who cannot be woken, soonest shift first. */
    public List<Unreachable> unreachable() {
        OnCallSnapshot snap = snapshots.current();
        List<Unreachable> out = new ArrayList<>();
        compute(snap, clock.instant()).forEach((personId, shifts) -> {
            PersonRef p = snap.person(personId);
            out.add(new Unreachable(new PersonName(p.id(), p.name(), p.username()), shifts, NO_WAKING_METHOD));
        });
        return out;
    }

    /** Whether a high-urgency page can wake the person (the on-call board's flag). */
    public boolean reachable(UUID personId) {
        return snapshots.current().reachable(personId);
    }

    /** Whether the person is on call within the window without a way to wake them (the /ui/me banner). */
    public boolean flagged(UUID personId) {
        OnCallSnapshot snap = snapshots.current();
        return !snap.reachable(personId) && compute(snap, clock.instant()).containsKey(personId);
    }

    /**
     * The tick's part, in its transaction (under its lock): flags newly unreachable people once, forgets
     * those who are reachable again or no longer on call within the window.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public int check(OnCallSnapshot snap, Instant now) {
        Map<UUID, List<ShiftRef>> unreachable = compute(snap, now);
        Set<UUID> known = new HashSet<>();
        for (Object id : em.createNativeQuery("select person_id from reachability_flag").getResultList()) {
            known.add((UUID) id);
        }
        int flagged = 0;
        for (Map.Entry<UUID, List<ShiftRef>> e : unreachable.entrySet()) {
            if (known.contains(e.getKey())) {
                continue;
            }
            int inserted = em.createNativeQuery("insert into reachability_flag (person_id, flagged_at) values (?1, ?2) "
                    + "on conflict do nothing").setParameter(1, e.getKey()).setParameter(2, now).executeUpdate();
            if (inserted == 1) {
                outbox.publish(OnCallContracts.REACHABILITY_FLAGGED, e.getKey().toString(),
                        new ReachabilityFlagged(snap.person(e.getKey()), e.getValue(), NO_WAKING_METHOD));
                flagged++;
            }
        }
        known.removeAll(unreachable.keySet());
        if (!known.isEmpty()) {
            em.createNativeQuery("delete from reachability_flag where person_id in (?1)")
                    .setParameter(1, List.copyOf(known)).executeUpdate();
        }
        if (flagged > 0) {
            LOG.infof("Reachability at %s: %d people on call soon without a verified way to wake them", now, flagged);
        }
        return flagged;
    }

    /** Unreachable people with their shifts between {@code now} and the end of the window. */
    private Map<UUID, List<ShiftRef>> compute(OnCallSnapshot snap, Instant now) {
        Instant to = now.plus(window);
        // render from one longest shift back, so a shift running now has its real start
        Instant from = now.minus(snap.longestShift());
        Map<UUID, List<Override>> found = overrides.windows(null, from, to);
        Map<UUID, List<ShiftRef>> out = new LinkedHashMap<>();
        for (ScheduleEntry s : snap.schedules()) {
            for (Run r : ShiftRenderer.runs(ShiftRenderer.render(s.rotation(), found.getOrDefault(s.id(), List.of()),
                    from, to))) {
                if (!r.end().isAfter(now) || snap.reachable(r.personId()) || snap.person(r.personId()) == null) {
                    continue;
                }
                out.computeIfAbsent(r.personId(), k -> new ArrayList<>())
                        .add(new ShiftRef(s.id(), s.ref().name(), r.start(), r.end()));
            }
        }
        out.values().forEach(l -> l.sort(Comparator.comparing(ShiftRef::start)));
        List<Map.Entry<UUID, List<ShiftRef>>> sorted = new ArrayList<>(out.entrySet());
        sorted.sort(Comparator.comparing((Map.Entry<UUID, List<ShiftRef>> e) -> e.getValue().get(0).start())
                .thenComparing(e -> snap.person(e.getKey()).name()));
        Map<UUID, List<ShiftRef>> ordered = new LinkedHashMap<>();
        sorted.forEach(e -> ordered.put(e.getKey(), e.getValue()));
        return ordered;
    }
}

package dev.toban.oncall.schedule;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.toban.contracts.PersonRef;
import dev.toban.contracts.TeamRef;
import dev.toban.contracts.oncall.OnCallContracts.ScheduleRef;
import dev.toban.oncall.config.OnCallConfig;
import dev.toban.oncall.model.ScheduleOverrideRepository;
import dev.toban.oncall.rotation.Rotation.Assignment;
import dev.toban.oncall.rotation.Rotation.Override;
import dev.toban.oncall.rotation.Rotation.Segment;
import dev.toban.oncall.rotation.Rotation.Source;
import dev.toban.oncall.rotation.Rotation;
import dev.toban.oncall.rotation.ShiftRenderer;
import dev.toban.oncall.snapshot.OnCallSnapshot.Level;
import dev.toban.oncall.snapshot.OnCallSnapshot.Policy;
import dev.toban.oncall.snapshot.OnCallSnapshot.ScheduleEntry;
import dev.toban.oncall.snapshot.OnCallSnapshot.Target;
import dev.toban.oncall.snapshot.OnCallSnapshot;
import dev.toban.oncall.snapshot.OnCallSnapshots;
import dev.toban.plumbing.problem.ProblemException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.StreamingOutput;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/** Read side: who is on call now or at T, rendered shifts, and whom an escalation level pages. */
@ApplicationScoped
public class OnCallService {

    /** Longest range a single shifts request may render. */
    public static final Duration MAX_RENDER = Duration.ofDays(366);

    private final OnCallSnapshots snapshots;
    private final ScheduleOverrideRepository overrides;
    private final Clock clock;
    private final OnCallConfig config;
    private final ObjectMapper mapper;

    public OnCallService(OnCallSnapshots snapshots, ScheduleOverrideRepository overrides, Clock clock, OnCallConfig config,
                         ObjectMapper mapper) {
        this.snapshots = snapshots;
        this.overrides = overrides;
        this.clock = clock;
        this.config = config;
        this.mapper = mapper;
    }

    public record OnCallPerson(PersonRef person, Instant since, Instant until, String source, UUID layerId,
                               UUID overrideId) {
    }

    public record OnCallEntry(ScheduleRef schedule, TeamRef team, List<OnCallPerson> onCall, Instant nextHandoff) {
    }

    public Instant now() {
        return clock.instant();
    }

    /**
     * A computed answer for one schedule, valid while the configuration and overrides are unchanged
     * and the instant asked about falls in [validFrom, validUntil), the stretch in which that
     * schedule's final on-call does not change. Kept with its JSON, so most requests only check
     * versions and concatenate bytes.
     */
    private record Memo(long configVersion, long overrideVersion, Instant validFrom, Instant validUntil,
                        OnCallEntry entry, byte[] json) {
        boolean validFor(long config, long overrides, Instant t) {
            return configVersion == config && overrideVersion == overrides && !t.isBefore(validFrom)
                    && t.isBefore(validUntil);
        }
    }

    /** Answers about the present; questions about other instants ({@code ?at=}) get their own, so they never evict these. */
    private final ConcurrentHashMap<UUID, Memo> memos = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<UUID, Memo> otherMemos = new ConcurrentHashMap<>();
    private volatile long memoConfigVersion = -1;

    /** Every (or the matching) schedule's on-call at {@code at}, with since, until and the next handoff. */
    public List<OnCallEntry> onCall(Instant at, UUID teamId, String role) {
        return answer(at, teamId, role).stream().map(Memo::entry).toList();
    }

    /**
     * The same as {@link #onCall} as a JSON array written from each schedule's cached JSON, without
     * building the whole document in memory (it is about 700 bytes per schedule).
     */
    public StreamingOutput onCallJson(Instant at, UUID teamId, String role) {
        List<Memo> answer = answer(at, teamId, role);
        return out -> {
            out.write('[');
            for (int i = 0; i < answer.size(); i++) {
                if (i > 0) {
                    out.write(',');
                }
                out.write(answer.get(i).json());
            }
            out.write(']');
        };
    }

    private List<Memo> answer(Instant at, UUID teamId, String role) {
        OnCallSnapshots.Reading reading = snapshots.read();
        OnCallSnapshot snap = reading.snapshot();
        long overrideVersion = reading.overrideVersion();
        if (memoConfigVersion != snap.version()) {
            memos.clear(); // drops schedules that no longer exist
            otherMemos.clear();
            memoConfigVersion = snap.version();
        }
        Map<UUID, Memo> cache = Duration.between(clock.instant(), at).abs().compareTo(Duration.ofHours(1)) <= 0
                ? memos : otherMemos;
        List<ScheduleEntry> selected = new ArrayList<>();
        for (ScheduleEntry s : snap.schedules()) {
            if ((teamId == null || teamId.equals(s.teamId())) && (role == null || role.equalsIgnoreCase(s.ref().role()))) {
                selected.add(s);
            }
        }
        Memo[] result = new Memo[selected.size()];
        List<Integer> missing = new ArrayList<>();
        Duration window = Duration.ZERO;
        for (int i = 0; i < selected.size(); i++) {
            Memo m = cache.get(selected.get(i).id());
            if (m != null && m.validFor(snap.version(), overrideVersion, at)) {
                result[i] = m;
            } else {
                missing.add(i);
                Duration w = selected.get(i).longestShift().plus(Duration.ofDays(1));
                window = w.compareTo(window) > 0 ? w : window;
            }
        }
        if (!missing.isEmpty()) {
            // one indexed query: the range index for many schedules, the per-schedule index for a few
            List<UUID> ids = missing.stream().map(i -> selected.get(i).id()).toList();
            Map<UUID, List<Override>> found = overrides.windows(ids.size() > 50 ? null : ids, at.minus(window),
                    at.plus(window));
            for (int i : missing) {
                ScheduleEntry s = selected.get(i);
                Memo m = compute(snap, overrideVersion, s, at, found.getOrDefault(s.id(), List.of()), cache);
                result[i] = m;
            }
        }
        return java.util.Arrays.asList(result);
    }

    private Memo compute(OnCallSnapshot snap, long overrideVersion, ScheduleEntry s, Instant at,
                         List<Override> scheduleOverrides, Map<UUID, Memo> cache) {
        Duration window = s.longestShift().plus(Duration.ofDays(1));
        ShiftRenderer.State state = ShiftRenderer.stateAt(s.rotation(), scheduleOverrides, at, at.minus(window), at.plus(window));
        // a run longer than the window (a one-person layer, long overrides): widen, up to the configured maximum
        while (!state.complete() && window.compareTo(config.now().maxWindow()) < 0) {
            window = min(window.multipliedBy(8), config.now().maxWindow());
            List<Override> wider = overrides.windows(List.of(s.id()), at.minus(window), at.plus(window))
                    .getOrDefault(s.id(), List.of());
            state = ShiftRenderer.stateAt(s.rotation(), wider, at, at.minus(window), at.plus(window));
        }
        List<OnCallPerson> people = new ArrayList<>(state.onCall().size());
        for (ShiftRenderer.Current c : state.onCall()) {
            people.add(person(snap, c.assignment(), c.since(), c.until()));
        }
        OnCallEntry entry = new OnCallEntry(s.ref(), snap.teams().get(s.teamId()), people, state.nextHandoff());
        byte[] json;
        try {
            json = mapper.writeValueAsBytes(entry);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("Cannot serialise an on-call entry", e);
        }
        Memo memo = new Memo(snap.version(), overrideVersion, state.validFrom(), state.validUntil(), entry, json);
        if (state.complete()) {
            cache.put(s.id(), memo);
        }
        return memo;
    }

    static OnCallPerson person(OnCallSnapshot snap, Assignment a, Instant since, Instant until) {
        boolean layer = a.source() == Source.LAYER;
        return new OnCallPerson(snap.person(a.personId()), since, until, a.source().wire(),
                layer ? a.sourceId() : null, layer ? null : a.sourceId());
    }

    // ------------------------------------------------------------------ shifts

    public record ShiftView(PersonRef person, Instant start, Instant end, String source, UUID layerId, String layerName,
                            UUID overrideId) {
    }

    public record ShiftsView(ScheduleRef schedule, Instant from, Instant to, List<ShiftView> shifts) {
    }

    /** The final shifts of one schedule over [from, to), clipped to the range, with provenance. */
    public ShiftsView shifts(UUID scheduleId, Instant from, Instant to) {
        if (!to.isAfter(from)) {
            throw ProblemException.invalid("to", "must be after from");
        }
        if (Duration.between(from, to).compareTo(MAX_RENDER) > 0) {
            throw ProblemException.invalid("to", "must be at most 366 days after from");
        }
        OnCallSnapshot snap = snapshots.current();
        ScheduleEntry s = snap.schedulesById().get(scheduleId);
        if (s == null) {
            throw ProblemException.notFound("Schedule", scheduleId);
        }
        List<Override> scheduleOverrides = overrides.windows(List.of(scheduleId), from, to).getOrDefault(scheduleId, List.of());
        List<Segment> segments = ShiftRenderer.render(s.rotation(), scheduleOverrides, from, to);
        Map<UUID, String> layerNames = new LinkedHashMap<>();
        s.rotation().layers().forEach(l -> layerNames.put(l.id(), l.name()));
        List<ShiftView> views = new ArrayList<>();
        for (Rotation.Shift shift : ShiftRenderer.shifts(segments)) {
            boolean layer = shift.source() == Source.LAYER;
            views.add(new ShiftView(snap.person(shift.personId()), shift.start(), shift.end(), shift.source().wire(),
                    layer ? shift.sourceId() : null, layer ? layerNames.get(shift.sourceId()) : null,
                    layer ? null : shift.sourceId()));
        }
        return new ShiftsView(s.ref(), from, to, views);
    }

    public record LayerShifts(UUID layerId, String layerName, int level, List<ShiftView> shifts) {
    }

    /**
     * Each layer's own rotation over [from, to), as if it were the only layer and there were no
     * overrides, highest level first: what schedule pages show under the final on-call to explain it.
     */
    public List<LayerShifts> layerShifts(UUID scheduleId, Instant from, Instant to) {
        if (!to.isAfter(from) || Duration.between(from, to).compareTo(MAX_RENDER) > 0) {
            throw ProblemException.invalid("to", "must be after from and at most 366 days after it");
        }
        OnCallSnapshot snap = snapshots.current();
        ScheduleEntry s = snap.schedulesById().get(scheduleId);
        if (s == null) {
            throw ProblemException.notFound("Schedule", scheduleId);
        }
        List<LayerShifts> out = new ArrayList<>();
        s.rotation().layers().stream()
                .sorted(java.util.Comparator.comparingInt(Rotation.Layer::level).reversed())
                .forEach(layer -> {
                    Rotation.Schedule alone = new Rotation.Schedule(s.id(), s.rotation().zone(), List.of(layer));
                    List<ShiftView> views = ShiftRenderer.shifts(ShiftRenderer.render(alone, List.of(), from, to)).stream()
                            .map(shift -> new ShiftView(snap.person(shift.personId()), shift.start(), shift.end(),
                                    shift.source().wire(), layer.id(), layer.name(), null))
                            .toList();
                    out.add(new LayerShifts(layer.id(), layer.name(), layer.level(), views));
                });
        return out;
    }

    /** Rendered segments of one schedule (engine form), for the ticker and iCal. */
    public List<Segment> segments(OnCallSnapshot snap, UUID scheduleId, Instant from, Instant to) {
        ScheduleEntry s = snap.schedulesById().get(scheduleId);
        if (s == null) {
            return List.of();
        }
        List<Override> scheduleOverrides = overrides.windows(List.of(scheduleId), from, to).getOrDefault(scheduleId, List.of());
        return ShiftRenderer.render(s.rotation(), scheduleOverrides, from, to);
    }

    // ------------------------------------------------------------------ escalation targets

    public record TargetView(String type, UUID id, String name) {
    }

    /**
     * {@code validUntil}: until when this answer cannot change through time alone (a shift or restriction boundary,
     * an override starting or ending in one of the level's schedules), at most {@code at} plus
     * {@code toban.oncall.targets.max-validity}. A change of configuration can still change it earlier; it is
     * announced by its event.
     */
    public record TargetsView(UUID policyId, String policyName, int level, int levels, int repeatCount, int delayMinutes,
                              List<TargetView> targets, List<PersonRef> people, Instant validUntil) {
    }

    /** How long an answer stays valid when a target's changes over time cannot be foreseen. */
    static final Duration UNCERTAIN_VALIDITY = Duration.ofMinutes(1);

    /** Whom level {@code level} (1-based) of a policy pages at {@code at}: targets in order, then slot order. */
    public TargetsView targets(UUID policyId, int level, Instant at) {
        OnCallSnapshot snap = snapshots.current();
        Policy policy = snap.policies().get(policyId);
        if (policy == null) {
            throw ProblemException.notFound("Escalation policy", policyId);
        }
        if (level < 1 || level > policy.levels().size()) {
            throw ProblemException.invalid("level", "must be between 1 and " + policy.levels().size());
        }
        Level l = policy.levels().get(level - 1);
        Instant validUntil = at.plus(config.targets().maxValidity());
        // the final shifts over [at, validUntil), as the pages and feeds render them: the segment around at ends
        // at the first handoff, restriction edge or override start or end; at least a microsecond (the database's
        // precision), so an override starting exactly at at is read
        Instant windowEnd = validUntil.isAfter(at) ? validUntil : at.plusNanos(1000);
        List<UUID> scheduleIds = l.targets().stream().filter(t -> "schedule".equals(t.type())).map(Target::id).toList();
        Map<UUID, List<Override>> found = scheduleIds.isEmpty() ? Map.of()
                : overrides.windows(scheduleIds, at, windowEnd);
        List<TargetView> targets = new ArrayList<>();
        Map<UUID, PersonRef> people = new LinkedHashMap<>();
        for (Target t : l.targets()) {
            if ("schedule".equals(t.type())) {
                ScheduleEntry s = snap.schedulesById().get(t.id());
                if (s == null) {
                    continue;
                }
                targets.add(new TargetView("schedule", s.id(), s.ref().name()));
                ShiftRenderer.State state = ShiftRenderer.stateAt(s.rotation(), found.getOrDefault(s.id(), List.of()),
                        at, at, windowEnd);
                validUntil = earliest(validUntil, state.validUntil());
                for (ShiftRenderer.Current c : state.onCall()) {
                    PersonRef p = snap.person(c.assignment().personId());
                    if (p != null) {
                        people.putIfAbsent(p.id(), p);
                    }
                }
            } else {
                if (!"person".equals(t.type())) {
                    // a target whose changes over time are not known here: ask again soon
                    validUntil = earliest(validUntil, at.plus(UNCERTAIN_VALIDITY));
                }
                PersonRef p = snap.person(t.id());
                if (p == null) {
                    continue;
                }
                targets.add(new TargetView("person", p.id(), p.name()));
                people.putIfAbsent(p.id(), p);
            }
        }
        return new TargetsView(policy.id(), policy.name(), level, policy.levels().size(), policy.repeatCount(),
                l.delayMinutes(), targets, List.copyOf(people.values()), validUntil);
    }

    private static Instant earliest(Instant a, Instant b) {
        return b.isBefore(a) ? b : a;
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) < 0 ? a : b;
    }
}

package dev.toban.oncall.service;

import dev.toban.oncall.config.OnCallConfig;
import dev.toban.oncall.model.ScheduleOverrideRepository;
import dev.toban.oncall.service.OnCallSnapshot.Level;
import dev.toban.oncall.service.OnCallSnapshot.Policy;
import dev.toban.oncall.service.OnCallSnapshot.ScheduleEntry;
import dev.toban.oncall.service.OnCallSnapshot.Target;
import dev.toban.oncall.service.Refs.PersonRef;
import dev.toban.oncall.service.Refs.ScheduleRef;
import dev.toban.oncall.service.Refs.TeamRef;
import dev.toban.oncall.service.Rotation.Assignment;
import dev.toban.oncall.service.Rotation.Override;
import dev.toban.oncall.service.Rotation.Segment;
import dev.toban.oncall.service.Rotation.Source;
import dev.toban.plumbing.problem.ProblemException;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/** Read side: who is on call now or at T, rendered shifts, and whom an escalation level pages. */
@ApplicationScoped
public class OnCallService {

    /** Longest range a single shifts request may render. */
    public static final Duration MAX_RENDER = Duration.ofDays(366);

    private final SnapshotService snapshots;
    private final ScheduleOverrideRepository overrides;
    private final Clock clock;
    private final OnCallConfig config;

    public OnCallService(SnapshotService snapshots, ScheduleOverrideRepository overrides, Clock clock, OnCallConfig config) {
        this.snapshots = snapshots;
        this.overrides = overrides;
        this.clock = clock;
        this.config = config;
    }

    public record OnCallPerson(PersonRef person, Instant since, Instant until, String source, UUID layerId,
                               UUID overrideId) {
    }

    public record OnCallEntry(ScheduleRef schedule, TeamRef team, List<OnCallPerson> onCall, Instant nextHandoff) {
    }

    public Instant now() {
        return clock.instant();
    }

    /** Every (or the matching) schedule's on-call at {@code at}, with since, until and the next handoff. */
    public List<OnCallEntry> onCall(Instant at, UUID teamId, String role) {
        OnCallSnapshot snap = snapshots.current();
        List<ScheduleEntry> selected = new ArrayList<>();
        for (ScheduleEntry s : snap.schedules()) {
            if ((teamId == null || teamId.equals(s.teamId())) && (role == null || role.equalsIgnoreCase(s.ref().role()))) {
                selected.add(s);
            }
        }
        if (selected.isEmpty()) {
            return List.of();
        }
        Duration window = snap.longestShift().plus(Duration.ofDays(1));
        boolean all = selected.size() == snap.schedules().size();
        Map<UUID, List<Override>> found = overrides.windows(all ? null : selected.stream().map(ScheduleEntry::id).toList(),
                at.minus(window), at.plus(window));
        List<OnCallEntry> entries = new ArrayList<>(selected.size());
        for (ScheduleEntry s : selected) {
            entries.add(entry(snap, s, at, found.getOrDefault(s.id(), List.of())));
        }
        return entries;
    }

    private OnCallEntry entry(OnCallSnapshot snap, ScheduleEntry s, Instant at, List<Override> scheduleOverrides) {
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
        return new OnCallEntry(s.ref(), snap.teams().get(s.teamId()), people, state.nextHandoff());
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

    public record TargetsView(UUID policyId, String policyName, int level, int levels, int repeatCount, int delayMinutes,
                              List<TargetView> targets, List<PersonRef> people) {
    }

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
        List<UUID> scheduleIds = l.targets().stream().filter(t -> "schedule".equals(t.type())).map(Target::id).toList();
        Map<UUID, List<Override>> found = scheduleIds.isEmpty() ? Map.of()
                : overrides.windows(scheduleIds, at, at.plusNanos(1000));
        List<TargetView> targets = new ArrayList<>();
        Map<UUID, PersonRef> people = new LinkedHashMap<>();
        for (Target t : l.targets()) {
            if ("schedule".equals(t.type())) {
                ScheduleEntry s = snap.schedulesById().get(t.id());
                if (s == null) {
                    continue;
                }
                targets.add(new TargetView("schedule", s.id(), s.ref().name()));
                for (Assignment a : ShiftRenderer.at(s.rotation(), found.getOrDefault(s.id(), List.of()), at)) {
                    PersonRef p = snap.person(a.personId());
                    if (p != null) {
                        people.putIfAbsent(p.id(), p);
                    }
                }
            } else {
                PersonRef p = snap.person(t.id());
                if (p == null) {
                    continue;
                }
                targets.add(new TargetView("person", p.id(), p.name()));
                people.putIfAbsent(p.id(), p);
            }
        }
        return new TargetsView(policy.id(), policy.name(), level, policy.levels().size(), policy.repeatCount(),
                l.delayMinutes(), targets, List.copyOf(people.values()));
    }

    /** Who is on call at {@code at} in every schedule, as person ids per schedule (slot order). */
    public Map<UUID, List<Assignment>> everyoneAt(OnCallSnapshot snap, Instant at) {
        Map<UUID, List<Override>> found = overrides.windows(null, at, at.plusNanos(1000));
        Map<UUID, List<Assignment>> result = new LinkedHashMap<>();
        for (ScheduleEntry s : snap.schedules()) {
            result.put(s.id(), ShiftRenderer.at(s.rotation(), found.getOrDefault(s.id(), List.of()), at));
        }
        return result;
    }

    public static Set<UUID> ids(List<Assignment> assignments) {
        Set<UUID> ids = new java.util.LinkedHashSet<>();
        assignments.forEach(a -> ids.add(a.personId()));
        return ids;
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) < 0 ? a : b;
    }
}

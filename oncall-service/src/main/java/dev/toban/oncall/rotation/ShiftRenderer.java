package dev.toban.oncall.rotation;

import dev.toban.oncall.rotation.Rotation.Assignment;
import dev.toban.oncall.rotation.Rotation.Layer;
import dev.toban.oncall.rotation.Rotation.Override;
import dev.toban.oncall.rotation.Rotation.Restriction;
import dev.toban.oncall.rotation.Rotation.Run;
import dev.toban.oncall.rotation.Rotation.Schedule;
import dev.toban.oncall.rotation.Rotation.Segment;
import dev.toban.oncall.rotation.Rotation.Shift;
import dev.toban.oncall.rotation.Rotation.Source;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * Turns layers and overrides into the final on-call: pure functions, no database, no clock.
 *
 * <p>Rules: within a layer, shift {@code i} runs from boundary {@code i} to boundary {@code i+1}.
 * DAYS and WEEKS boundaries are the handoff time on the right calendar date in the schedule zone
 * (computed with {@link LocalDate} arithmetic, so they keep their wall-clock time across a DST
 * change, and consecutive shifts always meet: no gap, no double cover); HOURS boundaries are
 * absolute durations from the first handoff. The highest layer that has someone at an instant wins
 * there. Overrides win over every layer. The shift index at an instant is computed arithmetically,
 * so "who is on call at T" costs O(layers + overrides) whatever the schedule's age.
 */
public final class ShiftRenderer {

    private static final Comparator<Override> OVERRIDE_ORDER =
            Comparator.comparing(Override::start).thenComparing(Override::id);

    private ShiftRenderer() {
    }

    // ------------------------------------------------------------------ one layer

    /** The instant of the first handoff of a layer. */
    public static Instant anchor(Layer layer, ZoneId zone) {
        return ZonedDateTime.of(layer.startDate(), layer.handoffTime(), zone).toInstant();
    }

    /** Start of shift {@code i} (the end of shift {@code i-1}). */
    public static Instant boundary(Layer layer, ZoneId zone, long i) {
        return switch (layer.shiftUnit()) {
            case HOURS -> anchor(layer, zone).plusSeconds(Math.multiplyExact(i, layer.shiftAmount() * 3600L));
            case DAYS -> ZonedDateTime.of(layer.startDate().plusDays(Math.multiplyExact(i, (long) layer.shiftAmount())),
                    layer.handoffTime(), zone).toInstant();
            case WEEKS -> ZonedDateTime.of(layer.startDate().plusDays(Math.multiplyExact(i, 7L * layer.shiftAmount())),
                    layer.handoffTime(), zone).toInstant();
        };
    }

    /** Index of the shift containing {@code t}; negative before the layer's first handoff. O(1). */
    public static long shiftIndex(Layer layer, ZoneId zone, Instant t) {
        long guess;
        if (layer.shiftUnit() == ShiftUnit.HOURS) {
            long period = layer.shiftAmount() * 3600L;
            guess = Math.floorDiv(t.getEpochSecond() - anchor(layer, zone).getEpochSecond(), period);
        } else {
            long periodDays = (long) layer.shiftAmount() * (layer.shiftUnit() == ShiftUnit.WEEKS ? 7 : 1);
            long days = t.atZone(zone).toLocalDate().toEpochDay() - layer.startDate().toEpochDay();
            guess = Math.floorDiv(days, periodDays);
        }
        // the guess is off by at most one (time of day before the handoff, sub-second remainders)
        while (boundary(layer, zone, guess).isAfter(t)) {
            guess--;
        }
        while (!boundary(layer, zone, guess + 1).isAfter(t)) {
            guess++;
        }
        return guess;
    }

    /** Who a layer puts on call in shift {@code i}, in slot order, without repeats. */
    public static List<UUID> slotPeople(Layer layer, long i) {
        List<UUID> participants = layer.participants();
        int n = participants.size();
        List<UUID> people = new ArrayList<>(layer.slots());
        for (int k = 0; k < layer.slots(); k++) {
            UUID person = participants.get((int) Math.floorMod(i * layer.slots() + k, (long) n));
            if (!people.contains(person)) {
                people.add(person);
            }
        }
        return people;
    }

    /** Who the layer has on call at {@code t} (empty outside its restrictions or before it starts). */
    public static List<UUID> layerAt(Layer layer, ZoneId zone, Instant t) {
        if (layer.participants().isEmpty()) {
            return List.of();
        }
        long i = shiftIndex(layer, zone, t);
        if (i < 0) {
            return List.of();
        }
        if (!layer.restrictions().isEmpty() && windows(layer, zone, t, t.plusNanos(1)).isEmpty()) {
            return List.of();
        }
        return slotPeople(layer, i);
    }

    /** The layer's restriction windows that intersect {@code [from, to)}, sorted and merged. */
    static List<Instant[]> windows(Layer layer, ZoneId zone, Instant from, Instant to) {
        LocalDate first = from.atZone(zone).toLocalDate().minusDays(1);
        LocalDate last = to.atZone(zone).toLocalDate();
        List<Instant[]> found = new ArrayList<>();
        for (LocalDate day = first; !day.isAfter(last); day = day.plusDays(1)) {
            for (Restriction r : layer.restrictions()) {
                if (!r.days().contains(day.getDayOfWeek())) {
                    continue;
                }
                Instant start = ZonedDateTime.of(day, r.start(), zone).toInstant();
                LocalDate endDay = r.end().isAfter(r.start()) ? day : day.plusDays(1);
                Instant end = ZonedDateTime.of(endDay, r.end(), zone).toInstant();
                if (end.isAfter(start) && end.isAfter(from) && start.isBefore(to)) {
                    found.add(new Instant[] {start, end});
                }
            }
        }
        found.sort(Comparator.comparing((Instant[] w) -> w[0]));
        List<Instant[]> merged = new ArrayList<>(found.size());
        for (Instant[] w : found) {
            Instant[] lastWindow = merged.isEmpty() ? null : merged.get(merged.size() - 1);
            if (lastWindow != null && !w[0].isAfter(lastWindow[1])) {
                if (w[1].isAfter(lastWindow[1])) {
                    lastWindow[1] = w[1];
                }
            } else {
                merged.add(new Instant[] {w[0], w[1]});
            }
        }
        return merged;
    }

    /** A stretch of one layer with the same people on call. */
    record LayerSegment(Instant start, Instant end, List<UUID> people) {
    }

    /** The layer's own on-call over {@code [from, to)}, clipped to the range. */
    static List<LayerSegment> layerSegments(Layer layer, ZoneId zone, Instant from, Instant to) {
        if (layer.participants().isEmpty() || !from.isBefore(to)) {
            return List.of();
        }
        List<Instant[]> windows = layer.restrictions().isEmpty() ? null : windows(layer, zone, from, to);
        List<LayerSegment> out = new ArrayList<>();
        int w = 0;
        long i = Math.max(0, shiftIndex(layer, zone, from));
        Instant start = boundary(layer, zone, i);
        boolean absolute = layer.shiftUnit() == ShiftUnit.HOURS;
        long periodSeconds = layer.shiftAmount() * 3600L;
        while (start.isBefore(to)) {
            Instant end = absolute ? start.plusSeconds(periodSeconds) : boundary(layer, zone, i + 1);
            Instant clippedStart = start.isBefore(from) ? from : start;
            Instant clippedEnd = end.isAfter(to) ? to : end;
            if (clippedStart.isBefore(clippedEnd)) {
                List<UUID> people = slotPeople(layer, i);
                if (windows == null) {
                    out.add(new LayerSegment(clippedStart, clippedEnd, people));
                } else {
                    while (w < windows.size() && !windows.get(w)[1].isAfter(clippedStart)) {
                        w++;
                    }
                    for (int k = w; k < windows.size() && windows.get(k)[0].isBefore(clippedEnd); k++) {
                        Instant a = max(clippedStart, windows.get(k)[0]);
                        Instant b = min(clippedEnd, windows.get(k)[1]);
                        if (a.isBefore(b)) {
                            out.add(new LayerSegment(a, b, people));
                        }
                    }
                }
            }
            i++;
            start = end;
        }
        return out;
    }

    // ------------------------------------------------------------------ the final schedule

    /** Who is on call at {@code t}, in slot order, with provenance. O(layers + overrides). */
    public static List<Assignment> at(Schedule schedule, List<Override> overrides, Instant t) {
        List<Assignment> base = List.of();
        for (Layer layer : byLevelDescending(schedule.layers())) {
            List<UUID> people = layerAt(layer, schedule.zone(), t);
            if (!people.isEmpty()) {
                base = assignments(layer, people);
                break;
            }
        }
        List<Override> active = new ArrayList<>();
        for (Override o : overrides) {
            if (!o.start().isAfter(t) && o.end().isAfter(t)) {
                active.add(o);
            }
        }
        active.sort(OVERRIDE_ORDER);
        return applyOverrides(base, active);
    }

    /**
     * The final on-call over {@code [from, to)}: maximal segments with the same assignments, in time
     * order. Stretches with no one on call are left out.
     */
    public static List<Segment> render(Schedule schedule, List<Override> overrides, Instant from, Instant to) {
        if (!from.isBefore(to)) {
            return List.of();
        }
        List<Layer> layers = byLevelDescending(schedule.layers());
        List<List<LayerSegment>> perLayer = new ArrayList<>(layers.size());
        List<Instant> cuts = new ArrayList<>();
        cuts.add(from);
        cuts.add(to);
        for (Layer layer : layers) {
            List<LayerSegment> segments = layerSegments(layer, schedule.zone(), from, to);
            perLayer.add(segments);
            for (LayerSegment s : segments) {
                cuts.add(s.start());
                cuts.add(s.end());
            }
        }
        List<Override> relevant = new ArrayList<>();
        for (Override o : overrides) {
            if (o.end().isAfter(from) && o.start().isBefore(to)) {
                relevant.add(o);
                cuts.add(max(o.start(), from));
                cuts.add(min(o.end(), to));
            }
        }
        relevant.sort(OVERRIDE_ORDER);
        Instant[] sorted = cuts.toArray(Instant[]::new);
        Arrays.sort(sorted);
        int unique = 0;
        for (int i = 0; i < sorted.length; i++) {
            if (unique == 0 || !sorted[i].equals(sorted[unique - 1])) {
                sorted[unique++] = sorted[i];
            }
        }
        Instant[] bounds = Arrays.copyOf(sorted, unique);
        // layer assignments built once per layer segment, not once per elementary interval
        List<List<List<Assignment>>> assigned = new ArrayList<>(layers.size());
        for (int l = 0; l < layers.size(); l++) {
            List<List<Assignment>> forLayer = new ArrayList<>(perLayer.get(l).size());
            for (LayerSegment segment : perLayer.get(l)) {
                forLayer.add(assignments(layers.get(l), segment.people()));
            }
            assigned.add(forLayer);
        }

        int[] pointers = new int[layers.size()];
        List<Segment> out = new ArrayList<>();
        List<Override> active = new ArrayList<>();
        for (int k = 0; k + 1 < bounds.length; k++) {
            Instant a = bounds[k];
            Instant b = bounds[k + 1];
            List<Assignment> base = List.of();
            for (int l = 0; l < layers.size(); l++) {
                List<LayerSegment> segments = perLayer.get(l);
                int p = pointers[l];
                while (p < segments.size() && !segments.get(p).end().isAfter(a)) {
                    p++;
                }
                pointers[l] = p;
                if (p < segments.size() && !segments.get(p).start().isAfter(a)) {
                    base = assigned.get(l).get(p);
                    break;
                }
            }
            active.clear();
            for (Override o : relevant) {
                if (o.start().isAfter(a)) {
                    break;
                }
                if (o.end().isAfter(a)) {
                    active.add(o);
                }
            }
            List<Assignment> finalList = applyOverrides(base, active);
            if (finalList.isEmpty()) {
                continue;
            }
            Segment last = out.isEmpty() ? null : out.get(out.size() - 1);
            if (last != null && last.end().equals(a) && last.assignments().equals(finalList)) {
                out.set(out.size() - 1, new Segment(last.start(), b, last.assignments()));
            } else {
                out.add(new Segment(a, b, finalList));
            }
        }
        return out;
    }

    /**
     * Overrides in start order: those without {@code replacesPersonId} take the whole list; each
     * replacing override takes the place (slot) of the person it replaces, where that person is on.
     */
    static List<Assignment> applyOverrides(List<Assignment> base, List<Override> active) {
        if (active.isEmpty()) {
            return base;
        }
        List<Assignment> result = new ArrayList<>();
        boolean takeAll = false;
        for (Override o : active) {
            if (o.replacesPersonId() == null) {
                takeAll = true;
                result.add(new Assignment(o.personId(), Source.OVERRIDE, o.id()));
            }
        }
        if (!takeAll) {
            result.addAll(base);
        }
        for (Override o : active) {
            if (o.replacesPersonId() == null) {
                continue;
            }
            for (int i = 0; i < result.size(); i++) {
                if (result.get(i).personId().equals(o.replacesPersonId())) {
                    result.set(i, new Assignment(o.personId(), Source.OVERRIDE, o.id()));
                    break;
                }
            }
        }
        Set<UUID> seen = new HashSet<>();
        result.removeIf(a -> !seen.add(a.personId()));
        return List.copyOf(result);
    }

    // ------------------------------------------------------------------ views of the segments

    /** Each person's continuous time on call per source, in start order (slot order at equal starts). */
    public static List<Shift> shifts(List<Segment> segments) {
        record Key(UUID person, UUID source) {
        }
        Map<Key, Shift> open = new LinkedHashMap<>();
        List<Shift> done = new ArrayList<>();
        for (Segment segment : segments) {
            Set<Key> present = new HashSet<>();
            for (Assignment a : segment.assignments()) {
                Key key = new Key(a.personId(), a.sourceId());
                present.add(key);
                Shift current = open.get(key);
                if (current != null && current.end().equals(segment.start())) {
                    open.put(key, new Shift(current.personId(), current.start(), segment.end(), current.source(),
                            current.sourceId()));
                } else {
                    if (current != null) {
                        done.add(current);
                    }
                    open.put(key, new Shift(a.personId(), segment.start(), segment.end(), a.source(), a.sourceId()));
                }
            }
            open.entrySet().removeIf(e -> {
                if (!present.contains(e.getKey())) {
                    done.add(e.getValue());
                    return true;
                }
                return false;
            });
        }
        done.addAll(open.values());
        done.sort(Comparator.comparing(Shift::start));
        return done;
    }

    /** Each person's continuous time on call whatever the source, in start order. */
    public static List<Run> runs(List<Segment> segments) {
        Map<UUID, Run> open = new LinkedHashMap<>();
        List<Run> done = new ArrayList<>();
        for (Segment segment : segments) {
            Set<UUID> present = new HashSet<>();
            for (Assignment a : segment.assignments()) {
                present.add(a.personId());
                Run current = open.get(a.personId());
                if (current != null && current.end().equals(segment.start())) {
                    open.put(a.personId(), new Run(a.personId(), current.start(), segment.end()));
                } else {
                    if (current != null) {
                        done.add(current);
                    }
                    open.put(a.personId(), new Run(a.personId(), segment.start(), segment.end()));
                }
            }
            open.entrySet().removeIf(e -> {
                if (!present.contains(e.getKey())) {
                    done.add(e.getValue());
                    return true;
                }
                return false;
            });
        }
        done.addAll(open.values());
        done.sort(Comparator.comparing(Run::start));
        return done;
    }

    /** One person on call at an instant, with the span of their continuous time on call. */
    public record Current(Assignment assignment, Instant since, Instant until) {
    }

    /**
     * Who is on call at {@code t}, since and until when, and the next instant the set of people
     * changes. Rendered over {@code [windowFrom, windowTo)}; a value that reaches the window edge is
     * unknown (null) and {@code complete} is false, so the caller may retry with a wider window.
     */
    public record State(List<Current> onCall, Instant nextHandoff, boolean complete, Instant validFrom,
                        Instant validUntil) {
    }

    public static State stateAt(Schedule schedule, List<Override> overrides, Instant t,
                                Instant windowFrom, Instant windowTo) {
        List<Segment> segments = render(schedule, overrides, windowFrom, windowTo);
        return stateAt(segments, t, windowFrom, windowTo);
    }

    static State stateAt(List<Segment> segments, Instant t, Instant windowFrom, Instant windowTo) {
        int index = -1;
        int nextIndex = segments.size();
        for (int i = 0; i < segments.size(); i++) {
            Segment s = segments.get(i);
            if (s.contains(t)) {
                index = i;
                nextIndex = i + 1;
                break;
            }
            if (s.start().isAfter(t)) {
                nextIndex = i;
                break;
            }
        }
        boolean complete = true;
        List<Current> onCall = new ArrayList<>();
        if (index >= 0) {
            Segment here = segments.get(index);
            for (Assignment a : here.assignments()) {
                int first = index;
                while (first > 0 && segments.get(first - 1).end().equals(segments.get(first).start())
                        && segments.get(first - 1).hasPerson(a.personId())) {
                    first--;
                }
                int last = index;
                while (last + 1 < segments.size() && segments.get(last + 1).start().equals(segments.get(last).end())
                        && segments.get(last + 1).hasPerson(a.personId())) {
                    last++;
                }
                Instant since = segments.get(first).start();
                Instant until = segments.get(last).end();
                if (!since.isAfter(windowFrom)) {
                    since = null;
                    complete = false;
                }
                if (!until.isBefore(windowTo)) {
                    until = null;
                    complete = false;
                }
                onCall.add(new Current(a, since, until));
            }
        }
        Instant next = null;
        if (index >= 0) {
            Set<UUID> people = people(segments.get(index));
            Instant cursor = segments.get(index).end();
            int j = index + 1;
            while (true) {
                if (j >= segments.size()) {
                    next = cursor.isBefore(windowTo) ? cursor : null;
                    break;
                }
                Segment s = segments.get(j);
                if (!s.start().equals(cursor) || !people(s).equals(people)) {
                    next = cursor;
                    break;
                }
                cursor = s.end();
                j++;
            }
        } else if (nextIndex < segments.size()) {
            next = segments.get(nextIndex).start();
        }
        if (next == null) {
            complete = false;
        }
        // the answer is the same anywhere in the segment (or gap) around t
        Instant validFrom;
        Instant validUntil;
        if (index >= 0) {
            validFrom = segments.get(index).start();
            validUntil = segments.get(index).end();
        } else {
            validFrom = nextIndex > 0 ? segments.get(nextIndex - 1).end() : windowFrom;
            validUntil = nextIndex < segments.size() ? segments.get(nextIndex).start() : windowTo;
        }
        return new State(List.copyOf(onCall), next, complete, validFrom, validUntil);
    }

    private static Set<UUID> people(Segment segment) {
        Set<UUID> people = new HashSet<>();
        for (Assignment a : segment.assignments()) {
            people.add(a.personId());
        }
        return people;
    }

    // ------------------------------------------------------------------ helpers

    private static List<Layer> byLevelDescending(List<Layer> layers) {
        if (layers.size() < 2) {
            return layers;
        }
        Layer[] sorted = layers.toArray(Layer[]::new);
        Arrays.sort(sorted, Comparator.comparingInt(Layer::level).reversed());
        return Arrays.asList(sorted);
    }

    private static List<Assignment> assignments(Layer layer, List<UUID> people) {
        List<Assignment> list = new ArrayList<>(people.size());
        for (UUID person : people) {
            list.add(new Assignment(person, Source.LAYER, layer.id()));
        }
        return list;
    }

    private static Instant max(Instant a, Instant b) {
        return a.isAfter(b) ? a : b;
    }

    private static Instant min(Instant a, Instant b) {
        return a.isBefore(b) ? a : b;
    }
}

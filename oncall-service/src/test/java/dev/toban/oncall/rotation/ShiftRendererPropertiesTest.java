package dev.toban.oncall.rotation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.toban.oncall.rotation.Rotation.Assignment;
import dev.toban.oncall.rotation.Rotation.Layer;
import dev.toban.oncall.rotation.Rotation.Override;
import dev.toban.oncall.rotation.Rotation.Restriction;
import dev.toban.oncall.rotation.Rotation.Schedule;
import dev.toban.oncall.rotation.Rotation.Segment;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;

/** Random schedules: the O(1) answer at an instant always agrees with the full rendering. */
class ShiftRendererPropertiesTest {

    static final List<ZoneId> ZONES = List.of(ZoneId.of("Europe/Berlin"), ZoneId.of("Asia/Tokyo"),
            ZoneId.of("America/New_York"), ZoneId.of("Australia/Lord_Howe"), ZoneId.of("UTC"));
    static final List<UUID> PEOPLE = List.of(UUID.randomUUID(), UUID.randomUUID(), UUID.randomUUID(),
            UUID.randomUUID(), UUID.randomUUID(), UUID.randomUUID());
    static final Instant BASE = Instant.parse("2026-01-01T00:00:00Z");

    static Schedule randomSchedule(Random random) {
        ZoneId zone = ZONES.get(random.nextInt(ZONES.size()));
        int layerCount = 1 + random.nextInt(3);
        List<Layer> layers = new ArrayList<>();
        for (int l = 0; l < layerCount; l++) {
            int n = 1 + random.nextInt(4);
            List<UUID> participants = new ArrayList<>(PEOPLE.subList(0, 6));
            java.util.Collections.shuffle(participants, random);
            participants = participants.subList(0, n);
            int slots = 1 + random.nextInt(n);
            ShiftUnit unit = ShiftUnit.values()[random.nextInt(3)];
            int amount = unit == ShiftUnit.HOURS ? 1 + random.nextInt(24) : 1 + random.nextInt(3);
            LocalTime handoff = LocalTime.of(random.nextInt(24), random.nextInt(4) * 15);
            LocalDate start = LocalDate.of(2026, 1, 1).plusDays(random.nextInt(60) - 30);
            List<Restriction> restrictions = new ArrayList<>();
            if (random.nextInt(3) == 0) {
                Set<DayOfWeek> days = EnumSet.noneOf(DayOfWeek.class);
                for (DayOfWeek d : DayOfWeek.values()) {
                    if (random.nextBoolean()) {
                        days.add(d);
                    }
                }
                if (days.isEmpty()) {
                    days.add(DayOfWeek.MONDAY);
                }
                restrictions.add(new Restriction(days, LocalTime.of(random.nextInt(24), 0),
                        LocalTime.of(random.nextInt(24), 30)));
            }
            layers.add(new Layer(UUID.randomUUID(), "l" + l, l + random.nextInt(2) * 10, participants, slots, amount,
                    unit, handoff, start, restrictions));
        }
        return new Schedule(UUID.randomUUID(), zone, layers);
    }

    static List<Override> randomOverrides(Random random) {
        List<Override> overrides = new ArrayList<>();
        int count = random.nextInt(4);
        for (int i = 0; i < count; i++) {
            Instant start = BASE.plus(Duration.ofMinutes(random.nextInt(60 * 24 * 90)));
            Instant end = start.plus(Duration.ofMinutes(30 + random.nextInt(60 * 24 * 4)));
            UUID replaces = random.nextBoolean() ? PEOPLE.get(random.nextInt(6)) : null;
            overrides.add(new Override(UUID.randomUUID(), PEOPLE.get(random.nextInt(6)), replaces, start, end));
        }
        return overrides;
    }

    @Property(tries = 300)
    void theAnswerAtAnInstantAgreesWithTheRendering(@ForAll long seed) {
        Random random = new Random(seed);
        Schedule schedule = randomSchedule(random);
        List<Override> overrides = randomOverrides(random);
        Instant from = BASE.minus(Duration.ofDays(40));
        Instant to = BASE.plus(Duration.ofDays(100));
        List<Segment> segments = ShiftRenderer.render(schedule, overrides, from, to);
        for (int i = 1; i < segments.size(); i++) {
            assertFalse(segments.get(i).start().isBefore(segments.get(i - 1).end()));
            assertFalse(segments.get(i).start().equals(segments.get(i - 1).end())
                    && segments.get(i).assignments().equals(segments.get(i - 1).assignments()), "not merged");
        }
        for (int probe = 0; probe < 50; probe++) {
            Instant t = from.plusSeconds((long) (random.nextDouble() * Duration.between(from, to).toSeconds()));
            List<Assignment> expected = segments.stream().filter(s -> s.contains(t)).findFirst()
                    .map(Segment::assignments).orElse(List.of());
            assertEquals(expected, ShiftRenderer.at(schedule, overrides, t), "at " + t + " in " + schedule);
        }
        for (Segment s : segments) {
            assertEquals(s.assignments(), ShiftRenderer.at(schedule, overrides, s.start()), "at a segment start");
        }
    }

    @Property(tries = 300)
    void theArithmeticShiftIndexMatchesTheBoundaries(@ForAll long seed,
                                                    @ForAll @LongRange(min = -200_000_000L, max = 2_000_000_000L) long offsetSeconds) {
        Random random = new Random(seed);
        Schedule schedule = randomSchedule(random);
        Layer layer = schedule.layers().get(0);
        Instant t = BASE.plusSeconds(offsetSeconds);
        long i = ShiftRenderer.shiftIndex(layer, schedule.zone(), t);
        assertFalse(ShiftRenderer.boundary(layer, schedule.zone(), i).isAfter(t));
        assertTrue(ShiftRenderer.boundary(layer, schedule.zone(), i + 1).isAfter(t));
    }

    @Property(tries = 100)
    void consecutiveShiftsOfALayerAlwaysMeet(@ForAll long seed, @ForAll @IntRange(min = 0, max = 500) int shift) {
        Random random = new Random(seed);
        Schedule schedule = randomSchedule(random);
        for (Layer layer : schedule.layers()) {
            Instant a = ShiftRenderer.boundary(layer, schedule.zone(), shift);
            Instant b = ShiftRenderer.boundary(layer, schedule.zone(), shift + 1);
            assertTrue(b.isAfter(a));
            if (layer.shiftUnit() != ShiftUnit.HOURS) {
                java.time.ZonedDateTime local = a.atZone(schedule.zone());
                boolean inGap = schedule.zone().getRules()
                        .getValidOffsets(java.time.LocalDateTime.of(local.toLocalDate(), layer.handoffTime())).isEmpty()
                        || schedule.zone().getRules().getValidOffsets(
                                java.time.LocalDateTime.of(local.toLocalDate().minusDays(1), layer.handoffTime())).isEmpty();
                assertTrue(local.toLocalTime().equals(layer.handoffTime()) || inGap,
                        "wall-clock handoff unless it falls into a DST gap: " + local);
            }
        }
    }

    /** What /api/oncall/now caches: the answer is the same anywhere in [validFrom, validUntil). */
    @Property(tries = 200)
    void theAnswerAtAnInstantHoldsThroughoutItsValidityInterval(@ForAll long seed) {
        Random random = new Random(seed);
        Schedule schedule = randomSchedule(random);
        List<Override> overrides = randomOverrides(random);
        Duration window = Duration.ofDays(40);
        Instant t = BASE.plus(Duration.ofMinutes(random.nextInt(60 * 24 * 60)));
        ShiftRenderer.State state = ShiftRenderer.stateAt(schedule, overrides, t, t.minus(window), t.plus(window));
        if (!state.complete()) {
            return;
        }
        assertFalse(t.isBefore(state.validFrom()));
        assertTrue(t.isBefore(state.validUntil()));
        long span = Duration.between(state.validFrom(), state.validUntil()).toSeconds();
        for (int probe = 0; probe < 5; probe++) {
            Instant other = state.validFrom().plusSeconds((long) (random.nextDouble() * span));
            if (other.isBefore(t.minus(Duration.ofDays(20))) || other.isAfter(t.plus(Duration.ofDays(20)))) {
                continue; // keep the same window well inside the rendered range
            }
            ShiftRenderer.State again = ShiftRenderer.stateAt(schedule, overrides, other, t.minus(window), t.plus(window));
            assertEquals(state.onCall(), again.onCall(), "on call at " + other + " vs " + t);
            assertEquals(state.nextHandoff(), again.nextHandoff());
        }
    }
}

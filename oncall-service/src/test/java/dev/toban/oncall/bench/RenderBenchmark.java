package dev.toban.oncall.bench;

import dev.toban.oncall.rotation.Rotation;
import dev.toban.oncall.rotation.ShiftRenderer;
import dev.toban.oncall.rotation.ShiftUnit;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.UUID;

/**
 * Renders one schedule-year (3 layers, a year of overrides) repeatedly with the engine alone and
 * prints p50/p99 in milliseconds. Run by bench/oncall.sh; not a test.
 */
public final class RenderBenchmark {

    private RenderBenchmark() {
    }

    public static void main(String[] args) {
        int iterations = args.length > 0 ? Integer.parseInt(args[0]) : 500;
        List<UUID> people = new ArrayList<>();
        for (int i = 0; i < 9; i++) {
            people.add(UUID.randomUUID());
        }
        ZoneId zone = ZoneId.of("Europe/Berlin");
        Rotation.Layer weekly = new Rotation.Layer(UUID.randomUUID(), "weekly", 1, people.subList(0, 4), 2, 1,
                ShiftUnit.WEEKS, LocalTime.of(10, 0), LocalDate.of(2024, 1, 1), List.of());
        Rotation.Layer office = new Rotation.Layer(UUID.randomUUID(), "office", 2, people.subList(4, 7), 1, 1,
                ShiftUnit.DAYS, LocalTime.of(10, 0), LocalDate.of(2024, 1, 1),
                List.of(new Rotation.Restriction(EnumSet.range(DayOfWeek.MONDAY, DayOfWeek.FRIDAY), LocalTime.of(10, 0),
                        LocalTime.of(19, 0))));
        Rotation.Layer weekend = new Rotation.Layer(UUID.randomUUID(), "weekend", 3, people.subList(7, 9), 1, 8,
                ShiftUnit.HOURS, LocalTime.of(9, 0), LocalDate.of(2024, 1, 6),
                List.of(new Rotation.Restriction(EnumSet.of(DayOfWeek.SATURDAY, DayOfWeek.SUNDAY), LocalTime.of(9, 0),
                        LocalTime.of(21, 0))));
        Rotation.Schedule schedule = new Rotation.Schedule(UUID.randomUUID(), zone, List.of(weekly, office, weekend));
        Instant from = Instant.parse("2026-01-01T00:00:00Z");
        Instant to = from.plus(Duration.ofDays(365));
        List<Rotation.Override> overrides = new ArrayList<>();
        for (int week = 0; week < 52; week++) {
            Instant start = from.plus(Duration.ofDays(7L * week + 2)).plus(Duration.ofHours(week % 24));
            overrides.add(new Rotation.Override(UUID.randomUUID(), people.get(week % 9),
                    week % 3 == 0 ? null : people.get(week % 4), start, start.plus(Duration.ofHours(4 + week % 20))));
        }
        int segments = 0;
        for (int i = 0; i < 200; i++) {
            segments = ShiftRenderer.render(schedule, overrides, from, to).size();
        }
        long[] nanos = new long[iterations];
        for (int i = 0; i < iterations; i++) {
            long t0 = System.nanoTime();
            List<Rotation.Segment> rendered = ShiftRenderer.render(schedule, overrides, from, to);
            ShiftRenderer.shifts(rendered);
            nanos[i] = System.nanoTime() - t0;
        }
        Arrays.sort(nanos);
        System.out.printf("render_segments=%d%n", segments);
        System.out.printf("render_p50_ms=%.3f%n", nanos[iterations / 2] / 1e6);
        System.out.printf("render_p99_ms=%.3f%n", nanos[(int) Math.min(iterations - 1, Math.ceil(iterations * 0.99) - 1)] / 1e6);
    }
}

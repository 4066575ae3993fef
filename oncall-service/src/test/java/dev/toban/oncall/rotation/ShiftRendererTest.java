package dev.toban.oncall.rotation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.toban.oncall.rotation.Rotation.Assignment;
import dev.toban.oncall.rotation.Rotation.Layer;
import dev.toban.oncall.rotation.Rotation.Override;
import dev.toban.oncall.rotation.Rotation.Restriction;
import dev.toban.oncall.rotation.Rotation.Run;
import dev.toban.oncall.rotation.Rotation.Schedule;
import dev.toban.oncall.rotation.Rotation.Segment;
import dev.toban.oncall.rotation.Rotation.Shift;
import dev.toban.oncall.rotation.Rotation.Source;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class ShiftRendererTest {

    static final ZoneId TOKYO = ZoneId.of("Asia/Tokyo");
    static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");
    static final UUID A = id("a");
    static final UUID B = id("b");
    static final UUID C = id("c");
    static final UUID D = id("d");
    static final UUID E = id("e");
    static final UUID F = id("f");

    static UUID id(String name) {
        return UUID.nameUUIDFromBytes(name.getBytes());
    }

    static Layer layer(String name, int level, List<UUID> people, int slots, int amount, ShiftUnit unit,
                       String handoff, String startDate, Restriction... restrictions) {
        return new Layer(id("layer-" + name), name, level, people, slots, amount, unit, LocalTime.parse(handoff),
                LocalDate.parse(startDate), List.of(restrictions));
    }

    static Schedule schedule(ZoneId zone, Layer... layers) {
        return new Schedule(id("schedule"), zone, List.of(layers));
    }

    static Instant local(String dateTime, ZoneId zone) {
        return LocalDateTime.parse(dateTime).atZone(zone).toInstant();
    }

    static List<UUID> people(List<Assignment> assignments) {
        return assignments.stream().map(Assignment::personId).toList();
    }

    /** The segments of a render must never overlap, and must be ordered. */
    static void assertOrderedWithoutOverlap(List<Segment> segments) {
        for (int i = 1; i < segments.size(); i++) {
            assertFalse(segments.get(i).start().isBefore(segments.get(i - 1).end()), "overlap at " + i);
        }
        for (Segment s : segments) {
            assertTrue(s.start().isBefore(s.end()), "empty segment " + s);
        }
    }

    @Nested
    class DaylightSavingTime {

        @Test
        void dailyShiftsInBerlinKeepTheirWallClockHandoffAcrossTheSpringChange() {
            // 2026-03-29 02:00 CET -> 03:00 CEST
            Layer daily = layer("daily", 1, List.of(A, B, C), 1, 1, ShiftUnit.DAYS, "09:00", "2026-03-27");
            Schedule s = schedule(BERLIN, daily);
            List<Segment> segments = ShiftRenderer.render(s, List.of(),
                    local("2026-03-27T09:00", BERLIN), local("2026-03-31T09:00", BERLIN));

            assertEquals(4, segments.size());
            for (int i = 0; i < segments.size(); i++) {
                assertEquals(LocalTime.of(9, 0), segments.get(i).start().atZone(BERLIN).toLocalTime());
                assertEquals(LocalTime.of(9, 0), segments.get(i).end().atZone(BERLIN).toLocalTime());
                if (i > 0) {
                    assertEquals(segments.get(i - 1).end(), segments.get(i).start(), "no gap, no double cover");
                }
            }
            assertEquals(Duration.ofHours(24), Duration.between(segments.get(0).start(), segments.get(0).end()));
            assertEquals(Duration.ofHours(23), Duration.between(segments.get(1).start(), segments.get(1).end()),
                    "the shift that contains the change is an hour shorter");
            assertEquals(Instant.parse("2026-03-29T07:00:00Z"), segments.get(2).start());
            assertEquals(List.of(B), people(ShiftRenderer.at(s, List.of(), Instant.parse("2026-03-29T06:59:59Z"))));
            assertEquals(List.of(C), people(ShiftRenderer.at(s, List.of(), Instant.parse("2026-03-29T07:00:00Z"))));
        }

        @Test
        void dailyShiftsInBerlinKeepTheirWallClockHandoffAcrossTheAutumnChange() {
            // 2026-10-25 03:00 CEST -> 02:00 CET
            Layer daily = layer("daily", 1, List.of(A, B), 1, 1, ShiftUnit.DAYS, "09:00", "2026-10-23");
            Schedule s = schedule(BERLIN, daily);
            List<Segment> segments = ShiftRenderer.render(s, List.of(),
                    local("2026-10-23T09:00", BERLIN), local("2026-10-27T09:00", BERLIN));
            assertEquals(4, segments.size());
            assertEquals(Duration.ofHours(25), Duration.between(segments.get(1).start(), segments.get(1).end()),
                    "the shift that contains the change is an hour longer");
            assertEquals(Instant.parse("2026-10-25T08:00:00Z"), segments.get(2).start());
            for (int i = 1; i < segments.size(); i++) {
                assertEquals(segments.get(i - 1).end(), segments.get(i).start());
                assertEquals(LocalTime.of(9, 0), segments.get(i).start().atZone(BERLIN).toLocalTime());
            }
        }

        @Test
        void aHandoffInsideTheSpringGapMovesToTheFirstValidTimeAndShiftsStillMeet() {
            // 02:30 does not exist on 2026-03-29 in Berlin
            Layer daily = layer("daily", 1, List.of(A, B), 1, 1, ShiftUnit.DAYS, "02:30", "2026-03-27");
            Schedule s = schedule(BERLIN, daily);
            List<Segment> segments = ShiftRenderer.render(s, List.of(),
                    local("2026-03-27T02:30", BERLIN), local("2026-03-31T02:30", BERLIN));
            assertEquals(4, segments.size());
            assertEquals(LocalTime.of(3, 30), segments.get(2).start().atZone(BERLIN).toLocalTime());
            assertEquals(LocalTime.of(2, 30), segments.get(3).start().atZone(BERLIN).toLocalTime());
            for (int i = 1; i < segments.size(); i++) {
                assertEquals(segments.get(i - 1).end(), segments.get(i).start());
            }
        }

        @Test
        void aHandoffInsideTheAutumnOverlapHappensOnceAtTheFirstOccurrence() {
            // 02:30 happens twice on 2026-10-25 in Berlin
            Layer daily = layer("daily", 1, List.of(A, B), 1, 1, ShiftUnit.DAYS, "02:30", "2026-10-24");
            Schedule s = schedule(BERLIN, daily);
            List<Segment> segments = ShiftRenderer.render(s, List.of(),
                    local("2026-10-24T02:30", BERLIN), local("2026-10-27T02:30", BERLIN));
            assertEquals(3, segments.size());
            assertEquals(Instant.parse("2026-10-25T00:30:00Z"), segments.get(1).start(), "CEST occurrence");
            assertEquals(Duration.ofHours(25), Duration.between(segments.get(1).start(), segments.get(1).end()));
        }

        @Test
        void weeklyShiftsAcrossBothBerlinChangesStartMondayAtTen() {
            Layer weekly = layer("weekly", 1, List.of(A, B, C), 1, 1, ShiftUnit.WEEKS, "10:00", "2026-01-05");
            Schedule s = schedule(BERLIN, weekly);
            List<Segment> segments = ShiftRenderer.render(s, List.of(),
                    Instant.parse("2026-01-05T09:00:00Z"), Instant.parse("2027-01-04T09:00:00Z"));
            assertEquals(52, segments.size());
            long shortWeeks = 0;
            long longWeeks = 0;
            for (int i = 0; i < segments.size(); i++) {
                ZonedDateTime start = segments.get(i).start().atZone(BERLIN);
                assertEquals(DayOfWeek.MONDAY, start.getDayOfWeek());
                assertEquals(LocalTime.of(10, 0), start.toLocalTime());
                if (i > 0) {
                    assertEquals(segments.get(i - 1).end(), segments.get(i).start());
                }
                Duration length = Duration.between(segments.get(i).start(), segments.get(i).end());
                shortWeeks += length.equals(Duration.ofHours(167)) ? 1 : 0;
                longWeeks += length.equals(Duration.ofHours(169)) ? 1 : 0;
            }
            assertEquals(1, shortWeeks);
            assertEquals(1, longWeeks);
        }

        @Test
        void hourShiftsAreAbsoluteDurationsAcrossTheChange() {
            Layer twelve = layer("12h", 1, List.of(A, B), 1, 12, ShiftUnit.HOURS, "08:00", "2026-03-28");
            Schedule s = schedule(BERLIN, twelve);
            List<Segment> segments = ShiftRenderer.render(s, List.of(),
                    local("2026-03-28T08:00", BERLIN), local("2026-03-30T09:00", BERLIN));
            assertEquals(4, segments.size());
            for (Segment segment : segments) {
                assertEquals(Duration.ofHours(12), Duration.between(segment.start(), segment.end()));
            }
            assertEquals(LocalTime.of(9, 0), segments.get(2).start().atZone(BERLIN).toLocalTime(),
                    "wall clock moves by the hour the clocks jumped");
        }

        @Test
        void tokyoHasNoChangeAndWeeklyShiftsAreAlways168Hours() {
            Layer weekly = layer("weekly", 1, List.of(A, B, C, D), 2, 1, ShiftUnit.WEEKS, "10:00", "2024-01-01");
            Schedule s = schedule(TOKYO, weekly);
            List<Segment> segments = ShiftRenderer.render(s, List.of(),
                    Instant.parse("2026-01-01T00:00:00Z"), Instant.parse("2027-01-01T00:00:00Z"));
            for (int i = 1; i < segments.size() - 1; i++) {
                assertEquals(Duration.ofHours(168), Duration.between(segments.get(i).start(), segments.get(i).end()));
                assertEquals(Instant.parse("2026-01-05T01:00:00Z").plus(Duration.ofDays(7L * (i - 1))),
                        segments.get(i).start());
            }
        }
    }

    @Nested
    class Rotations {

        @Test
        void theSeedsServerScheduleHasTwoPeopleOnCallAndAlternatesWeekly() {
            Layer weekly = layer("weekly", 1, List.of(A, B, C, D), 2, 1, ShiftUnit.WEEKS, "10:00", "2024-01-01");
            Schedule s = schedule(TOKYO, weekly);
            assertEquals(List.of(A, B), people(ShiftRenderer.at(s, List.of(), local("2024-01-01T10:00", TOKYO))));
            assertEquals(List.of(C, D), people(ShiftRenderer.at(s, List.of(), local("2024-01-08T10:00", TOKYO))));
            assertEquals(List.of(C, D), people(ShiftRenderer.at(s, List.of(), local("2024-01-15T09:59", TOKYO))));
            assertEquals(List.of(A, B), people(ShiftRenderer.at(s, List.of(), local("2024-01-15T10:00", TOKYO))));
            assertEquals(List.of(), ShiftRenderer.at(s, List.of(), local("2024-01-01T09:59", TOKYO)),
                    "nobody before the layer starts");
        }

        @Test
        void slotsWrapAroundAnOddNumberOfParticipants() {
            Layer l = layer("l", 1, List.of(A, B, C), 2, 1, ShiftUnit.DAYS, "00:00", "2026-01-01");
            Schedule s = schedule(TOKYO, l);
            assertEquals(List.of(A, B), people(ShiftRenderer.at(s, List.of(), local("2026-01-01T12:00", TOKYO))));
            assertEquals(List.of(C, A), people(ShiftRenderer.at(s, List.of(), local("2026-01-02T12:00", TOKYO))));
            assertEquals(List.of(B, C), people(ShiftRenderer.at(s, List.of(), local("2026-01-03T12:00", TOKYO))));
        }

        @Test
        void multiDayShiftsUseTheWholePeriod() {
            Layer l = layer("l", 1, List.of(A, B), 1, 3, ShiftUnit.DAYS, "09:00", "2026-01-01");
            Schedule s = schedule(TOKYO, l);
            assertEquals(List.of(A), people(ShiftRenderer.at(s, List.of(), local("2026-01-04T08:59", TOKYO))));
            assertEquals(List.of(B), people(ShiftRenderer.at(s, List.of(), local("2026-01-04T09:00", TOKYO))));
            assertEquals(List.of(A), people(ShiftRenderer.at(s, List.of(), local("2026-01-07T09:00", TOKYO))));
        }

        @Test
        void theShiftIndexIsArithmeticFarFromTheStart() {
            Layer l = layer("l", 1, List.of(A, B, C), 1, 1, ShiftUnit.WEEKS, "10:00", "2000-01-03");
            long index = ShiftRenderer.shiftIndex(l, BERLIN, local("2100-01-04T10:00", BERLIN));
            assertEquals(local("2100-01-04T10:00", BERLIN).isBefore(ShiftRenderer.boundary(l, BERLIN, index + 1)), true);
            assertFalse(ShiftRenderer.boundary(l, BERLIN, index).isAfter(local("2100-01-04T10:00", BERLIN)));
        }
    }

    @Nested
    class LayersAndRestrictions {

        Restriction weekdays(String start, String end) {
            return new Restriction(EnumSet.range(DayOfWeek.MONDAY, DayOfWeek.FRIDAY), LocalTime.parse(start),
                    LocalTime.parse(end));
        }

        @Test
        void aHigherLayerWinsWhereItHasSomeoneAndTheLowerFillsTheRest() {
            Layer base = layer("base", 1, List.of(A), 1, 1, ShiftUnit.WEEKS, "10:00", "2026-01-05");
            Layer office = layer("office", 2, List.of(B, C), 1, 1, ShiftUnit.DAYS, "10:00", "2026-01-05",
                    weekdays("10:00", "19:00"));
            Schedule s = schedule(TOKYO, base, office);
            assertEquals(List.of(B), people(ShiftRenderer.at(s, List.of(), local("2026-01-05T10:00", TOKYO))));
            assertEquals(List.of(A), people(ShiftRenderer.at(s, List.of(), local("2026-01-05T19:00", TOKYO))));
            assertEquals(List.of(C), people(ShiftRenderer.at(s, List.of(), local("2026-01-06T18:59", TOKYO))));
            assertEquals(List.of(A), people(ShiftRenderer.at(s, List.of(), local("2026-01-10T12:00", TOKYO))),
                    "Saturday is outside the office layer");

            List<Segment> day = ShiftRenderer.render(s, List.of(), local("2026-01-05T10:00", TOKYO),
                    local("2026-01-06T10:00", TOKYO));
            assertEquals(2, day.size());
            assertEquals(local("2026-01-05T19:00", TOKYO), day.get(0).end());
            assertEquals(new Assignment(A, Source.LAYER, base.id()), day.get(1).assignments().get(0));
        }

        @Test
        void anOvernightRestrictionEndsTheNextMorning() {
            Layer night = layer("night", 1, List.of(A), 1, 1, ShiftUnit.WEEKS, "00:00", "2026-01-05",
                    new Restriction(Set.of(DayOfWeek.MONDAY), LocalTime.of(19, 0), LocalTime.of(10, 0)));
            Schedule s = schedule(TOKYO, night);
            List<Segment> week = ShiftRenderer.render(s, List.of(), local("2026-01-05T00:00", TOKYO),
                    local("2026-01-12T00:00", TOKYO));
            assertEquals(1, week.size());
            assertEquals(local("2026-01-05T19:00", TOKYO), week.get(0).start());
            assertEquals(local("2026-01-06T10:00", TOKYO), week.get(0).end());
        }

        @Test
        void aRestrictionWindowIsCutAtTheShiftHandoff() {
            Layer office = layer("office", 1, List.of(A, B), 1, 1, ShiftUnit.DAYS, "12:00", "2026-01-05",
                    weekdays("10:00", "19:00"));
            Schedule s = schedule(TOKYO, office);
            List<Segment> day = ShiftRenderer.render(s, List.of(), local("2026-01-06T00:00", TOKYO),
                    local("2026-01-07T00:00", TOKYO));
            assertEquals(2, day.size());
            assertEquals(List.of(A), people(day.get(0).assignments()));
            assertEquals(local("2026-01-06T12:00", TOKYO), day.get(0).end());
            assertEquals(List.of(B), people(day.get(1).assignments()));
        }

        @Test
        void restrictionWindowsFollowTheWallClockAcrossDst() {
            Layer office = layer("office", 1, List.of(A), 1, 1, ShiftUnit.WEEKS, "00:00", "2026-03-23",
                    weekdays("10:00", "19:00"));
            Schedule s = schedule(BERLIN, office);
            List<Segment> weeks = ShiftRenderer.render(s, List.of(), local("2026-03-26T00:00", BERLIN),
                    local("2026-03-31T00:00", BERLIN));
            assertEquals(3, weeks.size(), "Thursday, Friday, Monday");
            for (Segment segment : weeks) {
                assertEquals(LocalTime.of(10, 0), segment.start().atZone(BERLIN).toLocalTime());
                assertEquals(LocalTime.of(19, 0), segment.end().atZone(BERLIN).toLocalTime());
            }
        }
    }

    @Nested
    class Overrides {

        Layer weekly = layer("weekly", 1, List.of(A, B, C, D), 2, 1, ShiftUnit.WEEKS, "10:00", "2026-01-05");
        Schedule s = schedule(TOKYO, weekly);

        @Test
        void aReplacingOverrideTakesTheReplacedPersonsSlotOnly() {
            Override o = new Override(id("o1"), E, B, local("2026-01-06T00:00", TOKYO), local("2026-01-07T00:00", TOKYO));
            assertEquals(List.of(A, E), people(ShiftRenderer.at(s, List.of(o), local("2026-01-06T12:00", TOKYO))));
            List<Assignment> now = ShiftRenderer.at(s, List.of(o), local("2026-01-06T12:00", TOKYO));
            assertEquals(new Assignment(A, Source.LAYER, weekly.id()), now.get(0));
            assertEquals(new Assignment(E, Source.OVERRIDE, o.id()), now.get(1));
            assertEquals(List.of(A, B), people(ShiftRenderer.at(s, List.of(o), local("2026-01-07T00:00", TOKYO))));
        }

        @Test
        void aReplacingOverrideDoesNothingWhereThatPersonIsNotOnCall() {
            Override o = new Override(id("o1"), E, C, local("2026-01-06T00:00", TOKYO), local("2026-01-07T00:00", TOKYO));
            assertEquals(List.of(A, B), people(ShiftRenderer.at(s, List.of(o), local("2026-01-06T12:00", TOKYO))));
        }

        @Test
        void anOverrideWithoutReplacementMakesItsPersonTheOnlyOneOnCall() {
            Override o = new Override(id("o1"), E, null, local("2026-01-06T00:00", TOKYO), local("2026-01-07T00:00", TOKYO));
            List<Segment> segments = ShiftRenderer.render(s, List.of(o), local("2026-01-05T10:00", TOKYO),
                    local("2026-01-12T10:00", TOKYO));
            assertEquals(3, segments.size());
            assertEquals(List.of(E), people(segments.get(1).assignments()));
            assertEquals(o.start(), segments.get(1).start());
            assertEquals(o.end(), segments.get(1).end());
            assertOrderedWithoutOverlap(segments);
        }

        @Test
        void anOverrideWinsOverEveryLayerAndFillsAGap() {
            Layer office = layer("office", 1, List.of(A), 1, 1, ShiftUnit.WEEKS, "00:00", "2026-01-05",
                    new Restriction(EnumSet.range(DayOfWeek.MONDAY, DayOfWeek.FRIDAY), LocalTime.of(10, 0),
                            LocalTime.of(19, 0)));
            Schedule restricted = schedule(TOKYO, office);
            Override o = new Override(id("o1"), E, null, local("2026-01-05T18:00", TOKYO), local("2026-01-05T22:00", TOKYO));
            List<Segment> segments = ShiftRenderer.render(restricted, List.of(o), local("2026-01-05T00:00", TOKYO),
                    local("2026-01-06T00:00", TOKYO));
            assertEquals(2, segments.size());
            assertEquals(local("2026-01-05T18:00", TOKYO), segments.get(0).end());
            assertEquals(List.of(E), people(segments.get(1).assignments()));
            assertEquals(local("2026-01-05T22:00", TOKYO), segments.get(1).end());
        }

        @Test
        void twoReplacingOverridesCanCoverBothServerSlotsAtOnce() {
            Override o1 = new Override(id("o1"), E, A, local("2026-01-06T00:00", TOKYO), local("2026-01-08T00:00", TOKYO));
            Override o2 = new Override(id("o2"), F, B, local("2026-01-07T00:00", TOKYO), local("2026-01-09T00:00", TOKYO));
            assertEquals(List.of(E, F), people(ShiftRenderer.at(s, List.of(o1, o2), local("2026-01-07T12:00", TOKYO))));
            List<Shift> shifts = ShiftRenderer.shifts(ShiftRenderer.render(s, List.of(o1, o2),
                    local("2026-01-05T10:00", TOKYO), local("2026-01-12T10:00", TOKYO)));
            Shift e = shifts.stream().filter(x -> x.personId().equals(E)).findFirst().orElseThrow();
            assertEquals(o1.start(), e.start());
            assertEquals(o1.end(), e.end());
            assertEquals(Source.OVERRIDE, e.source());
            assertEquals(o1.id(), e.sourceId());
            assertEquals(2, shifts.stream().filter(x -> x.personId().equals(A)).count(), "A before and after E");
        }
    }

    @Nested
    class StateAndRuns {

        Layer weekly = layer("weekly", 1, List.of(A, B, C, D), 2, 1, ShiftUnit.WEEKS, "10:00", "2026-01-05");
        Schedule s = schedule(TOKYO, weekly);

        @Test
        void stateGivesSinceUntilAndTheNextHandoff() {
            Instant t = local("2026-01-07T12:00", TOKYO);
            ShiftRenderer.State state = ShiftRenderer.stateAt(s, List.of(), t, t.minus(Duration.ofDays(8)),
                    t.plus(Duration.ofDays(8)));
            assertTrue(state.complete());
            assertEquals(2, state.onCall().size());
            assertEquals(local("2026-01-05T10:00", TOKYO), state.onCall().get(0).since());
            assertEquals(local("2026-01-12T10:00", TOKYO), state.onCall().get(0).until());
            assertEquals(local("2026-01-12T10:00", TOKYO), state.nextHandoff());
        }

        @Test
        void aProvenanceChangeIsNotAHandoffButAPersonChangeIs() {
            Override same = new Override(id("o1"), A, A, local("2026-01-06T00:00", TOKYO), local("2026-01-07T00:00", TOKYO));
            Override swap = new Override(id("o2"), E, B, local("2026-01-08T00:00", TOKYO), local("2026-01-09T00:00", TOKYO));
            Instant t = local("2026-01-05T12:00", TOKYO);
            ShiftRenderer.State state = ShiftRenderer.stateAt(s, List.of(same, swap), t, t.minus(Duration.ofDays(8)),
                    t.plus(Duration.ofDays(8)));
            assertEquals(local("2026-01-08T00:00", TOKYO), state.nextHandoff());
            assertEquals(local("2026-01-08T00:00", TOKYO), state.onCall().get(1).until(), "B leaves for E");
        }

        @Test
        void somethingBeyondTheWindowIsUnknown() {
            Layer alone = layer("alone", 1, List.of(A), 1, 1, ShiftUnit.WEEKS, "10:00", "2026-01-05");
            Instant t = local("2026-02-04T12:00", TOKYO);
            ShiftRenderer.State state = ShiftRenderer.stateAt(schedule(TOKYO, alone), List.of(), t,
                    t.minus(Duration.ofDays(8)), t.plus(Duration.ofDays(8)));
            assertFalse(state.complete());
            assertNull(state.nextHandoff());
            assertNull(state.onCall().get(0).since());
            ShiftRenderer.State wider = ShiftRenderer.stateAt(schedule(TOKYO, alone), List.of(), t,
                    t.minus(Duration.ofDays(60)), t.plus(Duration.ofDays(8)));
            assertEquals(local("2026-01-05T10:00", TOKYO), wider.onCall().get(0).since());
        }

        @Test
        void runsJoinAPersonsTimeAcrossSources() {
            Override o = new Override(id("o1"), A, null, local("2026-01-12T10:00", TOKYO), local("2026-01-13T10:00", TOKYO));
            List<Run> runs = ShiftRenderer.runs(ShiftRenderer.render(s, List.of(o), local("2026-01-05T10:00", TOKYO),
                    local("2026-01-19T10:00", TOKYO)));
            Run first = runs.stream().filter(r -> r.personId().equals(A)).findFirst().orElseThrow();
            assertEquals(local("2026-01-05T10:00", TOKYO), first.start());
            assertEquals(local("2026-01-13T10:00", TOKYO), first.end(), "A stays on through the override");
        }
    }
}

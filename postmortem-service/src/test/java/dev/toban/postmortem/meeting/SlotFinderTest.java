package dev.toban.postmortem.meeting;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Slots across weekends, Japanese holidays, time zones and daylight saving time. */
class SlotFinderTest {

    static final ZoneId TOKYO = ZoneId.of("Asia/Tokyo");
    static final ZoneId NEW_YORK = ZoneId.of("America/New_York");
    static final Duration HOUR = Duration.ofHours(1);
    static final SlotFinder JP = new SlotFinder(BusinessCalendar.of("jp", List.of()), LocalTime.of(10, 0),
            LocalTime.of(18, 0), Duration.ofMinutes(30));
    static final SlotFinder NO_HOLIDAYS = new SlotFinder(BusinessCalendar.of("none", List.of()), LocalTime.of(10, 0),
            LocalTime.of(18, 0), Duration.ofMinutes(30));

    static Instant at(int year, int month, int day, int hour, int minute, ZoneId zone) {
        return ZonedDateTime.of(year, month, day, hour, minute, 0, 0, zone).toInstant();
    }

    static Instant first(SlotFinder finder, Instant earliest, ZoneId zone, List<SlotFinder.Interval> busy) {
        return finder.firstFree(earliest, zone, 5, HOUR, busy).orElseThrow().start();
    }

    @Test
    void startsOnTheNextStepInsideWorkingHours() {
        assertEquals(at(2026, 11, 25, 14, 30, TOKYO), first(JP, at(2026, 11, 25, 14, 10, TOKYO), TOKYO, List.of()));
        assertEquals(at(2026, 11, 25, 10, 0, TOKYO), first(JP, at(2026, 11, 25, 7, 0, TOKYO), TOKYO, List.of()));
        assertEquals(at(2026, 11, 25, 14, 0, TOKYO), first(JP, at(2026, 11, 25, 14, 0, TOKYO), TOKYO, List.of()));
    }

    @Test
    void aMeetingMustEndByTheEndOfTheWorkingDay() {
        assertEquals(at(2026, 11, 27, 17, 0, TOKYO), first(JP, at(2026, 11, 27, 17, 0, TOKYO), TOKYO, List.of()));
        // Friday 17:10: 17:30 + 1 h would end at 18:30, so the weekend is skipped to Monday
        assertEquals(at(2026, 11, 30, 10, 0, TOKYO), first(JP, at(2026, 11, 27, 17, 10, TOKYO), TOKYO, List.of()));
    }

    @Test
    void skipsWeekends() {
        assertEquals(at(2026, 11, 30, 10, 0, TOKYO), first(JP, at(2026, 11, 28, 11, 0, TOKYO), TOKYO, List.of()));
    }

    @Test
    void skipsJapaneseHolidays() {
        // Tue 2026-04-28 after hours -> Wed 04-29 昭和の日 -> Thu 04-30
        assertEquals(at(2026, 4, 30, 10, 0, TOKYO), first(JP, at(2026, 4, 28, 18, 30, TOKYO), TOKYO, List.of()));
        // Fri 2026-05-01 after hours -> weekend, 05-04 to 05-06 Golden Week -> Thu 05-07
        assertEquals(at(2026, 5, 7, 10, 0, TOKYO), first(JP, at(2026, 5, 1, 17, 30, TOKYO), TOKYO, List.of()));
        // Fri 2026-09-18 after hours -> weekend, 09-21 敬老の日, 09-22 国民の休日, 09-23 秋分の日 -> Thu 09-24
        assertEquals(at(2026, 9, 24, 10, 0, TOKYO), first(JP, at(2026, 9, 18, 18, 0, TOKYO), TOKYO, List.of()));
        // Fri 2025-02-21 after hours -> weekend, Mon 02-24 振替休日 -> Tue 02-25
        assertEquals(at(2025, 2, 25, 10, 0, TOKYO), first(JP, at(2025, 2, 21, 18, 0, TOKYO), TOKYO, List.of()));
    }

    @Test
    void avoidsBusyMeetings() {
        List<SlotFinder.Interval> busy = List.of(
                new SlotFinder.Interval(at(2026, 11, 30, 10, 0, TOKYO), at(2026, 11, 30, 11, 30, TOKYO)),
                new SlotFinder.Interval(at(2026, 11, 30, 12, 0, TOKYO), at(2026, 11, 30, 13, 0, TOKYO)));
        // 11:30-12:30 overlaps the noon meeting; 13:00 is the first free hour
        assertEquals(at(2026, 11, 30, 13, 0, TOKYO), first(JP, at(2026, 11, 30, 9, 0, TOKYO), TOKYO, busy));
        // a 30-minute meeting fits between them
        assertEquals(at(2026, 11, 30, 11, 30, TOKYO), JP.firstFree(at(2026, 11, 30, 9, 0, TOKYO), TOKYO, 5,
                Duration.ofMinutes(30), busy).orElseThrow().start());
    }

    @Test
    void workingHoursAreInTheTeamsTimeZone() {
        Instant mondayMorningInTokyo = Instant.parse("2026-11-30T01:00:00Z");
        assertEquals(mondayMorningInTokyo, first(NO_HOLIDAYS, mondayMorningInTokyo, TOKYO, List.of()));
        // the same instant is Sunday evening in New York: the slot is Monday 10:00 EST = 15:00Z
        assertEquals(Instant.parse("2026-11-30T15:00:00Z"), first(NO_HOLIDAYS, mondayMorningInTokyo, NEW_YORK, List.of()));
    }

    @Test
    void workingHoursFollowDaylightSavingTime() {
        // New York moves to EDT on Sunday 2026-03-08: Friday 10:00 EST is 15:00Z, Monday 10:00 EDT is 14:00Z
        assertEquals(Instant.parse("2026-03-06T15:00:00Z"),
                first(NO_HOLIDAYS, Instant.parse("2026-03-06T12:00:00Z"), NEW_YORK, List.of()));
        assertEquals(Instant.parse("2026-03-09T14:00:00Z"),
                first(NO_HOLIDAYS, Instant.parse("2026-03-06T23:00:00Z"), NEW_YORK, List.of()));
    }

    @Test
    void nothingFreeInTheWindowIsEmpty() {
        Instant from = at(2026, 11, 30, 9, 0, TOKYO);
        List<SlotFinder.Interval> allWeek = List.of(new SlotFinder.Interval(from, at(2026, 12, 31, 0, 0, TOKYO)));
        assertEquals(Optional.empty(), JP.firstFree(from, TOKYO, 5, HOUR, allWeek));
        // a meeting longer than the working day never fits
        assertEquals(Optional.empty(), JP.firstFree(from, TOKYO, 5, Duration.ofHours(9), List.of()));
    }

    @Test
    void theWindowCountsBusinessDaysNotCalendarDays() {
        Instant friday = at(2026, 5, 1, 18, 0, TOKYO);
        // 1 business day after Fri 05-01 is Thu 05-07 (weekend and Golden Week in between)
        assertEquals(at(2026, 5, 7, 10, 0, TOKYO), JP.firstFree(friday, TOKYO, 1, HOUR, List.of()).orElseThrow().start());
        List<SlotFinder.Interval> thursdayTaken = List.of(
                new SlotFinder.Interval(at(2026, 5, 7, 0, 0, TOKYO), at(2026, 5, 8, 0, 0, TOKYO)));
        assertEquals(Optional.empty(), JP.firstFree(friday, TOKYO, 1, HOUR, thursdayTaken));
        assertEquals(at(2026, 5, 8, 10, 0, TOKYO), JP.firstFree(friday, TOKYO, 2, HOUR, thursdayTaken).orElseThrow().start());
    }

    @Test
    void deadlineIsTheEndOfTheNthBusinessDay() {
        // resolved Wed 2026-11-25 15:00 JST, 3 business days: Thu, Fri, Mon -> Mon 11-30 18:00 JST
        assertEquals(Instant.parse("2026-11-30T09:00:00Z"), JP.deadline(at(2026, 11, 25, 15, 0, TOKYO), TOKYO, 3));
        // resolved Thu 2026-04-30: Fri 05-01, Thu 05-07, Fri 05-08
        assertEquals(at(2026, 5, 8, 18, 0, TOKYO), JP.deadline(at(2026, 4, 30, 11, 0, TOKYO), TOKYO, 3));
    }

    @Test
    void explainsWhyASlotIsOutsideWorkingHours() {
        assertTrue(JP.outsideWorkingHours(at(2026, 11, 30, 10, 0, TOKYO), HOUR, TOKYO).isEmpty());
        assertTrue(JP.outsideWorkingHours(at(2026, 11, 30, 17, 0, TOKYO), HOUR, TOKYO).isEmpty());
        assertTrue(JP.outsideWorkingHours(at(2026, 11, 30, 9, 30, TOKYO), HOUR, TOKYO).orElseThrow()
                .startsWith("is outside working hours (10:00-18:00 Asia/Tokyo)"));
        assertTrue(JP.outsideWorkingHours(at(2026, 11, 30, 17, 30, TOKYO), HOUR, TOKYO).isPresent());
        assertTrue(JP.outsideWorkingHours(at(2026, 11, 28, 11, 0, TOKYO), HOUR, TOKYO).orElseThrow().contains("saturday"));
        assertTrue(JP.outsideWorkingHours(at(2026, 11, 23, 11, 0, TOKYO), HOUR, TOKYO).orElseThrow().contains("勤労感謝の日"));
        assertEquals(LocalDate.of(2026, 11, 23), at(2026, 11, 23, 11, 0, TOKYO).atZone(TOKYO).toLocalDate());
    }
}

package dev.toban.postmortem.meeting;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.DayOfWeek;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class BusinessCalendarTest {

    static final BusinessCalendar JP = BusinessCalendar.of("jp", List.of());

    @Test
    void shipsJapanesePublicHolidaysFor2025To2028() {
        Map<Integer, Long> perYear = BusinessCalendar.load("holidays/jp.csv").keySet().stream()
                .collect(Collectors.groupingBy(LocalDate::getYear, Collectors.counting()));
        assertEquals(Map.of(2025, 19L, 2026, 18L, 2027, 17L, 2028, 16L), perYear);
        assertTrue(JP.coveredYears().containsAll(List.of(2025, 2026, 2027, 2028)));
    }

    @Test
    void holidaysIncludeSubstituteAndCitizensHolidays() {
        assertEquals("休日（振替休日）", JP.holidayName(LocalDate.of(2025, 5, 6)).orElseThrow());
        assertEquals("休日（国民の休日）", JP.holidayName(LocalDate.of(2026, 9, 22)).orElseThrow());
        assertEquals("休日（振替休日）", JP.holidayName(LocalDate.of(2027, 3, 22)).orElseThrow());
        assertEquals("春分の日", JP.holidayName(LocalDate.of(2028, 3, 20)).orElseThrow());
        assertFalse(JP.isBusinessDay(LocalDate.of(2026, 11, 23)), "勤労感謝の日 on a Monday");
        assertTrue(JP.isBusinessDay(LocalDate.of(2026, 11, 24)));
    }

    @Test
    void happyMondayHolidaysFallOnMondays() {
        BusinessCalendar.load("holidays/jp.csv").forEach((date, name) -> {
            if (name.equals("成人の日") || name.equals("海の日") || name.equals("敬老の日") || name.equals("スポーツの日")) {
                assertEquals(DayOfWeek.MONDAY, date.getDayOfWeek(), name + " " + date);
            }
        });
    }

    @Test
    void weekendsAreNotBusinessDays() {
        assertFalse(JP.isBusinessDay(LocalDate.of(2026, 11, 28)));
        assertFalse(JP.isBusinessDay(LocalDate.of(2026, 11, 29)));
        assertTrue(JP.isBusinessDay(LocalDate.of(2026, 11, 27)));
    }

    @Test
    void plusBusinessDaysSkipsWeekendsAndHolidays() {
        // Thu 2026-04-30 + 3: Fri 05-01, (weekend, 05-04..06 holidays), Thu 05-07, Fri 05-08
        assertEquals(LocalDate.of(2026, 5, 8), JP.plusBusinessDays(LocalDate.of(2026, 4, 30), 3));
        // Fri 2026-09-18 + 1: the silver week (09-21 to 09-23) is skipped
        assertEquals(LocalDate.of(2026, 9, 24), JP.plusBusinessDays(LocalDate.of(2026, 9, 18), 1));
        assertEquals(LocalDate.of(2026, 9, 18), JP.plusBusinessDays(LocalDate.of(2026, 9, 18), 0));
    }

    @Test
    void extraHolidaysFromConfigurationCount() {
        BusinessCalendar withYearEnd = BusinessCalendar.of("jp",
                List.of(LocalDate.of(2026, 12, 29), LocalDate.of(2026, 12, 30), LocalDate.of(2026, 12, 31)));
        assertFalse(withYearEnd.isBusinessDay(LocalDate.of(2026, 12, 30)));
        assertEquals(BusinessCalendar.EXTRA_HOLIDAY, withYearEnd.holidayName(LocalDate.of(2026, 12, 29)).orElseThrow());
        // Mon 12-28 + 1: 12-29..31 company holidays, 01-01 元日, weekend -> Mon 2027-01-04
        assertEquals(LocalDate.of(2027, 1, 4), withYearEnd.plusBusinessDays(LocalDate.of(2026, 12, 28), 1));
    }

    @Test
    void noneMeansWeekendsOnly() {
        BusinessCalendar none = BusinessCalendar.of("none", List.of());
        assertTrue(none.isBusinessDay(LocalDate.of(2026, 11, 23)));
        assertTrue(none.coveredYears().isEmpty());
    }
}

package dev.toban.oncall.web;

import dev.toban.oncall.schedule.OnCallService.ShiftView;
import dev.toban.oncall.schedule.OverrideService.OverrideView;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.format.TextStyle;
import java.time.temporal.TemporalAdjusters;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A week or a month of one schedule as rows of days: each layer's own rotation, the overrides, and
 * the effective (final) on-call, each cut at the schedule zone's midnights. It only lays out what
 * {@link dev.toban.oncall.schedule.OnCallService} computed.
 */
public record ScheduleCalendar(String view, LocalDate from, LocalDate to, LocalDate prev, LocalDate next,
                               String zone, List<String> layerNames, List<Day> days) {

    public static final String WEEK = "week";
    public static final String MONTH = "month";

    /** One person's time in one day; {@code from}/{@code to} are HH:mm, "24:00" for the end of the day. */
    public record Cell(String who, String from, String to, boolean override, String note) {
    }

    public record Day(LocalDate date, String weekday, boolean today, boolean weekend, List<List<Cell>> layers,
                      List<Cell> overrides, List<Cell> effective) {
    }

    /** The last day shown. */
    public LocalDate last() {
        return to.minusDays(1);
    }

    /** The range a view covers: a week from Monday, or a calendar month. */
    public record Range(String view, LocalDate from, LocalDate to, LocalDate prev, LocalDate next) {
        public static Range of(String view, LocalDate around) {
            if (MONTH.equals(view)) {
                LocalDate first = around.withDayOfMonth(1);
                return new Range(view, first, first.plusMonths(1), first.minusMonths(1), first.plusMonths(1));
            }
            LocalDate monday = around.with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY));
            return new Range(WEEK, monday, monday.plusWeeks(1), monday.minusWeeks(1), monday.plusWeeks(1));
        }

        public Instant start(ZoneId zone) {
            return from.atStartOfDay(zone).toInstant();
        }

        public Instant end(ZoneId zone) {
            return to.atStartOfDay(zone).toInstant();
        }
    }

    public static ScheduleCalendar build(Range range, ZoneId zone, String lang, LocalDate today, List<String> layerNames,
                                         List<List<ShiftView>> layerShifts, List<OverrideView> overrides,
                                         List<ShiftView> effective) {
        Locale locale = Locale.forLanguageTag(lang);
        List<Day> days = new ArrayList<>();
        for (LocalDate d = range.from(); d.isBefore(range.to()); d = d.plusDays(1)) {
            Instant start = d.atStartOfDay(zone).toInstant();
            Instant end = d.plusDays(1).atStartOfDay(zone).toInstant();
            List<List<Cell>> layers = new ArrayList<>();
            for (List<ShiftView> shifts : layerShifts) {
                layers.add(cells(shifts, start, end, zone, false));
            }
            List<Cell> overrideCells = new ArrayList<>();
            for (OverrideView o : overrides) {
                if (o.end().isAfter(start) && o.start().isBefore(end)) {
                    String who = o.person() == null ? "?" : o.person().name();
                    String replaces = o.replaces() == null ? null : "⇄ " + o.replaces().name();
                    overrideCells.add(cell(who, o.start(), o.end(), start, end, zone, true, replaces));
                }
            }
            DayOfWeek dow = d.getDayOfWeek();
            days.add(new Day(d, dow.getDisplayName(TextStyle.SHORT, locale), d.equals(today),
                    dow == DayOfWeek.SATURDAY || dow == DayOfWeek.SUNDAY, layers, overrideCells,
                    cells(effective, start, end, zone, true)));
        }
        return new ScheduleCalendar(range.view(), range.from(), range.to(), range.prev(), range.next(), zone.getId(),
                layerNames, days);
    }

    private static List<Cell> cells(List<ShiftView> shifts, Instant dayStart, Instant dayEnd, ZoneId zone,
                                    boolean markOverrides) {
        List<Cell> out = new ArrayList<>();
        for (ShiftView s : shifts) {
            if (s.end().isAfter(dayStart) && s.start().isBefore(dayEnd)) {
                String who = s.person() == null ? "?" : s.person().name();
                out.add(cell(who, s.start(), s.end(), dayStart, dayEnd, zone, markOverrides && s.overrideId() != null,
                        null));
            }
        }
        return out;
    }

    private static Cell cell(String who, Instant start, Instant end, Instant dayStart, Instant dayEnd, ZoneId zone,
                             boolean override, String note) {
        String from = start.isAfter(dayStart) ? Times.TIME.format(start.atZone(zone)) : "00:00";
        String to = end.isBefore(dayEnd) ? Times.TIME.format(end.atZone(zone)) : "24:00";
        return new Cell(who, from, to, override, note);
    }
}

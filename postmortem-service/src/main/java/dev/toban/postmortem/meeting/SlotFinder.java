package dev.toban.postmortem.meeting;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Optional;

/**
 * Finds meeting slots inside working hours on business days in a team's time zone. Pure: the
 * caller supplies "now" and the busy times, so it is easy to test.
 */
public final class SlotFinder {

    /** A time taken by another meeting. */
    public record Interval(Instant start, Instant end) {
        boolean overlaps(Instant otherStart, Instant otherEnd) {
            return start.isBefore(otherEnd) && end.isAfter(otherStart);
        }
    }

    public record Slot(Instant start, Instant end, ZoneId zone) {
    }

    private final BusinessCalendar calendar;
    private final LocalTime dayStart;
    private final LocalTime dayEnd;
    private final Duration step;

    public SlotFinder(BusinessCalendar calendar, LocalTime dayStart, LocalTime dayEnd, Duration step) {
        if (!dayEnd.isAfter(dayStart)) {
            throw new IllegalArgumentException("working hours must end after they start: " + dayStart + "-" + dayEnd);
        }
        if (step.isZero() || step.isNegative()) {
            throw new IllegalArgumentException("slot step must be positive");
        }
        this.calendar = calendar;
        this.dayStart = dayStart;
        this.dayEnd = dayEnd;
        this.step = step;
    }

    /**
     * The first start at or after {@code earliest}, on a step boundary, whose meeting of
     * {@code length} fits in working hours and overlaps no busy interval. The search covers the
     * day of {@code earliest} and the next {@code businessDays} business days.
     */
    public Optional<Slot> firstFree(Instant earliest, ZoneId zone, int businessDays, Duration length,
                                    List<Interval> busy) {
        LocalDate first = earliest.atZone(zone).toLocalDate();
        LocalDate last = calendar.plusBusinessDays(first, businessDays);
        for (LocalDate day = first; !day.isAfter(last); day = day.plusDays(1)) {
            if (!calendar.isBusinessDay(day)) {
                continue;
            }
            Instant closing = ZonedDateTime.of(day, dayEnd, zone).toInstant();
            for (Duration offset = Duration.ZERO; ; offset = offset.plus(step)) {
                LocalDateTime local = day.atTime(dayStart).plus(offset);
                if (!local.toLocalDate().equals(day) || !local.toLocalTime().isBefore(dayEnd)) {
                    break;
                }
                Instant start = local.atZone(zone).toInstant();
                Instant end = start.plus(length);
                if (end.isAfter(closing)) {
                    break;
                }
                if (!start.isBefore(earliest) && busy.stream().noneMatch(b -> b.overlaps(start, end))) {
                    return Optional.of(new Slot(start, end, zone));
                }
            }
        }
        return Optional.empty();
    }

    /** Why a meeting at {@code start} of {@code length} is outside working hours, or empty when it is inside. */
    public Optional<String> outsideWorkingHours(Instant start, Duration length, ZoneId zone) {
        ZonedDateTime local = start.atZone(zone);
        LocalDate day = local.toLocalDate();
        Optional<String> holiday = calendar.holidayName(day);
        if (holiday.isPresent()) {
            return Optional.of("is on a holiday (" + day + ", " + holiday.get() + ") in " + zone.getId());
        }
        if (!calendar.isBusinessDay(day)) {
            return Optional.of("is on a " + day.getDayOfWeek().toString().toLowerCase() + " (" + day + ") in " + zone.getId());
        }
        Instant opening = ZonedDateTime.of(day, dayStart, zone).toInstant();
        Instant closing = ZonedDateTime.of(day, dayEnd, zone).toInstant();
        if (start.isBefore(opening) || start.plus(length).isAfter(closing)) {
            DateTimeFormatter hm = DateTimeFormatter.ofPattern("HH:mm");
            return Optional.of("is outside working hours (" + hm.format(dayStart) + "-" + hm.format(dayEnd) + " "
                    + zone.getId() + "): it would run " + hm.format(local) + "-" + hm.format(start.plus(length).atZone(zone)));
        }
        return Optional.empty();
    }

    /** End of working hours on the {@code businessDays}th business day after the day of {@code from}. */
    public Instant deadline(Instant from, ZoneId zone, int businessDays) {
        LocalDate day = calendar.plusBusinessDays(from.atZone(zone).toLocalDate(), businessDays);
        return ZonedDateTime.of(day, dayEnd, zone).toInstant();
    }

    public LocalTime dayStart() {
        return dayStart;
    }

    public LocalTime dayEnd() {
        return dayEnd;
    }
}

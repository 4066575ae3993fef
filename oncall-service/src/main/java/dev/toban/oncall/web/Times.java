package dev.toban.oncall.web;

import io.quarkus.qute.TemplateExtension;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;

/** Instants on pages are always written in a named zone (the schedule's), which the page also shows. */
@TemplateExtension
public final class Times {

    static final DateTimeFormatter DATE_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm");
    static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm");
    /** What an {@code <input type="datetime-local">} expects. */
    static final DateTimeFormatter INPUT = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm");

    private Times() {
    }

    /** {@code {shift.start.at(zone)}}: 2026-11-26 10:00 in that zone. */
    static String at(Instant instant, String zone) {
        return instant == null ? "" : DATE_TIME.format(instant.atZone(ZoneId.of(zone)));
    }

    /** {@code {shift.start.day(zone)}}: the date in that zone, as a {@code ?from=} value. */
    static String day(Instant instant, String zone) {
        return instant == null ? "" : instant.atZone(ZoneId.of(zone)).toLocalDate().toString();
    }

    /** {@code {shift.start.input(zone)}}: the value of a datetime-local field. */
    static String input(Instant instant, String zone) {
        return instant == null ? "" : INPUT.format(instant.atZone(ZoneId.of(zone)));
    }
}

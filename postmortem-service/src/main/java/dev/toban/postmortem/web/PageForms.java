package dev.toban.postmortem.web;

import dev.toban.plumbing.problem.ProblemException;
import java.time.DateTimeException;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.UUID;

/** Form values of the postmortem pages: bad input becomes a 400 naming the field, never a 500. */
final class PageForms {

    private PageForms() {
    }

    /** An optional datetime-local field read in {@code zone}; null when blank. */
    static OffsetDateTime dateTime(String field, String value, ZoneId zone) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return LocalDateTime.parse(value.strip()).atZone(zone).toOffsetDateTime();
        } catch (DateTimeException e) {
            throw ProblemException.invalid(field, "is not a date and time (YYYY-MM-DDTHH:MM)");
        }
    }

    static LocalDate date(String field, String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return LocalDate.parse(value.strip());
        } catch (DateTimeException e) {
            throw ProblemException.invalid(field, "is not a date (YYYY-MM-DD)");
        }
    }

    static Integer minutes(String field, String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return Integer.valueOf(value.strip());
        } catch (NumberFormatException e) {
            throw ProblemException.invalid(field, "is not a number of minutes");
        }
    }

    static Long version(String value) {
        try {
            return Long.valueOf(value == null ? "" : value.strip());
        } catch (NumberFormatException e) {
            throw ProblemException.invalid("version", "is missing; reload the page");
        }
    }

    static UUID uuid(String field, String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return UUID.fromString(value.strip());
        } catch (IllegalArgumentException e) {
            throw ProblemException.invalid(field, "is not a valid id");
        }
    }
}

package dev.toban.oncall.web;

import dev.toban.plumbing.problem.ProblemException;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.UUID;

/** Parsing of form and query values: bad input becomes a 400 naming the field, never a 500. */
final class Forms {

    private Forms() {
    }

    /** A datetime-local value read in {@code zone}. */
    static Instant dateTime(String field, String value, ZoneId zone) {
        if (value == null || value.isBlank()) {
            throw ProblemException.invalid(field, "is required");
        }
        try {
            return LocalDateTime.parse(value.strip()).atZone(zone).toInstant();
        } catch (DateTimeException e) {
            throw ProblemException.invalid(field, "is not a date and time (YYYY-MM-DDTHH:MM)");
        }
    }

    static LocalDate date(String field, String value, LocalDate fallback) {
        if (value == null || value.isBlank()) {
            return fallback;
        }
        try {
            return LocalDate.parse(value.strip());
        } catch (DateTimeException e) {
            throw ProblemException.invalid(field, "is not a date (YYYY-MM-DD)");
        }
    }

    /** An optional id; blank means none. */
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

    static String text(String field, String value, int max) {
        if (value == null || value.isBlank()) {
            return null;
        }
        if (value.length() > max) {
            throw ProblemException.invalid(field, "must be at most " + max + " characters");
        }
        return value.strip();
    }
}

package dev.toban.plumbing.web;

import dev.toban.plumbing.input.Instants;
import dev.toban.plumbing.input.Text;
import dev.toban.plumbing.problem.ProblemException;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.List;
import java.util.UUID;

/**
 * Reads the string values of page forms and queries. A blank value is "not given" (null); a value
 * that is not what the field needs is a 400 naming the field, never a 500.
 */
public final class FormValues {

    private FormValues() {
    }

    /** Stripped text, at most {@code max} characters, line breaks allowed ({@link Text}). */
    public static String text(String field, String value, int max) {
        return text(field, value, max, false);
    }

    /** A stripped name or title: one line, at most {@code max} characters. */
    public static String line(String field, String value, int max) {
        return text(field, value, max, true);
    }

    private static String text(String field, String value, int max, boolean singleLine) {
        if (value == null || value.isBlank()) {
            return null;
        }
        if (value.length() > max) {
            throw ProblemException.invalid(field, "must be at most " + max + " characters");
        }
        return Text.check(field, value.strip(), singleLine);
    }

    /** An ISO 8601 instant (a query parameter), in Toban's accepted range ({@link Instants}). */
    public static Instant instant(String field, String value) {
        return Instants.parse(field, value);
    }

    public static UUID uuid(String field, String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return UUID.fromString(value.strip());
        } catch (IllegalArgumentException e) {
            throw ProblemException.invalid(field, "is not a valid id");
        }
    }

    /** An HTML date field (YYYY-MM-DD). */
    public static LocalDate date(String field, String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return LocalDate.parse(value.strip());
        } catch (DateTimeException e) {
            throw ProblemException.invalid(field, "is not a date (YYYY-MM-DD)");
        }
    }

    /** An HTML datetime-local field (YYYY-MM-DDTHH:MM), to be read in the page's time zone. */
    public static LocalDateTime dateTime(String field, String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return LocalDateTime.parse(value.strip());
        } catch (DateTimeException e) {
            throw ProblemException.invalid(field, "is not a date and time (YYYY-MM-DDTHH:MM)");
        }
    }

    public static Integer integer(String field, String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return Integer.valueOf(value.strip());
        } catch (NumberFormatException e) {
            throw ProblemException.invalid(field, "is not a whole number");
        }
    }

    /** {@code value}, or a 400 saying the field is required. */
    public static <T> T required(String field, T value) {
        if (value == null) {
            throw ProblemException.invalid(field, "is required");
        }
        return value;
    }

    /** What to show the user about a refused form: each field's message, or the problem's detail. */
    public static List<String> messages(ProblemException e) {
        return e.errors().isEmpty() ? List.of(e.getMessage())
                : e.errors().stream().map(f -> f.field() + ": " + f.message()).toList();
    }
}

package dev.toban.plumbing.input;

import dev.toban.plumbing.problem.ProblemException;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.OffsetDateTime;

/**
 * Instants Toban accepts: ISO 8601 with a zone or offset, from 1970 to the end of 9999. A year such as
 * +999999999 parses in Java but overflows date arithmetic and PostgreSQL (a 500 before this rule).
 */
public final class Instants {

    public static final Instant MIN = Instant.EPOCH;
    public static final Instant MAX = Instant.parse("9999-12-31T23:59:59Z");
    static final String RANGE = "must be between 1970-01-01T00:00:00Z and 9999-12-31T23:59:59Z";

    private Instants() {
    }

    /** An optional instant parameter: null when blank; a 400 naming {@code field} when malformed or out of range. */
    public static Instant parse(String field, String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        Instant parsed;
        try {
            parsed = Instant.parse(value.strip());
        } catch (DateTimeException e) {
            try {
                parsed = OffsetDateTime.parse(value.strip()).toInstant();
            } catch (DateTimeException e2) {
                throw ProblemException.invalid(field, "is not an ISO 8601 instant such as 2026-11-25T10:00:00Z");
            }
        }
        return check(field, parsed);
    }

    /** {@code value}, or a 400 naming {@code field} when it is out of range. */
    public static Instant check(String field, Instant value) {
        if (value != null && !inRange(value)) {
            throw ProblemException.invalid(field, RANGE);
        }
        return value;
    }

    public static boolean inRange(Instant value) {
        return !value.isBefore(MIN) && !value.isAfter(MAX);
    }
}

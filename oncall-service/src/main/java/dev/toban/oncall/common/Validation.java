package dev.toban.oncall.common;

import dev.toban.plumbing.input.Instants;
import dev.toban.plumbing.problem.Problem;
import dev.toban.plumbing.problem.ProblemException;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;

/** Collects every field error of a command before anything is written, then fails once. */
public final class Validation {

    private final List<Problem.FieldError> errors = new ArrayList<>();

    public void add(String field, String message) {
        errors.add(new Problem.FieldError(field, message));
    }

    boolean ok() {
        return errors.isEmpty();
    }

    public void throwIfAny() {
        if (errors.size() == 1) {
            Problem.FieldError e = errors.get(0);
            throw ProblemException.invalid(e.field(), e.message());
        }
        if (!errors.isEmpty()) {
            throw ProblemException.invalid(errors);
        }
    }

    /** Parses an IANA zone id or records the error and returns null. */
    public ZoneId zone(String field, String value) {
        try {
            if (value == null || value.isBlank()) {
                throw new DateTimeException("blank");
            }
            return ZoneId.of(value);
        } catch (DateTimeException e) {
            add(field, "is not an IANA time zone such as Asia/Tokyo");
            return null;
        }
    }

    static ZoneId zoneOrThrow(String field, String value) {
        Validation v = new Validation();
        ZoneId zone = v.zone(field, value);
        v.throwIfAny();
        return zone;
    }

    /**
     * An absolute http(s) URL naming a host: a webhook (which hosts notify-service may reach is its egress
     * policy) or a war room link.
     */
    public static boolean httpUrl(String address) {
        try {
            java.net.URI uri = new java.net.URI(address);
            String scheme = uri.getScheme();
            return uri.isAbsolute() && ("https".equalsIgnoreCase(scheme) || "http".equalsIgnoreCase(scheme))
                    && uri.getHost() != null && !uri.getHost().isBlank() && uri.getPort() <= 65535;
        } catch (java.net.URISyntaxException e) {
            return false;
        }
    }

    /** E.164: a plus, then 8 to 15 digits, the first not 0 (no spaces or dashes: what Twilio and gateways take). */
    public static boolean e164(String address) {
        return address != null && address.matches("^\\+[1-9][0-9]{7,14}$");
    }

    /**
     * An ntfy or UnifiedPush topic URL: absolute http(s) with a host and a path naming the topic, no user
     * name or password (credentials belong in notify-service's configuration, not in a person's profile).
     */
    public static boolean topicUrl(String address) {
        if (!httpUrl(address)) {
            return false;
        }
        try {
            java.net.URI uri = new java.net.URI(address);
            String path = uri.getRawPath();
            return uri.getRawUserInfo() == null && path != null && path.replace("/", "").length() > 0
                    && !address.chars().anyMatch(Character::isWhitespace);
        } catch (java.net.URISyntaxException e) {
            return false;
        }
    }

    /** Parses an optional ISO-8601 instant query parameter. */
    public static Instant instant(String field, String value, Instant fallback) {
        Instant parsed = Instants.parse(field, value);
        return parsed == null ? fallback : parsed;
    }

    /** Parses an optional UUID query parameter, naming it when it is not one. */
    public static java.util.UUID uuid(String field, String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return java.util.UUID.fromString(value.strip());
        } catch (IllegalArgumentException e) {
            throw ProblemException.invalid(field, "is not a UUID");
        }
    }
}

package dev.toban.incident.ingestion;

import com.fasterxml.jackson.databind.JsonNode;
import dev.toban.plumbing.input.Instants;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoField;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Validates PagerDuty Events API v2 bodies by hand, from the JSON tree, so every mistake (missing
 * field, wrong type, bad enum, too long) becomes one line of PagerDuty's {@code errors} array and
 * nothing is written. Unknown fields are ignored, as PagerDuty does.
 */
public final class EventsV2Parser {

    public static final Set<String> ACTIONS = Set.of("trigger", "acknowledge", "resolve");
    public static final Set<String> SEVERITIES = Set.of("critical", "error", "warning", "info");
    static final int MAX_SUMMARY = 1024;
    static final int MAX_DEDUP_KEY = 255;

    /** PagerDuty's example writes offsets as +0000; ISO 8601 also allows +00:00 and Z. */
    private static final DateTimeFormatter TIMESTAMP = new DateTimeFormatterBuilder()
            .append(DateTimeFormatter.ISO_LOCAL_DATE)
            .appendLiteral('T')
            .appendValue(ChronoField.HOUR_OF_DAY, 2).appendLiteral(':')
            .appendValue(ChronoField.MINUTE_OF_HOUR, 2)
            .optionalStart().appendLiteral(':').appendValue(ChronoField.SECOND_OF_MINUTE, 2).optionalEnd()
            .optionalStart().appendFraction(ChronoField.NANO_OF_SECOND, 1, 9, true).optionalEnd()
            .appendPattern("[XXXXX][XXXX][X]")
            .toFormatter();

    private EventsV2Parser() {
    }

    /** An alert event: trigger, acknowledge or resolve. {@code payload} is null unless it is a trigger. */
    public record AlertEvent(String routingKey, String action, String dedupKey, Payload payload, String client,
                             String clientUrl, JsonNode links, JsonNode images) {
    }

    public record Payload(String summary, String source, String severity, Instant timestamp, String component,
                          String group, String alertClass, JsonNode customDetails) {
    }

    /** A change event of {@code /v2/change/enqueue}. */
    public record ChangeEvent(String routingKey, String summary, String source, Instant timestamp,
                              JsonNode customDetails, JsonNode links) {
    }

    public static AlertEvent parseAlert(JsonNode root) {
        List<String> errors = new ArrayList<>();
        requireObject(root);
        String routingKey = routingKey(root, errors);
        String action = requiredText(root, "event_action", "event_action", errors);
        if (action != null && !ACTIONS.contains(action)) {
            errors.add("'event_action' is invalid (expected one of trigger, acknowledge, resolve)");
            action = null;
        }
        String dedupKey = optionalText(root, "dedup_key", "dedup_key", errors);
        if (dedupKey != null && dedupKey.isEmpty()) {
            dedupKey = null;
        }
        if (dedupKey != null && dedupKey.length() > MAX_DEDUP_KEY) {
            errors.add("Length of 'dedup_key' is too long (maximum " + MAX_DEDUP_KEY + " characters)");
        }
        if (("acknowledge".equals(action) || "resolve".equals(action)) && dedupKey == null) {
            errors.add("'dedup_key' is required for " + action + " events");
        }
        Payload payload = null;
        String client = null;
        String clientUrl = null;
        JsonNode links = null;
        JsonNode images = null;
        if ("trigger".equals(action) || action == null) {
            JsonNode p = root.get("payload");
            if (p == null || p.isNull()) {
                if ("trigger".equals(action)) {
                    errors.add("'payload' is missing");
                }
            } else if (!p.isObject()) {
                errors.add("'payload' must be an object");
            } else {
                String summary = requiredText(p, "summary", "payload.summary", errors);
                if (summary != null && summary.length() > MAX_SUMMARY) {
                    errors.add("Length of 'payload.summary' is too long (maximum " + MAX_SUMMARY + " characters)");
                }
                String source = requiredText(p, "source", "payload.source", errors);
                String severity = requiredText(p, "severity", "payload.severity", errors);
                if (severity != null && !SEVERITIES.contains(severity)) {
                    errors.add("'payload.severity' is invalid (expected one of critical, error, warning, info)");
                }
                Instant timestamp = timestamp(p, "payload.timestamp", errors);
                String component = optionalText(p, "component", "payload.component", errors);
                String group = optionalText(p, "group", "payload.group", errors);
                String alertClass = optionalText(p, "class", "payload.class", errors);
                JsonNode details = p.get("custom_details");
                if (details != null && !details.isNull() && !details.isObject() && !details.isTextual()) {
                    errors.add("'payload.custom_details' must be an object");
                }
                payload = new Payload(summary, source, severity, timestamp, component, group, alertClass,
                        details == null || details.isNull() ? null : details);
            }
            client = optionalText(root, "client", "client", errors);
            clientUrl = optionalText(root, "client_url", "client_url", errors);
            links = objectArray(root, "links", "href", errors);
            images = objectArray(root, "images", "src", errors);
        }
        if (!errors.isEmpty()) {
            throw EventsApiException.invalid(errors);
        }
        return new AlertEvent(routingKey, action, dedupKey, payload, client, clientUrl, links, images);
    }

    public static ChangeEvent parseChange(JsonNode root) {
        List<String> errors = new ArrayList<>();
        requireObject(root);
        String routingKey = routingKey(root, errors);
        String summary = null;
        String source = null;
        Instant timestamp = null;
        JsonNode details = null;
        JsonNode p = root.get("payload");
        if (p == null || p.isNull()) {
            errors.add("'payload' is missing");
        } else if (!p.isObject()) {
            errors.add("'payload' must be an object");
        } else {
            summary = requiredText(p, "summary", "payload.summary", errors);
            if (summary != null && summary.length() > MAX_SUMMARY) {
                errors.add("Length of 'payload.summary' is too long (maximum " + MAX_SUMMARY + " characters)");
            }
            source = optionalText(p, "source", "payload.source", errors);
            timestamp = timestamp(p, "payload.timestamp", errors);
            details = p.get("custom_details");
            if (details != null && !details.isNull() && !details.isObject() && !details.isTextual()) {
                errors.add("'payload.custom_details' must be an object");
            }
        }
        JsonNode links = objectArray(root, "links", "href", errors);
        if (!errors.isEmpty()) {
            throw EventsApiException.invalid(errors);
        }
        return new ChangeEvent(routingKey, summary, source, timestamp, details == null || details.isNull() ? null : details,
                links);
    }

    private static void requireObject(JsonNode root) {
        if (root == null || !root.isObject()) {
            throw EventsApiException.invalid("Event object must be a JSON object");
        }
    }

    private static String routingKey(JsonNode root, List<String> errors) {
        String key = requiredText(root, "routing_key", "routing_key", errors);
        if (key != null && key.length() != IntegrationKeys.LENGTH) {
            errors.add("Length of 'routing_key' is incorrect (should be 32 characters)");
            return null;
        }
        return key;
    }

    private static String requiredText(JsonNode parent, String field, String path, List<String> errors) {
        JsonNode value = parent.get(field);
        if (value == null || value.isNull() || value.isTextual() && value.asText().isBlank()) {
            errors.add("'" + path + "' is missing or blank");
            return null;
        }
        if (!value.isTextual()) {
            errors.add("'" + path + "' must be a string");
            return null;
        }
        return value.asText();
    }

    private static String optionalText(JsonNode parent, String field, String path, List<String> errors) {
        JsonNode value = parent.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isTextual()) {
            errors.add("'" + path + "' must be a string");
            return null;
        }
        return value.asText();
    }

    private static Instant timestamp(JsonNode parent, String path, List<String> errors) {
        JsonNode value = parent.get("timestamp");
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isTextual()) {
            errors.add("'" + path + "' must be a string");
            return null;
        }
        Instant parsed = parseTimestamp(value.asText());
        if (parsed == null) {
            errors.add("'" + path + "' is not a valid ISO 8601 timestamp");
        } else if (!Instants.inRange(parsed)) {
            errors.add("'" + path + "' must be between 1970-01-01T00:00:00Z and 9999-12-31T23:59:59Z");
            return null;
        }
        return parsed;
    }

    /** An ISO 8601 instant with an offset, or null. */
    public static Instant parseTimestamp(String text) {
        try {
            return OffsetDateTime.parse(text.strip(), TIMESTAMP).toInstant();
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    /** An optional array of objects whose {@code required} member is a non-blank string. */
    private static JsonNode objectArray(JsonNode root, String field, String required, List<String> errors) {
        JsonNode array = root.get(field);
        if (array == null || array.isNull()) {
            return null;
        }
        if (!array.isArray()) {
            errors.add("'" + field + "' must be an array");
            return null;
        }
        for (int i = 0; i < array.size(); i++) {
            JsonNode item = array.get(i);
            String path = field + "[" + i + "]";
            if (!item.isObject()) {
                errors.add("'" + path + "' must be an object");
                continue;
            }
            requiredText(item, required, path + "." + required, errors);
            for (var entry : item.properties()) {
                if (!entry.getValue().isNull() && !entry.getValue().isTextual()) {
                    errors.add("'" + path + "." + entry.getKey() + "' must be a string");
                }
            }
        }
        return array;
    }
}

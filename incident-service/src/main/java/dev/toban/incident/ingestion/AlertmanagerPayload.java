package dev.toban.incident.ingestion;

import com.fasterxml.jackson.databind.JsonNode;
import dev.toban.plumbing.input.Instants;
import dev.toban.plumbing.problem.Problem;
import dev.toban.plumbing.problem.ProblemException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Alertmanager's webhook, version 4, validated from the JSON tree so each mistake names its field
 * (for example {@code alerts[2].fingerprint}) in a problem+json 400.
 */
public record AlertmanagerPayload(String groupKey, String status, String receiver, Map<String, String> groupLabels,
                                  Map<String, String> commonLabels, Map<String, String> commonAnnotations,
                                  String externalUrl, int truncatedAlerts, List<AlertmanagerAlert> alerts) {

    /** {@code endsAt} is {@code 0001-01-01T00:00:00Z} while firing; it is kept as null then. */
    public record AlertmanagerAlert(String status, Map<String, String> labels, Map<String, String> annotations,
                                    Instant startsAt, Instant endsAt, String generatorUrl, String fingerprint) {

        public boolean firing() {
            return "firing".equals(status);
        }
    }

    public static AlertmanagerPayload parse(JsonNode root) {
        List<Problem.FieldError> errors = new ArrayList<>();
        if (root == null || !root.isObject()) {
            throw ProblemException.invalid("body", "must be an Alertmanager webhook JSON object");
        }
        String version = text(root, "version", "version", true, errors);
        if (version != null && !"4".equals(version)) {
            errors.add(new Problem.FieldError("version", "must be \"4\""));
        }
        String groupKey = text(root, "groupKey", "groupKey", true, errors);
        String status = status(root, "status", errors);
        String receiver = text(root, "receiver", "receiver", false, errors);
        Map<String, String> groupLabels = labels(root, "groupLabels", "groupLabels", errors);
        Map<String, String> commonLabels = labels(root, "commonLabels", "commonLabels", errors);
        Map<String, String> commonAnnotations = labels(root, "commonAnnotations", "commonAnnotations", errors);
        String externalUrl = text(root, "externalURL", "externalURL", false, errors);
        int truncated = 0;
        JsonNode t = root.get("truncatedAlerts");
        if (t != null && !t.isNull()) {
            if (!t.isIntegralNumber() || t.asInt() < 0) {
                errors.add(new Problem.FieldError("truncatedAlerts", "must be a non-negative integer"));
            } else {
                truncated = t.asInt();
            }
        }
        List<AlertmanagerAlert> alerts = new ArrayList<>();
        JsonNode array = root.get("alerts");
        if (array == null || array.isNull()) {
            errors.add(new Problem.FieldError("alerts", "is required"));
        } else if (!array.isArray()) {
            errors.add(new Problem.FieldError("alerts", "must be an array"));
        } else if (array.isEmpty()) {
            errors.add(new Problem.FieldError("alerts", "must not be empty"));
        } else {
            for (int i = 0; i < array.size(); i++) {
                String path = "alerts[" + i + "]";
                JsonNode a = array.get(i);
                if (!a.isObject()) {
                    errors.add(new Problem.FieldError(path, "must be an object"));
                    continue;
                }
                String alertStatus = status(a, path + ".status", errors);
                Map<String, String> labels = labels(a, "labels", path + ".labels", errors);
                if (labels == null && (a.get("labels") == null || a.get("labels").isNull())) {
                    errors.add(new Problem.FieldError(path + ".labels", "is required"));
                }
                Map<String, String> annotations = labels(a, "annotations", path + ".annotations", errors);
                Instant startsAt = inRange(time(a, "startsAt", path + ".startsAt", true, errors), path + ".startsAt", errors);
                Instant endsAt = time(a, "endsAt", path + ".endsAt", false, errors);
                if (endsAt != null && endsAt.isBefore(Instant.parse("0002-01-01T00:00:00Z"))) {
                    endsAt = null;
                }
                endsAt = inRange(endsAt, path + ".endsAt", errors);
                String generatorUrl = text(a, "generatorURL", path + ".generatorURL", false, errors);
                String fingerprint = text(a, "fingerprint", path + ".fingerprint", true, errors);
                if (fingerprint != null && fingerprint.length() > 1024) {
                    errors.add(new Problem.FieldError(path + ".fingerprint", "must be at most 1024 characters"));
                }
                alerts.add(new AlertmanagerAlert(alertStatus, labels == null ? Map.of() : labels,
                        annotations == null ? Map.of() : annotations, startsAt, endsAt, generatorUrl, fingerprint));
            }
        }
        if (groupKey != null && groupKey.length() > 1024) {
            errors.add(new Problem.FieldError("groupKey", "must be at most 1024 characters"));
        }
        if (!errors.isEmpty()) {
            throw ProblemException.invalid(errors);
        }
        return new AlertmanagerPayload(groupKey, status, receiver, orEmpty(groupLabels), orEmpty(commonLabels),
                orEmpty(commonAnnotations), externalUrl, truncated, alerts);
    }

    /** PostgreSQL cannot store a year such as +999999: outside 1970..9999 is refused, as every instant Toban reads. */
    private static Instant inRange(Instant value, String path, List<Problem.FieldError> errors) {
        if (value != null && !Instants.inRange(value)) {
            errors.add(new Problem.FieldError(path, "must be between 1970-01-01T00:00:00Z and 9999-12-31T23:59:59Z"));
            return null;
        }
        return value;
    }

    private static Map<String, String> orEmpty(Map<String, String> map) {
        return map == null ? Map.of() : map;
    }

    private static String status(JsonNode parent, String path, List<Problem.FieldError> errors) {
        String status = text(parent, "status", path, true, errors);
        if (status != null && !"firing".equals(status) && !"resolved".equals(status)) {
            errors.add(new Problem.FieldError(path, "must be one of [firing, resolved]"));
            return null;
        }
        return status;
    }

    private static String text(JsonNode parent, String field, String path, boolean required,
                               List<Problem.FieldError> errors) {
        JsonNode value = parent.get(field);
        if (value == null || value.isNull() || value.isTextual() && value.asText().isBlank()) {
            if (required) {
                errors.add(new Problem.FieldError(path, "is required"));
            }
            return null;
        }
        if (!value.isTextual()) {
            errors.add(new Problem.FieldError(path, "must be a string"));
            return null;
        }
        return value.asText();
    }

    private static Map<String, String> labels(JsonNode parent, String field, String path,
                                              List<Problem.FieldError> errors) {
        JsonNode value = parent.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isObject()) {
            errors.add(new Problem.FieldError(path, "must be an object of strings"));
            return Map.of();
        }
        Map<String, String> map = new TreeMap<>();
        for (var entry : value.properties()) {
            if (!entry.getValue().isTextual()) {
                errors.add(new Problem.FieldError(path + "." + entry.getKey(), "must be a string"));
            } else {
                map.put(entry.getKey(), entry.getValue().asText());
            }
        }
        return map;
    }

    private static Instant time(JsonNode parent, String field, String path, boolean required,
                                List<Problem.FieldError> errors) {
        String text = text(parent, field, path, required, errors);
        if (text == null) {
            return null;
        }
        Instant parsed = EventsV2Parser.parseTimestamp(text);
        if (parsed == null) {
            errors.add(new Problem.FieldError(path, "must be an RFC 3339 timestamp such as 2026-11-25T10:00:00Z"));
        }
        return parsed;
    }
}

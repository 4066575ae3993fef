package dev.toban.incident.grouping;

import com.fasterxml.jackson.databind.JsonNode;
import dev.toban.incident.model.TechnicalService;
import dev.toban.plumbing.problem.Problem;
import dev.toban.plumbing.problem.ProblemException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A service's alert grouping rule (docs/operations.md, "Alert grouping"): {@code off}, {@code time} (alerts
 * within {@code windowMinutes} of the incident's first alert join it) or {@code content} (alerts whose group
 * key, {@code template} rendered over the alert, matches an open incident's). Placeholders:
 * {@code {{payload.source}}}, {@code {{payload.severity}}}, {@code {{payload.component}}},
 * {@code {{payload.group}}}, {@code {{payload.class}}}, {@code {{payload.custom_details.<field>[.<field>]}}}
 * (Events API v2) and {@code {{labels.<name>}}} (Alertmanager).
 */
public record AlertGrouping(String rule, Integer windowMinutes, String template, boolean autoResolve) {

    public static final String OFF = "off";
    public static final String TIME = "time";
    public static final String CONTENT = "content";
    /** The group key of a time-grouped incident while its window is open. */
    public static final String TIME_KEY = "time";
    public static final int MAX_TEMPLATE = 500;
    public static final int MAX_WINDOW_MINUTES = 1440;
    private static final int MAX_KEY = 1024;
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{\\s*([^{}]*?)\\s*}}");
    private static final Pattern PATH = Pattern.compile(
            "payload\\.(source|severity|component|group|class)|payload\\.custom_details(\\.[A-Za-z0-9_-]+)+"
                    + "|labels\\.[A-Za-z_][A-Za-z0-9_]*");

    public static final AlertGrouping NONE = new AlertGrouping(OFF, null, null, false);

    /** What a rule is rendered over: an Events API v2 payload or an Alertmanager alert's labels. */
    public record Fields(String source, String severity, String component, String group, String alertClass,
                         JsonNode customDetails, Map<String, String> labels) {
    }

    public static AlertGrouping of(TechnicalService s) {
        return new AlertGrouping(s.groupingRule == null ? OFF : s.groupingRule, s.groupingWindowMinutes,
                s.groupingTemplate, s.groupingAutoResolve);
    }

    public boolean off() {
        return OFF.equals(rule);
    }

    public boolean time() {
        return TIME.equals(rule);
    }

    public Duration window() {
        return Duration.ofMinutes(windowMinutes == null ? 0 : windowMinutes);
    }

    /**
     * The key this alert groups on, or null when it is not grouped: rule off, or every placeholder of the
     * template is empty for it (such an alert opens its own incident, as without grouping).
     */
    public String keyFor(Fields f) {
        return switch (rule) {
            case TIME -> TIME_KEY;
            case CONTENT -> render(template, f);
            default -> null;
        };
    }

    static String render(String template, Fields f) {
        Matcher m = PLACEHOLDER.matcher(template);
        StringBuilder out = new StringBuilder();
        boolean any = false;
        while (m.find()) {
            String value = value(m.group(1), f);
            if (value != null && !value.isEmpty()) {
                any = true;
            }
            m.appendReplacement(out, Matcher.quoteReplacement(value == null ? "" : value));
        }
        m.appendTail(out);
        if (!any) {
            return null;
        }
        // content keys are kept apart from the time rule's constant key
        String key = "content:" + out;
        return key.length() <= MAX_KEY ? key : key.substring(0, MAX_KEY);
    }

    private static String value(String path, Fields f) {
        if (path.startsWith("labels.")) {
            return f.labels() == null ? null : f.labels().get(path.substring("labels.".length()));
        }
        if (path.startsWith("payload.custom_details.")) {
            JsonNode node = f.customDetails();
            for (String part : path.substring("payload.custom_details.".length()).split("\\.")) {
                if (node == null) {
                    return null;
                }
                node = node.get(part);
            }
            return node == null || node.isNull() || node.isContainerNode() ? null : node.asText();
        }
        return switch (path) {
            case "payload.source" -> f.source();
            case "payload.severity" -> f.severity();
            case "payload.component" -> f.component();
            case "payload.group" -> f.group();
            case "payload.class" -> f.alertClass();
            default -> null;
        };
    }

    /**
     * Checks a rule as sent (API and page) and returns it normalised; every field's problem at once, as a 400
     * naming the field: rule, windowMinutes, template.
     */
    public static AlertGrouping validated(String rule, Integer windowMinutes, String template, Boolean autoResolve) {
        List<Problem.FieldError> errors = new ArrayList<>();
        String r = rule == null ? null : rule.strip();
        if (r == null || r.isEmpty()) {
            errors.add(new Problem.FieldError("rule", "is required: off, time or content"));
        } else if (!List.of(OFF, TIME, CONTENT).contains(r)) {
            errors.add(new Problem.FieldError("rule", "must be off, time or content"));
        }
        Integer window = null;
        if (TIME.equals(r)) {
            if (windowMinutes == null) {
                errors.add(new Problem.FieldError("windowMinutes", "is required for the time rule"));
            } else if (windowMinutes < 1 || windowMinutes > MAX_WINDOW_MINUTES) {
                errors.add(new Problem.FieldError("windowMinutes", "must be between 1 and " + MAX_WINDOW_MINUTES));
            } else {
                window = windowMinutes;
            }
        }
        String t = template == null || template.isBlank() ? null : template.strip();
        if (CONTENT.equals(r)) {
            String problem = templateProblem(t);
            if (problem != null) {
                errors.add(new Problem.FieldError("template", problem));
            }
        } else if (t != null && templateProblem(t) != null) {
            errors.add(new Problem.FieldError("template", templateProblem(t)));
        }
        if (!errors.isEmpty()) {
            throw ProblemException.invalid(errors);
        }
        return new AlertGrouping(r, window, t, Boolean.TRUE.equals(autoResolve));
    }

    private static String templateProblem(String t) {
        if (t == null) {
            return "is required for the content rule, e.g. {{labels.alertname}}/{{labels.cluster}}";
        }
        if (t.length() > MAX_TEMPLATE) {
            return "is longer than " + MAX_TEMPLATE + " characters";
        }
        if (t.chars().anyMatch(Character::isISOControl)) {
            return "must be one line without control characters";
        }
        Matcher m = PLACEHOLDER.matcher(t);
        int count = 0;
        while (m.find()) {
            count++;
            if (!PATH.matcher(m.group(1)).matches()) {
                return "has an unknown placeholder {{" + m.group(1) + "}}: use payload.source, payload.severity, "
                        + "payload.component, payload.group, payload.class, payload.custom_details.<field> or labels.<name>";
            }
        }
        if (count == 0) {
            return "needs at least one placeholder, e.g. {{payload.group}}";
        }
        String rest = PLACEHOLDER.matcher(t).replaceAll("");
        if (rest.contains("{{") || rest.contains("}}")) {
            return "has an unclosed placeholder";
        }
        return null;
    }
}

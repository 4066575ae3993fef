package dev.toban.incident.web;

import com.fasterxml.jackson.databind.JsonNode;
import dev.toban.incident.lifecycle.IncidentTimeline;
import dev.toban.plumbing.web.PageContext;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Timeline lines in the reader's language. Each entry keeps its kind and structured data (and an English
 * {@code message} for the API); the sentence is written here, at display time, from {@code timeline.<kind>...}
 * texts in {@code web/incident_*.properties}, whose {@code {name}} placeholders are filled from the data. So old
 * entries read in Japanese too, and an entry this version cannot phrase (an unknown kind, data it lacks) shows
 * its stored message instead.
 */
final class TimelineTexts {

    private final PageContext ctx;
    private final Times times;

    TimelineTexts(PageContext ctx, Times times) {
        this.ctx = ctx;
        this.times = times;
    }

    /** Who did it, as the line names them (a person, Toban itself, an alert source). */
    String who(IncidentTimeline.Entry e) {
        if ("delivery".equals(e.kind())) {
            String person = person(e.data() == null ? null : e.data().path("person"));
            return person != null ? person : ctx.t("timeline.actor.notify");
        }
        return actor(e.actor());
    }

    /** The sentence, without who (the page shows who in front of it). */
    String text(IncidentTimeline.Entry e) {
        try {
            String text = phrase(e);
            return text != null ? text : fallback(e);
        } catch (RuntimeException ex) {
            return fallback(e); // data of an older shape: the message as it was written
        }
    }

    private String phrase(IncidentTimeline.Entry e) {
        JsonNode d = e.data() == null ? com.fasterxml.jackson.databind.node.MissingNode.getInstance() : e.data();
        Map<String, String> v = new LinkedHashMap<>();
        return switch (e.kind()) {
            case "opened" -> {
                v.put("source", ctx.t("timeline.source." + d.path("source").asText("manual")));
                v.put("severity", d.path("severity").asText(""));
                yield fill("timeline.opened", v);
            }
            case "alert_added" -> {
                String summary = d.path("summary").asText(null);
                if (summary == null) {
                    int colon = e.message().indexOf(": ");
                    summary = colon < 0 ? null : e.message().substring(colon + 2);
                }
                if (summary == null) {
                    yield null;
                }
                v.put("summary", summary);
                yield fill("timeline.alert_added", v);
            }
            case "acknowledged" -> {
                String via = d.path("via").asText(null);
                yield via == null ? fill("timeline.acknowledged", v)
                        : fill("timeline.acknowledged.via", put(v, "via", answered(via)));
            }
            case "alerts_grouped" -> {
                v.put("count", d.path("added").asText(""));
                List<String> summaries = new ArrayList<>();
                d.path("summaries").forEach(n -> summaries.add(n.asText()));
                v.put("summaries", String.join("; ", summaries));
                yield fill("timeline.alerts_grouped", v);
            }
            case "heartbeat_missed" -> {
                v.put("monitor", d.path("monitor").asText(""));
                v.put("interval", d.path("intervalMinutes").asText(""));
                v.put("grace", d.path("graceMinutes").asText(""));
                yield fill("timeline.heartbeat_missed", v);
            }
            case "low_urgency" -> {
                v.put("reason", d.path("reason").asText(""));
                yield fill("timeline.low_urgency", v);
            }
            case "alerts_resolved" -> {
                v.put("total", d.path("total").asText(""));
                yield fill("timeline.alerts_resolved", v);
            }
            case "alert_split", "alert_split_from" -> {
                v.put("summary", d.path("summary").asText(""));
                v.put("number", d.path("number").asText(""));
                yield fill("timeline." + e.kind(), v);
            }
            case "mitigated", "resolved", "closed" -> withNote("timeline." + e.kind(), d.path("note").asText(null));
            case "reopened" -> {
                v.put("reason", d.path("reason").asText(""));
                yield fill("timeline.reopened", v);
            }
            case "status_update" -> d.path("message").asText(e.message());
            case "updated" -> changes(d);
            case "role_changed" -> role(e, d);
            case "owning_team_changed" -> {
                v.put("team", team(d.path("team")));
                yield fill("timeline.owning_team_changed", v);
            }
            case "team_assigned" -> {
                v.put("team", team(d.path("team")));
                yield fill("timeline.team_assigned", v);
            }
            case "owning_team_engaged" -> {
                v.put("team", team(d.path("team")));
                yield fill("timeline.owning_team_engaged", v);
            }
            case "slack_thread" -> {
                String name = d.path("channelName").asText(null);
                v.put("channel", name != null ? name : d.path("channel").asText(""));
                yield fill("timeline.slack_thread", v);
            }
            case "commander_assigned" -> {
                v.put("person", person(d.path("person")));
                String policy = d.path("policyName").asText(null);
                yield policy == null ? fill("timeline.commander_assigned", v)
                        : fill("timeline.commander_assigned.policy", put(v, "policy", policy));
            }
            case "commander_unavailable" -> fill("timeline.commander_unavailable", v);
            case "paged" -> {
                v.put("level", d.path("level").asText("1"));
                v.put("people", people(d.path("targets")));
                yield fill("timeline.paged", v);
            }
            case "escalated" -> {
                v.put("level", d.path("level").asText("?"));
                v.put("people", people(d.path("targets")));
                String reason = d.path("reason").asText("timeout");
                String key = switch (reason) {
                    case "escalate", "repage", "initial" -> "timeline.escalated." + reason;
                    default -> d.path("repeat").asInt(0) > 0 ? "timeline.escalated.repeat" : "timeline.escalated";
                };
                v.put("repeat", d.path("repeat").asText("0"));
                String via = d.path("via").asText(null);
                if (via != null && "escalate".equals(reason)) {
                    yield fill("timeline.escalated.escalate.via", put(v, "via", answered(via)));
                }
                yield fill(key, v);
            }
            case "escalation_skipped", "escalation_stopped", "escalation_delayed" -> {
                v.put("level", d.path("level").asText("?"));
                yield fill("timeline." + e.kind(), v);
            }
            case "escalation_exhausted" -> fill("timeline.escalation_exhausted", v);
            case "update_overdue" -> {
                Instant last = instant(d.path("lastUpdateAt").asText(null));
                if (last == null) {
                    yield null;
                }
                v.put("minutes", Long.toString(Math.max(0, Duration.between(last, e.at()).toMinutes())));
                v.put("cadence", d.path("cadenceMinutes").asText("?"));
                yield fill("timeline.update_overdue", v);
            }
            case "delivery" -> delivery(d);
            case "postmortem_decided" -> {
                String decision = d.path("decision").asText("");
                String reason = d.path("reason").asText(null);
                if (!"hold".equals(decision) && !"skip".equals(decision)) {
                    yield null;
                }
                yield withReason("timeline.postmortem." + decision, reason);
            }
            case "postmortem_undecided" -> fill("timeline.postmortem.undecided", v);
            default -> null;
        };
    }

    private String role(IncidentTimeline.Entry e, JsonNode d) {
        String role = d.path("role").asText("");
        String change = d.path("change").asText("");
        Map<String, String> v = new LinkedHashMap<>();
        v.put("person", person(d.path("person")));
        JsonNode previous = d.path("previous");
        if ("commander".equals(role) && "set".equals(change)) {
            if (previous.isObject()) {
                v.put("previous", person(previous));
                return fill("timeline.role.commander.handed", v);
            }
            return fill("timeline.role.commander.set", v);
        }
        if ("liaison".equals(role)) {
            return fill("removed".equals(change) ? "timeline.role.liaison.removed" : "timeline.role.liaison.set", v);
        }
        if ("responder".equals(role)) {
            if ("removed".equals(change)) {
                return fill("timeline.role.responder.removed", v);
            }
            String personId = d.path("person").path("id").asText("");
            String actorId = e.actor() == null ? "" : e.actor().path("personId").asText("");
            return fill(personId.equals(actorId) ? "timeline.role.responder.joined" : "timeline.role.responder.added", v);
        }
        return null;
    }

    private String changes(JsonNode d) {
        if (!d.isObject() || d.isEmpty()) {
            return null;
        }
        List<String> parts = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = d.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> change = it.next();
            String field = change.getKey();
            Map<String, String> v = new LinkedHashMap<>();
            v.put("from", value(change.getValue().path("from")));
            v.put("to", value(change.getValue().path("to")));
            String key = "timeline.changed." + field;
            parts.add(ctx.t(key).equals(key) ? fill("timeline.changed.other", put(v, "field", field)) : fill(key, v));
        }
        return String.join(ctx.ja() ? "。" : "; ", parts);
    }

    /** The channel a paged person answered through (SMS, a phone call...), in the reader's language. */
    private String answered(String channel) {
        String key = "timeline.answered." + channel;
        String text = ctx.t(key);
        return text.equals(key) ? channel : text;
    }

    private String delivery(JsonNode d) {
        String channel = d.path("channel").asText("");
        String purpose = d.path("purpose").asText("");
        String how = ctx.t("timeline.via." + channel + "." + purpose);
        if (how.startsWith("timeline.via.")) {
            how = ctx.t("timeline.via." + channel);
            if (how.startsWith("timeline.via.")) {
                how = channel;
            }
        }
        String outcome = d.path("outcome").asText("");
        if (!List.of("delivered", "failed", "refused").contains(outcome)) {
            return null;
        }
        Map<String, String> v = new LinkedHashMap<>();
        v.put("via", how);
        Instant at = instant(d.path("at").asText(null));
        v.put("time", at == null ? "" : times.time(at));
        String detail = d.path("detail").asText(null);
        String text = fill("timeline.delivery." + outcome, v);
        return detail == null || detail.isBlank() ? text : text + ": " + detail;
    }

    private String withNote(String key, String note) {
        String text = fill(key, new LinkedHashMap<>());
        return note == null || note.isBlank() ? text : text + ": " + note;
    }

    private String withReason(String key, String reason) {
        String text = fill(key, new LinkedHashMap<>());
        return reason == null || reason.isBlank() ? text : text + ": " + reason;
    }

    private String actor(JsonNode actor) {
        if (actor == null || actor.isMissingNode() || actor.isNull()) {
            return "";
        }
        String name = actor.path("name").asText(null);
        if (name != null) {
            return name;
        }
        String username = actor.path("username").asText("");
        if ("system".equals(username)) {
            return ctx.t("timeline.actor.system");
        }
        if (username.startsWith("integration:")) {
            return username.substring("integration:".length());
        }
        if (username.startsWith("service:")) {
            return username.substring("service:".length());
        }
        return username;
    }

    private String person(JsonNode person) {
        if (person == null || !person.isObject()) {
            return null;
        }
        String name = person.path("name").asText(null);
        return name != null ? name : person.path("username").asText(ctx.t("timeline.someone"));
    }

    private String people(JsonNode list) {
        List<String> names = new ArrayList<>();
        if (list != null && list.isArray()) {
            list.forEach(p -> names.add(person(p)));
        }
        return String.join(ctx.ja() ? "、" : ", ", names);
    }

    private String team(JsonNode team) {
        String name = team == null ? null : team.path("name").asText(null);
        return name != null ? name : ctx.t("timeline.someTeam");
    }

    private String value(JsonNode node) {
        if (node == null || node.isNull() || node.isMissingNode()) {
            return ctx.t("timeline.nothing");
        }
        String text = node.asText();
        return text.length() > 200 ? text.substring(0, 200) + "…" : text;
    }

    private String fallback(IncidentTimeline.Entry e) {
        return e.message();
    }

    private String fill(String key, Map<String, String> values) {
        String text = ctx.t(key);
        if (text.equals(key)) {
            return null; // no sentence for it: the stored message
        }
        for (Map.Entry<String, String> v : values.entrySet()) {
            text = text.replace("{" + v.getKey() + "}", v.getValue() == null ? "" : v.getValue());
        }
        return text;
    }

    private static Map<String, String> put(Map<String, String> values, String key, String value) {
        values.put(key, value);
        return values;
    }

    private static Instant instant(String value) {
        if (value == null) {
            return null;
        }
        try {
            return Instant.parse(value);
        } catch (DateTimeParseException e) {
            return null;
        }
    }
}

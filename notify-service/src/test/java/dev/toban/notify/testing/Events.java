package dev.toban.notify.testing;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.UUID;

/** CloudEvents as the other services publish them (docs/events.md), for tests and the benchmark. */
public final class Events {

    public static final ObjectMapper JSON = new ObjectMapper();

    private Events() {
    }

    /** The routing key of a serialised event: its type. */
    public static String typeOf(String body) {
        try {
            return JSON.readTree(body).path("type").asText();
        } catch (java.io.IOException e) {
            throw new IllegalArgumentException(e);
        }
    }

    public static ObjectNode envelope(String id, String source, String type, String subject, ObjectNode data) {
        ObjectNode e = JSON.createObjectNode();
        e.put("specversion", "1.0");
        e.put("id", id);
        e.put("source", source);
        e.put("type", type);
        e.put("time", Instant.now().toString());
        e.put("subject", subject);
        e.put("datacontenttype", "application/json");
        e.set("data", data);
        return e;
    }

    public static ObjectNode person(String name, String username, String slackUserId, String locale) {
        ObjectNode p = JSON.createObjectNode();
        p.put("id", UUID.nameUUIDFromBytes(username.getBytes()).toString());
        p.put("name", name);
        p.put("username", username);
        p.put("email", username + "@toban.test");
        if (slackUserId == null) {
            p.putNull("slackUserId");
        } else {
            p.put("slackUserId", slackUserId);
        }
        p.put("timeZone", "Asia/Tokyo");
        p.put("locale", locale);
        return p;
    }

    public static ObjectNode team(String name, String channel) {
        ObjectNode t = JSON.createObjectNode();
        t.put("id", UUID.nameUUIDFromBytes(name.getBytes()).toString());
        t.put("name", name);
        t.put("slackChannel", channel);
        t.put("timeZone", "Asia/Tokyo");
        return t;
    }

    /** An IncidentSnapshot in {@code channel} (the service's channel). */
    public static ObjectNode incident(UUID id, long number, String channel, String state, long version) {
        ObjectNode i = JSON.createObjectNode();
        i.put("id", id.toString());
        i.put("number", number);
        i.put("title", "API 5xx rate above 5% (#" + number + ")");
        i.put("severity", "SEV2");
        i.put("state", state);
        i.put("impact", "Article pages fail for some users");
        i.put("source", "events_v2");
        ObjectNode service = i.putObject("service");
        service.put("id", "55555555-0000-4000-8000-000000000001");
        service.put("name", "News API");
        service.put("runbookUrl", "https://runbooks.example/news-api");
        service.put("slackChannel", channel);
        i.set("owningTeam", team("Server", "#team-server"));
        i.putArray("assignedTeams");
        i.set("commander", person("Hanako Sato", "sato", "U024BE7LH", "ja"));
        i.putNull("liaison");
        i.putArray("responders");
        i.put("warRoomUrl", "https://meet.example/toban-" + number);
        i.putNull("slackThread");
        i.put("url", "http://localhost:8082/incidents/" + id);
        i.put("problemStartedAt", Instant.now().toString());
        i.put("createdAt", Instant.now().toString());
        i.put("version", version);
        return i;
    }

    /** {@code toban.incident.<suffix>} for an incident snapshot; extra data goes in {@code extra}. */
    public static String incidentEvent(String eventId, String suffix, ObjectNode incident, ObjectNode extra) {
        ObjectNode data = JSON.createObjectNode();
        data.set("incident", incident);
        data.set("actor", JSON.createObjectNode().put("username", "sato").put("name", "Hanako Sato"));
        if (extra != null) {
            data.setAll(extra);
        }
        return envelope(eventId, "/toban/incident-service", "toban.incident." + suffix,
                incident.path("id").asText(), data).toString();
    }

    /** {@code toban.incident.triggered} paging {@code targets}. */
    public static String triggered(String eventId, ObjectNode incident, ObjectNode... targets) {
        ObjectNode extra = JSON.createObjectNode();
        ObjectNode alert = extra.putObject("alert");
        alert.put("summary", "5xx rate 7.2%");
        alert.put("source", "newrelic");
        alert.put("severity", "critical");
        alert.put("dedupKey", "api-5xx");
        ObjectNode page = extra.putObject("page");
        page.put("level", 1);
        ArrayNode list = page.putArray("targets");
        for (ObjectNode t : targets) {
            list.add(t);
        }
        return incidentEvent(eventId, "triggered", incident, extra);
    }

    /** {@code toban.oncall.shift.<suffix>}. */
    public static String shift(String eventId, String suffix, ObjectNode person, ObjectNode team, ObjectNode... with) {
        ObjectNode data = JSON.createObjectNode();
        ObjectNode schedule = JSON.createObjectNode();
        schedule.put("id", "33333333-0000-4000-8000-000000000001");
        schedule.put("name", "Server");
        schedule.put("role", "server");
        schedule.put("timeZone", "Asia/Tokyo");
        data.put("shiftId", schedule.path("id").asText() + ":" + person.path("id").asText() + ":2026-11-25T01:00:00Z");
        data.set("schedule", schedule);
        data.set("team", team);
        data.set("person", person);
        data.put("start", "2026-11-25T01:00:00Z");
        data.put("end", "2026-12-02T01:00:00Z");
        ArrayNode list = data.putArray("onCallWith");
        for (ObjectNode p : with) {
            ObjectNode w = list.addObject();
            w.set("person", p);
            w.set("schedule", schedule);
            w.put("teamName", team.path("name").asText());
            w.put("until", "2026-11-28T01:00:00Z");
        }
        data.putArray("escalationPolicies").addObject().put("id", "22222222-0000-4000-8000-000000000001")
                .put("name", "Server default");
        return envelope(eventId, "/toban/oncall-service", "toban.oncall.shift." + suffix, data.path("shiftId").asText(),
                data).toString();
    }
}

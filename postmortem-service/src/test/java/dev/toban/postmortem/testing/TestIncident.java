package dev.toban.postmortem.testing;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Builds toban.incident.* CloudEvents as incident-service publishes them (docs/events.md), for
 * tests to publish on the real broker.
 */
public final class TestIncident {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final AtomicInteger NUMBERS = new AtomicInteger((int) (System.currentTimeMillis() % 100_000));

    public static final UUID SERVER_TEAM = UUID.fromString("11111111-0000-4000-8000-000000000001");
    public static final UUID SATO_ID = UUID.fromString("44444444-0000-4000-8000-000000000001");
    public static final UUID SUZUKI_ID = UUID.fromString("44444444-0000-4000-8000-000000000002");
    public static final UUID TANAKA_ID = UUID.fromString("44444444-0000-4000-8000-000000000003");

    /** A person as PersonRef. */
    public record Person(UUID id, String name, String username, String email) {
        ObjectNode json() {
            ObjectNode node = JSON.createObjectNode();
            node.put("id", id.toString());
            node.put("name", name);
            node.put("username", username);
            node.put("email", email);
            node.put("slackUserId", "U" + Math.abs(username.hashCode()));
            node.put("timeZone", "Asia/Tokyo");
            node.put("locale", "ja");
            return node;
        }
    }

    /** sato, the demo IC, with her real id and email: her meetings block each other. */
    public static Person sato() {
        return new Person(SATO_ID, "Hanako Sato", "sato", "sato@toban.example");
    }

    /** sato as the IC, but with an id and email of her own for this test, so tests do not share her calendar. */
    public static Person satoAlone() {
        String tag = UUID.randomUUID().toString().substring(0, 8);
        return new Person(UUID.randomUUID(), "Hanako Sato", "sato", "sato+" + tag + "@toban.example");
    }

    public static Person suzuki() {
        return new Person(SUZUKI_ID, "Ichiro Suzuki", "suzuki", "suzuki@toban.example");
    }

    /** Someone with a fresh id and email; {@code username} may be a demo user. */
    public static Person someone(String username) {
        String tag = UUID.randomUUID().toString().substring(0, 8);
        return new Person(UUID.randomUUID(), username + " " + tag, username, username + "+" + tag + "@toban.example");
    }

    public final UUID id = UUID.randomUUID();
    public final int number = NUMBERS.incrementAndGet();
    public String title = "API 5xx rate above 5% (" + number + ")";
    public String severity = "SEV2";
    public String state = "resolved";
    public Person commander = satoAlone();
    public Person liaison;
    public List<Person> responders = new ArrayList<>(List.of(someone("suzuki")));
    public String teamZone = "Asia/Tokyo";
    public UUID teamId = SERVER_TEAM;
    public Instant problemStartedAt = Instant.now().minus(Duration.ofMinutes(95)).truncatedTo(ChronoUnit.SECONDS);
    public Instant createdAt = problemStartedAt.plus(Duration.ofMinutes(3));
    public Instant acknowledgedAt = createdAt.plus(Duration.ofMinutes(2));
    public Instant assignedAt = createdAt.plus(Duration.ofMinutes(10));
    public Instant mitigatedAt = assignedAt.plus(Duration.ofMinutes(40));
    public Instant resolvedAt = mitigatedAt.plus(Duration.ofMinutes(20));
    public Instant closedAt;
    public long version = 10;

    public TestIncident severity(String value) {
        severity = value;
        return this;
    }

    public TestIncident commander(Person value) {
        commander = value;
        return this;
    }

    public TestIncident liaison(Person value) {
        liaison = value;
        return this;
    }

    public TestIncident responders(Person... value) {
        responders = new ArrayList<>(List.of(value));
        return this;
    }

    public TestIncident resolvedAt(Instant value) {
        resolvedAt = value;
        return this;
    }

    public ObjectNode snapshot() {
        ObjectNode s = JSON.createObjectNode();
        s.put("id", id.toString());
        s.put("number", number);
        s.put("title", title);
        s.put("severity", severity);
        s.put("state", state);
        s.put("impact", "Article pages fail for some users");
        s.put("source", "events_v2");
        ObjectNode service = s.putObject("service");
        service.put("id", "55555555-0000-4000-8000-000000000001");
        service.put("name", "News API");
        service.put("runbookUrl", "https://runbooks.example/news-api");
        service.put("slackChannel", "#svc-news-api");
        ObjectNode team = JSON.createObjectNode();
        team.put("id", teamId.toString());
        team.put("name", "Server");
        team.put("slackChannel", "#team-server");
        team.put("timeZone", teamZone);
        s.set("owningTeam", team);
        s.putArray("assignedTeams").add(team.deepCopy());
        s.set("commander", commander == null ? null : commander.json());
        s.set("liaison", liaison == null ? null : liaison.json());
        ArrayNode rs = s.putArray("responders");
        responders.forEach(r -> rs.add(r.json()));
        s.put("warRoomUrl", "https://meet.example/toban-" + number);
        ObjectNode thread = s.putObject("slackThread");
        thread.put("channel", "C024BE91L");
        thread.put("ts", "1732529730.000100");
        s.put("url", "http://localhost:8082/incidents/" + id);
        put(s, "problemStartedAt", problemStartedAt);
        put(s, "createdAt", createdAt);
        put(s, "acknowledgedAt", acknowledgedAt);
        put(s, "assignedAt", assignedAt);
        put(s, "mitigatedAt", mitigatedAt);
        put(s, "resolvedAt", resolvedAt);
        put(s, "closedAt", closedAt);
        s.put("version", version);
        s.put("someFutureField", "consumers ignore fields they do not know");
        return s;
    }

    private static void put(ObjectNode node, String field, Instant value) {
        if (value == null) {
            node.putNull(field);
        } else {
            node.put(field, value.toString());
        }
    }

    /** A CloudEvent of {@code type} with a fresh event id. */
    public String event(String type) {
        return event(type, UUID.randomUUID().toString());
    }

    public String event(String type, String eventId) {
        ObjectNode event = JSON.createObjectNode();
        event.put("specversion", "1.0");
        event.put("id", eventId);
        event.put("source", "/toban/incident-service");
        event.put("type", type);
        event.put("time", Instant.now().toString());
        event.put("subject", id.toString());
        event.put("datacontenttype", "application/json");
        ObjectNode data = event.putObject("data");
        data.set("incident", snapshot());
        ObjectNode actor = data.putObject("actor");
        actor.put("username", commander == null ? "system" : commander.username());
        if (type.endsWith(".reopened")) {
            data.put("reason", "errors came back");
        } else {
            data.put("note", "all good");
        }
        return event.toString();
    }

    /** The next version of the snapshot in {@code newState}, as incident-service would publish after a change. */
    public TestIncident next(String newState) {
        state = newState;
        version++;
        if ("closed".equals(newState)) {
            closedAt = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        }
        if ("resolved".equals(newState)) {
            resolvedAt = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        }
        return this;
    }
}

package dev.toban.incident.support;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.toban.plumbing.testing.BrokerProbe;
import dev.toban.plumbing.testing.KeycloakTokens;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;
import dev.toban.plumbing.testing.LocalStack;

/**
 * Shared fixtures of the incident-service tests: the real broker (watching toban.incident.*), the
 * demo people and teams announced the way oncall-service announces them, direct SQL on the test
 * database, and small API helpers.
 */
public final class TestStack {

    public static final String VHOST = "toban_test_incident";
    public static final UUID TEAM_SERVER = UUID.fromString("11111111-0000-4000-8000-000000000001");
    public static final UUID TEAM_MOBILE = UUID.fromString("11111111-0000-4000-8000-000000000002");
    public static final UUID POLICY_SERVER = UUID.fromString("22222222-0000-4000-8000-000000000001");
    public static final UUID SATO = UUID.fromString("44444444-0000-4000-8000-000000000001");
    public static final UUID SUZUKI = UUID.fromString("44444444-0000-4000-8000-000000000002");
    public static final UUID TANAKA = UUID.fromString("44444444-0000-4000-8000-000000000003");
    public static final UUID YAMADA = UUID.fromString("44444444-0000-4000-8000-000000000004");
    public static final UUID ADMIN = UUID.fromString("44444444-0000-4000-8000-000000000005");
    public static final UUID TAKAHASHI = UUID.fromString("44444444-0000-4000-8000-000000000006");
    public static final UUID NEWS_API = UUID.fromString("55555555-0000-4000-8000-000000000001");
    public static final UUID TRIAGE = UUID.fromString("55555555-0000-4000-8000-000000000003");
    /**
     * The News API demo key: TOBAN_DEMO_INTEGRATION_KEY from the environment or .toban/secrets.env (which
     * outrank application.properties), else the %test value.
     */
    public static final String DEMO_KEY = LocalStack.get("TOBAN_DEMO_INTEGRATION_KEY", "testdemokey0000000000000000news1");
    /** The Slack signing secret the service was started with, by the same rule. */
    public static final String SLACK_SECRET = LocalStack.get("TOBAN_SLACK_SIGNING_SECRET", "incident-service-test-signing-secret");

    private static BrokerProbe broker;
    private static boolean directoryReady;

    private TestStack() {
    }

    /** One probe for the whole suite, watching every incident event from the start. */
    public static synchronized BrokerProbe broker() {
        if (broker == null) {
            broker = new BrokerProbe(VHOST).watch("toban.incident", "toban.incident.#");
        }
        return broker;
    }

    /** Events of {@code type} about {@code incidentId}, in arrival order. */
    public static List<JsonNode> events(String type, Object incidentId) {
        return broker().received(type).stream()
                .filter(e -> String.valueOf(incidentId).equals(e.path("subject").asText()))
                .toList();
    }

    public static JsonNode awaitEvent(String type, Object incidentId) {
        await().atMost(Duration.ofSeconds(15)).until(() -> !events(type, incidentId).isEmpty());
        return events(type, incidentId).get(0);
    }

    /** Announces the demo people and teams through the real broker, as oncall-service does; idempotent. */
    public static synchronized void directory() {
        if (directoryReady) {
            return;
        }
        BrokerProbe probe = broker();
        person(probe, SATO, "Hanako Sato", "sato", "U0SATO", "ja");
        person(probe, SUZUKI, "Ichiro Suzuki", "suzuki", "U0SUZUKI", "ja");
        person(probe, TANAKA, "Jiro Tanaka", "tanaka", "U0TANAKA", "ja");
        person(probe, YAMADA, "Yumi Yamada", "yamada", "U0YAMADA", "ja");
        person(probe, ADMIN, "Toban Admin", "admin", "U0ADMIN", "en");
        person(probe, TAKAHASHI, "Ken Takahashi", "takahashi", "U0TAKAHASHI", "ja");
        team(probe, TEAM_SERVER, "Server", "#team-server", List.of(SATO, SUZUKI, TAKAHASHI));
        team(probe, TEAM_MOBILE, "Mobile", "#team-mobile", List.of(TANAKA));
        // issue 17: oncall-service mirrors each person's realm roles (Takahashi's are not announced: unknown)
        roles(probe, SATO, "Hanako Sato", "sato", "U0SATO", "ja", "[\"responder\"]");
        roles(probe, SUZUKI, "Ichiro Suzuki", "suzuki", "U0SUZUKI", "ja", "[\"responder\"]");
        roles(probe, TANAKA, "Jiro Tanaka", "tanaka", "U0TANAKA", "ja", "[\"responder\"]");
        roles(probe, YAMADA, "Yumi Yamada", "yamada", "U0YAMADA", "ja", "[\"viewer\"]");
        roles(probe, ADMIN, "Toban Admin", "admin", "U0ADMIN", "en", "[\"admin\"]");
        await().atMost(Duration.ofSeconds(20)).until(() ->
                count("select count(*) from person where id in ('" + SATO + "','" + SUZUKI + "','" + TANAKA + "','"
                        + YAMADA + "','" + ADMIN + "','" + TAKAHASHI + "')") == 6
                        && count("select count(*) from person where roles is not null and id in ('" + SATO + "','"
                        + SUZUKI + "','" + TANAKA + "','" + YAMADA + "','" + ADMIN + "')") == 5
                        && count("select count(*) from team_member where team_id = '" + TEAM_SERVER + "'") == 3
                        && count("select count(*) from team_member where team_id = '" + TEAM_MOBILE + "'") == 1);
        directoryReady = true;
    }

    private static void person(BrokerProbe probe, UUID id, String name, String username, String slack, String locale) {
        probe.publish("toban.oncall", "toban.oncall.person.created", """
                {"specversion":"1.0","id":"%s","source":"/toban/oncall-service","type":"toban.oncall.person.created",
                 "subject":"%s","datacontenttype":"application/json",
                 "data":{"id":"%s","name":"%s","username":"%s","email":"%s@toban.example","slackUserId":"%s",
                         "timeZone":"Asia/Tokyo","locale":"%s","version":1}}
                """.formatted(UUID.nameUUIDFromBytes(("person-" + id).getBytes(StandardCharsets.UTF_8)), id, id, name,
                username, username, slack, locale));
    }

    /** The person again (version 2) with their realm roles, as oncall-service announces them since issue 17. */
    private static void roles(BrokerProbe probe, UUID id, String name, String username, String slack, String locale,
                              String roles) {
        probe.publish("toban.oncall", "toban.oncall.person.updated", """
                {"specversion":"1.0","id":"%s","source":"/toban/oncall-service","type":"toban.oncall.person.updated",
                 "subject":"%s","datacontenttype":"application/json",
                 "data":{"id":"%s","name":"%s","username":"%s","email":"%s@toban.example","slackUserId":"%s",
                         "timeZone":"Asia/Tokyo","locale":"%s","roles":%s,"archived":false,"version":2}}
                """.formatted(UUID.nameUUIDFromBytes(("person-roles-" + id).getBytes(StandardCharsets.UTF_8)), id, id,
                name, username, username, slack, locale, roles));
    }

    /** A person of a test's own, announced as oncall-service would (roles a JSON array or null for none). */
    public static void announcePerson(UUID id, String name, String username, String email, String slack, String locale,
                                      String roles, boolean archived, long version) {
        broker().publish("toban.oncall", "toban.oncall.person.updated", """
                {"specversion":"1.0","id":"%s","source":"/toban/oncall-service","type":"toban.oncall.person.updated",
                 "subject":"%s","datacontenttype":"application/json",
                 "data":{"id":"%s","name":"%s","username":%s,"email":%s,"slackUserId":%s,
                         "timeZone":"Asia/Tokyo","locale":"%s","roles":%s,"archived":%s,"version":%d}}
                """.formatted(UUID.randomUUID(), id, id, name, quoted(username), quoted(email), quoted(slack), locale,
                roles == null ? "null" : roles, archived, version));
        await().atMost(Duration.ofSeconds(15)).until(() ->
                count("select count(*) from person where id = ? and source_version = ?", id, version) == 1);
    }

    private static String quoted(String value) {
        return value == null ? "null" : "\"" + value + "\"";
    }

    private static void team(BrokerProbe probe, UUID id, String name, String channel, List<UUID> members) {
        String memberIds = String.join(",", members.stream().map(m -> "\"" + m + "\"").toList());
        probe.publish("toban.oncall", "toban.oncall.team.created", """
                {"specversion":"1.0","id":"%s","source":"/toban/oncall-service","type":"toban.oncall.team.created",
                 "subject":"%s","datacontenttype":"application/json",
                 "data":{"id":"%s","name":"%s","slackChannel":"%s","timeZone":"Asia/Tokyo","memberIds":[%s],
                         "updatedAt":"2026-11-25T09:00:00Z","version":1}}
                """.formatted(UUID.nameUUIDFromBytes(("team-" + id).getBytes(StandardCharsets.UTF_8)), id, id, name,
                channel, memberIds));
    }

    /**
     * Stores an oncall-service answer as the cached one: the documented fallback while oncall-service is
     * unreachable, which it always is in this suite.
     */
    public static void cacheTargets(UUID policyId, int level, int levels, int repeatCount, int delayMinutes,
                                    UUID... people) {
        StringBuilder refs = new StringBuilder();
        for (UUID p : people) {
            if (!refs.isEmpty()) {
                refs.append(',');
            }
            refs.append(personRef(p));
        }
        String answer = """
                {"policyId":"%s","policyName":"Policy %s","level":%d,"levels":%d,"repeatCount":%d,"delayMinutes":%d,
                 "targets":[{"type":"schedule","id":"%s","name":"schedule"}],"people":[%s]}"""
                .formatted(policyId, policyId.toString().substring(0, 8), level, levels, repeatCount, delayMinutes,
                        UUID.randomUUID(), refs);
        update("insert into policy_targets_cache (policy_id, level, answer, fetched_at) values (?, ?, cast(? as jsonb), now()) "
                + "on conflict (policy_id, level) do update set answer = excluded.answer, fetched_at = now()",
                policyId, level, answer);
    }

    public static String personRef(UUID id) {
        Map<UUID, String[]> known = Map.of(
                SATO, new String[] {"Hanako Sato", "sato"},
                SUZUKI, new String[] {"Ichiro Suzuki", "suzuki"},
                TANAKA, new String[] {"Jiro Tanaka", "tanaka"},
                ADMIN, new String[] {"Toban Admin", "admin"},
                TAKAHASHI, new String[] {"Ken Takahashi", "takahashi"});
        String[] p = known.getOrDefault(id, new String[] {"Person " + id, "p" + id.toString().substring(0, 6)});
        return """
                {"id":"%s","name":"%s","username":"%s","email":"%s@toban.example","slackUserId":null,
                 "timeZone":"Asia/Tokyo","locale":"ja"}""".formatted(id, p[0], p[1], p[1]);
    }

    // ------------------------------------------------------------------ API helpers

    /** Forgets every SOS counted against the limit (3 per reporter per 10 minutes), so a test starts afresh. */
    public static void forgetSosReports() {
        update("delete from sos_report");
    }

    public static RequestSpecification as(String user) {
        return given().auth().oauth2(KeycloakTokens.of(user)).contentType(ContentType.JSON);
    }

    /** A technical service of its own for a test, owned by Server, with a policy; returns {serviceId, key}. */
    public static String[] service(String name, UUID policyId) {
        directory();
        String id = as(KeycloakTokens.ADMIN).body("""
                {"name":"%s","owningTeamId":"%s","escalationPolicyId":"%s","runbookUrl":"https://runbooks.example/x",
                 "slackChannel":"#svc-test"}""".formatted(name + " " + UUID.randomUUID(), TEAM_SERVER, policyId))
                .post("/api/services").then().statusCode(201).extract().path("id");
        String key = as(KeycloakTokens.ADMIN).body("{\"name\":\"monitoring\",\"type\":\"events_v2\"}")
                .post("/api/services/" + id + "/integration-keys").then().statusCode(201).extract().path("key");
        return new String[] {id, key};
    }

    public static Response enqueue(String body) {
        return given().contentType(ContentType.JSON).body(body).post("/v2/enqueue");
    }

    public static String trigger(String routingKey, String dedupKey, String summary, String severity) {
        return """
                {"routing_key":"%s","event_action":"trigger","dedup_key":"%s",
                 "payload":{"summary":"%s","source":"api-1.example","severity":"%s","timestamp":"2026-11-25T10:12:00+0000",
                            "component":"nginx","custom_details":{"error_rate":"7%%"}},
                 "links":[{"href":"https://grafana.example/d/1","text":"Dashboard"}],"client":"Grafana"}"""
                .formatted(routingKey, dedupKey, summary, severity);
    }

    public static String action(String routingKey, String dedupKey, String action) {
        return "{\"routing_key\":\"%s\",\"dedup_key\":\"%s\",\"event_action\":\"%s\"}".formatted(routingKey, dedupKey, action);
    }

    /** The open incident for a dedup key, waiting until ingestion created it. */
    public static UUID incidentFor(String dedupKey) {
        await().atMost(Duration.ofSeconds(10)).until(() -> !uuids(
                "select incident_id from alert where dedup_key = ? order by created_at desc", dedupKey).isEmpty());
        return uuids("select incident_id from alert where dedup_key = ? order by created_at desc", dedupKey).get(0);
    }

    // ------------------------------------------------------------------ SQL on the test database

    public static Connection connect() throws SQLException {
        return DriverManager.getConnection("jdbc:postgresql://" + LocalStack.get("DB_HOST", "localhost") + ":"
                        + LocalStack.get("DB_PORT", "5432") + "/toban_incident_test", "toban_incident",
                LocalStack.get("TOBAN_DB_PASSWORD", ""));
    }

    public static long count(String sql, Object... params) {
        return ((Number) single(sql, params)).longValue();
    }

    public static Object single(String sql, Object... params) {
        List<Object> rows = column(sql, params);
        return rows.isEmpty() ? null : rows.get(0);
    }

    public static List<UUID> uuids(String sql, Object... params) {
        return column(sql, params).stream().map(o -> (UUID) o).toList();
    }

    public static List<Object> column(String sql, Object... params) {
        try (Connection c = connect(); PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                ps.setObject(i + 1, params[i]);
            }
            try (ResultSet rs = ps.executeQuery()) {
                List<Object> values = new ArrayList<>();
                while (rs.next()) {
                    Object value = rs.getObject(1);
                    values.add(value instanceof java.sql.Timestamp
                            ? rs.getObject(1, java.time.OffsetDateTime.class) : value);
                }
                return values;
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    public static int update(String sql, Object... params) {
        try (Connection c = connect(); PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                ps.setObject(i + 1, params[i]);
            }
            return ps.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A JSON text as a tree. */
    public static JsonNode json(String text) {
        try {
            return new com.fasterxml.jackson.databind.ObjectMapper().readTree(text);
        } catch (java.io.IOException e) {
            throw new IllegalStateException("not JSON: " + text, e);
        }
    }

    /** Polls until the predicate holds for the JSON at {@code path} (as the given user). */
    public static void awaitJson(String user, String path, Predicate<io.restassured.path.json.JsonPath> until) {
        await().atMost(Duration.ofSeconds(15)).until(() -> until.test(
                as(user).get(path).then().statusCode(200).extract().jsonPath()));
    }
}

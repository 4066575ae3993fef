package dev.toban.incident.rest;

import static dev.toban.incident.support.TestStack.as;
import static dev.toban.incident.support.TestStack.enqueue;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.toban.incident.support.TestStack;
import dev.toban.plumbing.testing.KeycloakTokens;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import dev.toban.plumbing.input.Text;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Ingestion never loses an alert for a stray byte: a NUL or a lone surrogate in what a monitoring tool
 * or Slack sends is cleaned ({@code Text.clean}) and stored, never a 500 (PostgreSQL refuses NUL in text
 * and jsonb).
 */
@QuarkusTest
class StrayBytesTest {

    static String serviceId;
    static String key;
    static String alertmanagerKey;

    @BeforeEach
    void setUp() {
        if (key != null) {
            return;
        }
        TestStack.directory();
        String[] created = TestStack.service("Stray bytes", UUID.randomUUID());
        serviceId = created[0];
        key = created[1];
        alertmanagerKey = as(KeycloakTokens.ADMIN).body("{\"name\":\"am\",\"type\":\"alertmanager\"}")
                .post("/api/services/" + serviceId + "/integration-keys").then().statusCode(201).extract().path("key");
    }

    @Test
    void anEventsApiTriggerWithANulAndALoneSurrogateIsAcceptedAndStoredClean() {
        String dedup = "nul-" + UUID.randomUUID();
        enqueue("""
                {"routing_key":"%s","event_action":"trigger","dedup_key":"%s",
                 "payload":{"summary":"Disk\\u0000 full \\ud800on db-1","source":"db\\u0001-1","severity":"error",
                            "custom_details":{"note\\u0000":"a\\u0000b","raw":"\\udc00"}},
                 "links":[{"href":"https://grafana.example/\\u0000","text":"x\\u0007"}]}""".formatted(key, dedup))
                .then().statusCode(202).body("dedup_key", equalTo(dedup));
        UUID incident = TestStack.incidentFor(dedup);
        as(KeycloakTokens.YAMADA).get("/api/incidents/" + incident).then().statusCode(200)
                .body("title", equalTo("Disk full \uFFFDon db-1"))
                .body("alerts[0].source", equalTo("db-1"))
                .body("alerts[0].customDetails.note", equalTo("ab"))
                .body("alerts[0].customDetails.raw", equalTo("\uFFFD"))
                .body("alerts[0].links[0].href", equalTo("https://grafana.example/"));
        // the dedup key is cleaned the same way every time: acknowledging with the raw key finds the alert
        enqueue("""
                {"routing_key":"%s","event_action":"acknowledge","dedup_key":"%s"}""".formatted(key, dedup))
                .then().statusCode(202);
        TestStack.awaitJson(KeycloakTokens.YAMADA, "/api/incidents/" + incident,
                j -> "acknowledged".equals(j.getString("state")));
    }

    @Test
    void aDedupKeyWithANulIsCleanedConsistently() {
        String dedup = "k\\u0000" + UUID.randomUUID();
        String stored = dedup.replace("\\u0000", "");
        enqueue(TestStack.trigger(key, dedup, "NUL in the key", "info")).then().statusCode(202)
                .body("dedup_key", equalTo(stored));
        assertEquals(1, TestStack.count("select count(*) from alert where dedup_key = ?", stored));
    }

    @Test
    void aChangeEventWithANulIsAccepted() {
        given().contentType(ContentType.JSON).body("""
                {"routing_key":"%s","payload":{"summary":"Deploy\\u0000 v43","source":"ci\\ud800",
                 "custom_details":{"sha":"\\u0000abc"}}}""".formatted(key))
                .post("/v2/change/enqueue").then().statusCode(202);
        as(KeycloakTokens.YAMADA).get("/api/services/" + serviceId + "/changes").then().statusCode(200)
                .body("find { it.summary == 'Deploy v43' }.source", equalTo("ci\uFFFD"))
                .body("find { it.summary == 'Deploy v43' }.customDetails.sha", equalTo("abc"));
    }

    @Test
    void anAlertmanagerNotificationWithANulInItsLabelsIsAcceptedAndStoredClean() {
        String group = "{}:{alertname=\"Nul\"}-" + UUID.randomUUID();
        String fingerprint = "f" + UUID.randomUUID().toString().substring(0, 15);
        String incident = given().contentType(ContentType.JSON).body("""
                {"version":"4","groupKey":"%s","status":"firing","receiver":"toban",
                 "groupLabels":{"alertname":"Nul"},"commonLabels":{"alertname":"Nul\\u0000","severity":"warning"},
                 "commonAnnotations":{"summary":"Queue \\ud800stuck\\u0000"},"externalURL":"http://alertmanager:9093",
                 "alerts":[{"status":"firing","labels":{"alertname":"Nul\\u0000","instance":"q\\u0000-1","severity":"warning"},
                   "annotations":{"summary":"Queue \\ud800stuck\\u0000"},"startsAt":"2026-11-25T10:05:00Z",
                   "endsAt":"0001-01-01T00:00:00Z","generatorURL":"http://prometheus/\\u0000","fingerprint":"%s"}]}"""
                        .formatted(group.replace("\"", "\\\""), fingerprint))
                .post("/integrations/alertmanager/" + alertmanagerKey).then().statusCode(200)
                .body("status", equalTo("success")).extract().path("incidentId");
        as(KeycloakTokens.YAMADA).get("/api/incidents/" + incident).then().statusCode(200)
                .body("title", equalTo("[Nul] Queue \uFFFDstuck"))
                .body("alerts[0].labels.instance", equalTo("q-1"))
                .body("alerts[0].summary", equalTo("Queue \uFFFDstuck"));
    }

    /** A slash command as Slack sends it, every value form-encoded. */
    static String slashCommand(String userId, String userName, String text) {
        return "team_id=T0001&channel_id=C0INCIDENT&user_id=" + URLEncoder.encode(userId, StandardCharsets.UTF_8)
                + "&user_name=" + URLEncoder.encode(userName, StandardCharsets.UTF_8) + "&command=%2Fsos&text="
                + URLEncoder.encode(text, StandardCharsets.UTF_8);
    }

    @Test
    void aSlashCommandWithControlCharactersIsCleanedNotAFailure() {
        String text = "Checkout\u0000 is down\u0007 " + UUID.randomUUID();
        SlackCommandResourceTest.send(slashCommand("U0\u0000NUL" + UUID.randomUUID(), "str\u0000anger", text),
                        Instant.now().getEpochSecond(), TestStack.SLACK_SECRET)
                .then().statusCode(200)
                .body("response_type", equalTo("ephemeral"))
                .body("text", startsWith("SOS を受け付けました"));
        String clean = text.replace("\u0000", "").replace("\u0007", "");
        assertEquals("SOS: " + clean, TestStack.single(
                "select i.title from incident i join alert a on a.incident_id = i.id where a.summary = ?", clean));
        String source = TestStack.single("select source from alert where summary = ?", clean).toString();
        assertTrue(source.endsWith("stranger") && Text.problem(source, true) == null, source);
    }

    @Test
    void aNulInTheSlackUserIdIsNoDatabaseError() {
        SlackCommandResourceTest.send(slashCommand("U0YAMADA\u0000", "yamada", ""), Instant.now().getEpochSecond(),
                TestStack.SLACK_SECRET).then().statusCode(200).body("text", containsString("/sos"));
    }
}

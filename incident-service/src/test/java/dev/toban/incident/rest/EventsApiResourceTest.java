package dev.toban.incident.rest;

import static dev.toban.incident.support.TestStack.action;
import static dev.toban.incident.support.TestStack.count;
import static dev.toban.incident.support.TestStack.enqueue;
import static dev.toban.incident.support.TestStack.trigger;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.toban.incident.support.TestStack;
import dev.toban.plumbing.testing.KeycloakTokens;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** PagerDuty Events API v2: same bodies, codes and dedup semantics as PagerDuty. */
@QuarkusTest
class EventsApiResourceTest {

    static String serviceId;
    static String key;

    @BeforeEach
    void setUp() {
        if (key != null) {
            return; // once per class; RestAssured knows the port only inside a test
        }
        TestStack.directory();
        String[] created = TestStack.service("Events API", UUID.randomUUID());
        serviceId = created[0];
        key = created[1];
    }

    static long incidents() {
        return count("select count(*) from incident");
    }

    @Test
    void triggerIsAcceptedWithPagerDutysBodyAndOpensAnIncident() {
        String dedup = "disk-" + UUID.randomUUID();
        enqueue(trigger(key, dedup, "Disk full on db-1", "critical"))
                .then().statusCode(202).contentType(ContentType.JSON)
                .body("status", equalTo("success"))
                .body("message", equalTo("Event processed"))
                .body("dedup_key", equalTo(dedup));

        UUID incident = TestStack.incidentFor(dedup);
        TestStack.as(KeycloakTokens.YAMADA).get("/api/incidents/" + incident).then().statusCode(200)
                .body("title", equalTo("Disk full on db-1"))
                .body("severity", equalTo("SEV1"))
                .body("state", equalTo("triggered"))
                .body("source", equalTo("events_v2"))
                .body("service.id", equalTo(serviceId))
                .body("service.runbookUrl", equalTo("https://runbooks.example/x"))
                .body("owningTeam.name", equalTo("Server"))
                .body("problemStartedAt", equalTo("2026-11-25T10:12:00Z"))
                .body("warRoomUrl", matchesPattern("https://meet\\.example/toban-\\d+"))
                .body("alerts[0].dedupKey", equalTo(dedup))
                .body("alerts[0].component", equalTo("nginx"))
                .body("alerts[0].customDetails.error_rate", equalTo("7%"))
                .body("alerts[0].links[0].href", equalTo("https://grafana.example/d/1"));

        TestStack.as(KeycloakTokens.YAMADA).get("/api/incidents?serviceId=" + serviceId).then().statusCode(200)
                .body("id", hasItem(incident.toString()));

        JsonNode triggered = TestStack.awaitEvent("toban.incident.triggered", incident);
        assertEquals("integration:monitoring", triggered.at("/data/actor/username").asText());
        assertEquals("Disk full on db-1", triggered.at("/data/alert/summary").asText());
        assertEquals(dedup, triggered.at("/data/alert/dedupKey").asText());
        assertEquals("critical", triggered.at("/data/alert/severity").asText());
        assertEquals(1, triggered.at("/data/page/level").asInt());
        assertEquals("SEV1", triggered.at("/data/incident/severity").asText());
    }

    @Test
    void triggerWithoutDedupKeyGetsAGeneratedOne() {
        String body = """
                {"routing_key":"%s","event_action":"trigger",
                 "payload":{"summary":"No key","source":"x","severity":"info"}}""".formatted(key);
        String first = enqueue(body).then().statusCode(202).body("dedup_key", notNullValue()).extract().path("dedup_key");
        String second = enqueue(body).then().statusCode(202).extract().path("dedup_key");
        assertTrue(!first.equals(second), "each trigger without a key is a new alert");
        assertEquals(1, count("select count(*) from alert where dedup_key = ?", first));
    }

    @Test
    void repeatedTriggersAttachToTheOpenAlertAndAResolvedKeyOpensANewIncident() {
        String dedup = "cpu-" + UUID.randomUUID();
        for (int i = 0; i < 3; i++) {
            enqueue(trigger(key, dedup, "CPU high", "warning")).then().statusCode(202);
        }
        UUID first = TestStack.incidentFor(dedup);
        assertEquals(1, count("select count(*) from incident where dedup_key = ?", dedup));
        // repeated triggers are counted on the alert within a second
        await().atMost(Duration.ofSeconds(5)).until(() -> count("select event_count from alert where dedup_key = ?", dedup) == 3);

        enqueue(action(key, dedup, "resolve")).then().statusCode(202).body("dedup_key", equalTo(dedup));
        TestStack.as(KeycloakTokens.YAMADA).get("/api/incidents/" + first).then()
                .body("state", equalTo("resolved"))
                .body("alerts[0].status", equalTo("resolved"));
        JsonNode resolved = TestStack.awaitEvent("toban.incident.resolved", first);
        assertEquals("integration:monitoring", resolved.at("/data/actor/username").asText());

        enqueue(trigger(key, dedup, "CPU high again", "warning")).then().statusCode(202);
        assertEquals(2, count("select count(*) from incident where dedup_key = ?", dedup));
        assertEquals(1, count("select count(*) from incident where dedup_key = ? and state = 'triggered'", dedup));
    }

    @Test
    void acknowledgeStopsTheIncidentAndUnknownKeysAreDropped() {
        String dedup = "ack-" + UUID.randomUUID();
        enqueue(trigger(key, dedup, "Latency", "error")).then().statusCode(202);
        UUID incident = TestStack.incidentFor(dedup);
        enqueue(action(key, dedup, "acknowledge")).then().statusCode(202).body("status", equalTo("success"));
        TestStack.as(KeycloakTokens.YAMADA).get("/api/incidents/" + incident).then()
                .body("state", equalTo("acknowledged"))
                .body("acknowledgedAt", notNullValue())
                .body("alerts[0].status", equalTo("acknowledged"));
        TestStack.awaitEvent("toban.incident.acknowledged", incident);

        long before = incidents();
        enqueue(action(key, "never-seen-" + UUID.randomUUID(), "acknowledge")).then().statusCode(202);
        enqueue(action(key, "never-seen-" + UUID.randomUUID(), "resolve")).then().statusCode(202);
        assertEquals(before, incidents());
    }

    @Test
    void badInputGetsPagerDutysErrorsAndWritesNothing() {
        long before = incidents();
        String badJson = "{\"routing_key\": \"" + key + "\", \"event_action\": ";
        enqueue(badJson).then().statusCode(400).contentType(ContentType.JSON)
                .body("status", equalTo("invalid event"))
                .body("message", equalTo("Event object is invalid"))
                .body("errors", contains("Event object is not valid JSON"));
        enqueue("[1,2]").then().statusCode(400).body("errors", contains("Event object must be a JSON object"));
        given().contentType(ContentType.JSON).post("/v2/enqueue").then().statusCode(400)
                .body("errors[0]", equalTo("Event object is missing: the request body is empty"));
        enqueue("""
                {"routing_key":"%s","event_action":"explode","dedup_key":7}""".formatted(key))
                .then().statusCode(400)
                .body("errors", hasItem("'event_action' is invalid (expected one of trigger, acknowledge, resolve)"))
                .body("errors", hasItem("'dedup_key' must be a string"));
        enqueue("""
                {"routing_key":"%s","event_action":"trigger","payload":{"summary":42,"severity":"fatal",
                 "timestamp":"yesterday","custom_details":[1]},"links":[{"text":"no href"}]}""".formatted(key))
                .then().statusCode(400)
                .body("errors", hasItem("'payload.summary' must be a string"))
                .body("errors", hasItem("'payload.source' is missing or blank"))
                .body("errors", hasItem("'payload.severity' is invalid (expected one of critical, error, warning, info)"))
                .body("errors", hasItem("'payload.timestamp' is not a valid ISO 8601 timestamp"))
                .body("errors", hasItem("'payload.custom_details' must be an object"))
                .body("errors", hasItem("'links[0].href' is missing or blank"));
        enqueue("""
                {"routing_key":"%s","event_action":"trigger"}""".formatted(key))
                .then().statusCode(400).body("errors", contains("'payload' is missing"));
        enqueue("""
                {"routing_key":"%s","event_action":"resolve"}""".formatted(key))
                .then().statusCode(400).body("errors", contains("'dedup_key' is required for resolve events"));
        enqueue("""
                {"routing_key":"short","event_action":"trigger","payload":{"summary":"s","source":"s","severity":"info"}}""")
                .then().statusCode(400)
                .body("errors", contains("Length of 'routing_key' is incorrect (should be 32 characters)"));
        enqueue(trigger(key, "x".repeat(256), "long key", "info")).then().statusCode(400)
                .body("errors", contains("Length of 'dedup_key' is too long (maximum 255 characters)"));
        enqueue(trigger(key, "long-summary", "s".repeat(1025), "info")).then().statusCode(400)
                .body("errors", contains("Length of 'payload.summary' is too long (maximum 1024 characters)"));
        assertEquals(before, incidents());
    }

    @Test
    void bodiesOver512KbAre413() {
        long before = incidents();
        String big = trigger(key, "big-" + UUID.randomUUID(), "big", "info")
                .replace("\"Grafana\"", "\"" + "g".repeat(512 * 1024) + "\"");
        enqueue(big).then().statusCode(413).contentType(ContentType.JSON)
                .body("status", equalTo("invalid event"))
                .body("errors[0]", equalTo("Request body is larger than the 512 KB limit"));
        assertEquals(before, incidents());
    }

    @Test
    void unknownAndRevokedRoutingKeysAreInvalidEvents() {
        enqueue(trigger("0123456789abcdef0123456789abcdef", "k", "s", "info")).then().statusCode(400)
                .body("status", equalTo("invalid event"))
                .body("errors", contains("Invalid routing key"));

        String[] other = TestStack.service("Revoked", UUID.randomUUID());
        enqueue(trigger(other[1], "before-" + UUID.randomUUID(), "ok", "info")).then().statusCode(202);
        String keyId = TestStack.as(KeycloakTokens.ADMIN).get("/api/services/" + other[0] + "/integration-keys")
                .then().statusCode(200).extract().path("[0].id");
        TestStack.as(KeycloakTokens.ADMIN).delete("/api/services/" + other[0] + "/integration-keys/" + keyId)
                .then().statusCode(200).body("active", equalTo(false));
        enqueue(trigger(other[1], "after-" + UUID.randomUUID(), "refused", "info")).then().statusCode(400)
                .body("errors", contains("Invalid routing key"));
    }

    @Test
    void aRoutingKeyThatSendsTooFastGets429AndOthersAreNotAffected() {
        String[] flood = TestStack.service("Flood", UUID.randomUUID());
        int accepted = 0;
        io.restassured.response.Response throttled = null;
        for (int i = 0; i < 400 && throttled == null; i++) {
            io.restassured.response.Response response = enqueue(trigger(flood[1], "flood", "storm", "info"));
            if (response.statusCode() == 202) {
                accepted++;
            } else {
                throttled = response;
            }
        }
        assertTrue(throttled != null, "the key is throttled once its burst is spent");
        assertTrue(accepted >= 40, "the burst of 40 is accepted first: " + accepted);
        throttled.then().statusCode(429).contentType(ContentType.JSON)
                .header("Retry-After", notNullValue())
                .body("status", equalTo("throttle event"));
        enqueue(trigger(key, "calm-" + UUID.randomUUID(), "calm", "info")).then().statusCode(202);
    }

    @Test
    void changeEventsGoOnTheServiceTimeline() {
        given().contentType(ContentType.JSON).body("""
                {"routing_key":"%s","payload":{"summary":"Deploy v42","source":"ci","timestamp":"2026-11-25T09:00:00Z",
                 "custom_details":{"sha":"abc"}},"links":[{"href":"https://ci.example/42","text":"build"}]}""".formatted(key))
                .post("/v2/change/enqueue").then().statusCode(202)
                .body("status", equalTo("success"))
                .body("message", equalTo("Change event processed"));
        TestStack.as(KeycloakTokens.YAMADA).get("/api/services/" + serviceId + "/changes").then().statusCode(200)
                .body("summary", hasItem("Deploy v42"))
                .body("find { it.summary == 'Deploy v42' }.timestamp", equalTo("2026-11-25T09:00:00Z"));
        await().atMost(Duration.ofSeconds(10)).until(() -> TestStack.broker().received("toban.incident.change_received")
                .stream().anyMatch(e -> e.at("/data/change/summary").asText().equals("Deploy v42")
                        && e.at("/data/service/id").asText().equals(serviceId)));
        given().contentType(ContentType.JSON).body("{\"routing_key\":\"%s\",\"payload\":{}}".formatted(key))
                .post("/v2/change/enqueue").then().statusCode(400)
                .body("errors", contains("'payload.summary' is missing or blank"));
    }

    @Test
    void pagerDutysOwnTimestampFormatIsAccepted() {
        String dedup = "ts-" + UUID.randomUUID();
        enqueue("""
                {"routing_key":"%s","event_action":"trigger","dedup_key":"%s",
                 "payload":{"summary":"ts","source":"s","severity":"info","timestamp":"2015-07-17T08:42:58.315+0000"}}"""
                .formatted(key, dedup)).then().statusCode(202);
        UUID incident = TestStack.incidentFor(dedup);
        TestStack.as(KeycloakTokens.YAMADA).get("/api/incidents/" + incident).then()
                .body("problemStartedAt", equalTo("2015-07-17T08:42:58.315Z"));
    }
}

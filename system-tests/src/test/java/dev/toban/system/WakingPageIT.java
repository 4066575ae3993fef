package dev.toban.system;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.toban.plumbing.testing.FakeNtfy;
import dev.toban.plumbing.testing.FakeTwilio;
import dev.toban.plumbing.testing.KeycloakTokens;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Paging that wakes people (issue 18), across the packaged services with a fake Twilio and a fake ntfy: a
 * high-urgency alert for Sato, whose demo rules are a push at once, a text after a minute and a call after two.
 * Nobody answers the push or the text; the call goes out when its two minutes are up (moved along in notify's
 * delivery log instead of waited for), Sato presses 1, and the incident is acknowledged as Sato, so its
 * escalation to the next level never fires.
 */
class WakingPageIT {

    static final Duration WAIT = Duration.ofSeconds(30);
    static final String SATO_PHONE = "+819012340001";
    static TobanSystem toban;

    @BeforeAll
    static void start() {
        // the test moves the text and the call forward in notify's database, behind its worker's back: the worker
        // sees such a change at its next look (toban.notify.delivery.poll-interval, 30 s by default, as long as
        // the waits below), so it looks every second here
        toban = TobanSystem.start(Map.of("TOBAN_NOTIFY_DELIVERY_POLL_INTERVAL", "1s"));
    }

    @AfterAll
    static void stop() {
        if (toban != null) {
            toban.close();
        }
    }

    static JsonPath incident(String id) {
        return Api.as(KeycloakTokens.YAMADA, toban.incident).get("/api/incidents/" + id)
                .then().statusCode(200).extract().jsonPath();
    }

    static List<String> timeline(String id) {
        return Api.as(KeycloakTokens.YAMADA, toban.incident).get("/api/incidents/" + id + "/timeline")
                .then().statusCode(200).extract().jsonPath().getList("kind");
    }

    @Test
    void nobodyAnswersThePushTheCallAfterTwoMinutesIsAcknowledgedWithAKeypressAndNothingEscalates() {
        // Sato takes the server rotation from now, alone at level 1
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        Api.as(KeycloakTokens.ADMIN, toban.oncall)
                .body(Map.of("personId", Demo.SATO, "start", now.toString(), "end", now.plus(Duration.ofHours(3)).toString()))
                .post("/api/schedules/" + Demo.SCHEDULE_SERVER + "/overrides").then().statusCode(201);

        String summary = "Night page IT " + UUID.randomUUID().toString().substring(0, 8);
        given().baseUri(toban.incident.url()).contentType(ContentType.JSON)
                .body(Map.of("routing_key", TobanSystem.demoIntegrationKey(), "event_action", "trigger",
                        "dedup_key", "night-" + UUID.randomUUID(),
                        "payload", Map.of("summary", summary, "source", "prometheus", "severity", "critical")))
                .post("/v2/enqueue").then().statusCode(202);
        String id = await().atMost(WAIT).until(() -> Api.as(KeycloakTokens.YAMADA, toban.incident)
                .get("/api/incidents").then().statusCode(200).extract().jsonPath()
                .<String>getString("find { it.title == '" + summary + "' }.id"), found -> found != null);
        await().atMost(WAIT).until(() -> timeline(id).contains("paged"));
        assertEquals(1, Database.count("incident", "select count(*) from escalation_timer where incident_id = '" + id + "'"),
                "the next level is due later: the escalation is armed");

        // the push reaches Sato's phone at once, high priority, with an Acknowledge action nobody taps
        FakeNtfy.Publish push = await().atMost(WAIT).until(() -> toban.ntfy.published().stream()
                .filter(p -> (p.message() + " " + p.title()).contains(summary)).findFirst().orElse(null),
                found -> found != null);
        assertEquals("5", push.priority());
        assertFalse(push.actions().isEmpty(), "the push has an Acknowledge action: " + push.headers());
        assertTrue(toban.twilio.callsTo(SATO_PHONE).isEmpty(), "no call before its two minutes");

        // two minutes on: the text and the call are due (moved along in notify's log, not slept for)
        Database.update("notify", "update delivery set due_at = now() where incident_id = ?::uuid and channel in ('sms', 'voice')"
                + " and state = 'pending'", id);
        FakeTwilio.Call call = await().atMost(WAIT).until(() -> toban.twilio.callsTo(SATO_PHONE).stream().findFirst()
                .orElse(null), found -> found != null);
        FakeTwilio.Answer pressed = toban.twilio.press(call, "1");
        assertEquals(200, pressed.status(), pressed.body());

        await().atMost(WAIT).until(() -> "acknowledged".equals(incident(id).getString("state")));
        JsonPath lines = Api.as(KeycloakTokens.YAMADA, toban.incident).get("/api/incidents/" + id + "/timeline")
                .then().statusCode(200).extract().jsonPath();
        assertEquals(KeycloakTokens.SATO, lines.getString("find { it.kind == 'acknowledged' }.actor.username"),
                "the keypress is Sato's acknowledgement");
        assertEquals(0, Database.count("incident", "select count(*) from escalation_timer where incident_id = '" + id + "'"),
                "acknowledged: the escalation to the next level is disarmed");
        assertFalse(timeline(id).contains("escalated"), "nothing escalated");
    }
}

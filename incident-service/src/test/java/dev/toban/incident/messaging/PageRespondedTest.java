package dev.toban.incident.messaging;

import static dev.toban.incident.support.TestStack.ADMIN;
import static dev.toban.incident.support.TestStack.SATO;
import static dev.toban.incident.support.TestStack.SUZUKI;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.toban.incident.support.TestStack;
import dev.toban.plumbing.testing.KeycloakTokens;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.security.TestSecurity;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A paged person's answer from any channel, as notify-service reports it ({@code toban.notify.page.responded}):
 * acknowledge acknowledges as the person (the channel in the timeline), escalate pages the next level now as the
 * person; an answer the incident moved past changes nothing, and data that cannot be acted on is dead-lettered.
 */
@QuarkusTest
class PageRespondedTest {

    static String key;

    @BeforeEach
    void setUp() {
        if (key != null) {
            return;
        }
        TestStack.directory();
        UUID policy = UUID.randomUUID();
        // oncall-service is down in tests: its last answers make sato and suzuki level 1, admin level 2
        TestStack.cacheTargets(policy, 1, 2, 0, 15, SATO, SUZUKI);
        TestStack.cacheTargets(policy, 2, 2, 0, 15, ADMIN);
        key = TestStack.service("Paged answers", policy)[1];
    }

    static UUID open() {
        String dedup = "answer-" + UUID.randomUUID();
        TestStack.enqueue(TestStack.trigger(key, dedup, "Checkout fails", "critical")).then().statusCode(202);
        UUID id = TestStack.incidentFor(dedup);
        TestStack.awaitEvent("toban.incident.triggered", id);
        return id;
    }

    static String responded(UUID eventId, UUID incident, String person, String action, String channel) {
        return """
                {"specversion":"1.0","id":"%s","source":"/toban/notify-service","type":"toban.notify.page.responded",
                 "subject":"%s","datacontenttype":"application/json",
                 "data":{"incidentId":%s,"deliveryId":"%s","person":%s,"action":%s,"channel":"%s",
                         "at":"2026-11-25T01:54:11Z"}}"""
                .formatted(eventId, incident, incident == null ? "null" : "\"" + incident + "\"", UUID.randomUUID(),
                        person, action == null ? "null" : "\"" + action + "\"", channel);
    }

    static void publish(String body) {
        TestStack.broker().publish("toban.notify", "toban.notify.page.responded", body);
    }

    static String state(UUID id) {
        return (String) TestStack.single("select state from incident where id = ?", id);
    }

    @Test
    @TestSecurity(user = "yamada", roles = "viewer")
    void anAcknowledgementBySmsAcknowledgesAsThePersonOnce() {
        UUID id = open();
        publish(responded(UUID.randomUUID(), id, TestStack.personRef(SUZUKI), "acknowledge", "sms"));
        await().atMost(Duration.ofSeconds(15)).until(() -> "acknowledged".equals(state(id)));
        JsonNode ack = TestStack.awaitEvent("toban.incident.acknowledged", id);
        assertEquals("suzuki", ack.at("/data/actor/username").asText(), "acknowledged as the person");
        assertEquals(SUZUKI.toString(), ack.at("/data/actor/personId").asText());
        assertEquals(1, TestStack.count("select count(*) from timeline_entry where incident_id = ? and kind = 'acknowledged'"
                + " and actor ->> 'username' = 'suzuki' and data ->> 'via' = 'sms'", id));

        // a second answer (another person by push, or the same event redelivered): the incident is acknowledged already
        UUID again = UUID.randomUUID();
        publish(responded(again, id, TestStack.personRef(SATO), "acknowledge", "push"));
        publish(responded(again, id, TestStack.personRef(SATO), "acknowledge", "push"));
        await().atMost(Duration.ofSeconds(15)).until(() -> TestStack.count(
                "select count(*) from inbox_event where consumer = 'incident-service.notify-events' and event_id = ?",
                again.toString()) == 1);
        await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(3)).until(() ->
                TestStack.events("toban.incident.acknowledged", id).size() == 1);
        assertEquals(1, TestStack.count("select count(*) from timeline_entry where incident_id = ? and kind = 'acknowledged'", id));
        for (String dead = TestStack.broker().take("incident-service.notify-events.dlq"); dead != null;
             dead = TestStack.broker().take("incident-service.notify-events.dlq")) {
            assertTrue(!dead.contains(again.toString()), "no dead letter: " + dead);
        }

        // the console writes the channel in the reader's language
        String ja = given().header("Accept-Language", "ja").get("/ui/incidents/" + id + "/live").then().statusCode(200)
                .extract().asString();
        assertTrue(ja.contains("<strong>Ichiro Suzuki</strong>: SMS でインシデントを確認しました"), ja);
        String en = given().header("Accept-Language", "en").get("/ui/incidents/" + id + "/live").then().statusCode(200)
                .extract().asString();
        assertTrue(en.contains("<strong>Ichiro Suzuki</strong>: acknowledged the incident via SMS"), en);
    }

    @Test
    @TestSecurity(user = "yamada", roles = "viewer")
    void anEscalationByVoicePagesTheNextLevelAsThePerson() {
        UUID id = open();
        assertEquals(1, ((Number) TestStack.single("select page_level from incident where id = ?", id)).intValue());
        publish(responded(UUID.randomUUID(), id, TestStack.personRef(SATO), "escalate", "voice"));
        await().atMost(Duration.ofSeconds(15)).until(() -> TestStack.events("toban.incident.escalated", id).stream()
                .anyMatch(e -> "escalate".equals(e.at("/data/reason").asText())));
        JsonNode escalated = TestStack.events("toban.incident.escalated", id).stream()
                .filter(e -> "escalate".equals(e.at("/data/reason").asText())).findFirst().orElseThrow();
        assertEquals(2, escalated.at("/data/level").asInt());
        assertEquals(ADMIN.toString(), escalated.at("/data/targets/0/id").asText());
        assertEquals("sato", escalated.at("/data/actor/username").asText());
        assertEquals(2, ((Number) TestStack.single("select page_level from incident where id = ?", id)).intValue());
        assertEquals("triggered", state(id), "escalating is no acknowledgement");
        String en = given().header("Accept-Language", "en").get("/ui/incidents/" + id + "/live").then().statusCode(200)
                .extract().asString();
        assertTrue(en.contains("<strong>Hanako Sato</strong>: escalated now via a phone call: paging level 2"), en);

        // resolved meanwhile: an escalation is moot, no error
        given().auth().oauth2(KeycloakTokens.of(KeycloakTokens.SATO)).contentType("application/json").body("{}")
                .post("/api/incidents/" + id + "/resolve").then().statusCode(200);
        UUID late = UUID.randomUUID();
        publish(responded(late, id, TestStack.personRef(SUZUKI), "escalate", "sms"));
        await().atMost(Duration.ofSeconds(15)).until(() -> TestStack.count(
                "select count(*) from inbox_event where consumer = 'incident-service.notify-events' and event_id = ?",
                late.toString()) == 1);
        assertEquals(1, TestStack.count("select count(*) from timeline_entry where incident_id = ? and kind = 'escalated'"
                + " and data ->> 'reason' = 'escalate'", id));
    }

    @Test
    void anAnswerThatCannotBeActedOnIsDeadLettered() {
        UUID id = open();
        UUID unknownAction = UUID.randomUUID();
        UUID noIncident = UUID.randomUUID();
        publish(responded(unknownAction, id, TestStack.personRef(SATO), "snooze", "sms"));
        publish(responded(noIncident, null, TestStack.personRef(SATO), "acknowledge", "sms"));
        List<String> dead = new java.util.ArrayList<>();
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            String d = TestStack.broker().take("incident-service.notify-events.dlq");
            if (d != null) {
                dead.add(d);
            }
            return dead.stream().anyMatch(s -> s.contains(unknownAction.toString()))
                    && dead.stream().anyMatch(s -> s.contains(noIncident.toString()));
        });
        assertEquals("triggered", state(id));
    }
}

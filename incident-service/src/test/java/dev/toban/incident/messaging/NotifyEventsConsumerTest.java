package dev.toban.incident.messaging;

import static dev.toban.incident.support.TestStack.as;
import static dev.toban.incident.support.TestStack.enqueue;
import static dev.toban.incident.support.TestStack.trigger;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;

import dev.toban.incident.support.TestStack;
import dev.toban.plumbing.testing.KeycloakTokens;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** notify-service reports the incident's Slack thread, by event or by API call. */
@QuarkusTest
class NotifyEventsConsumerTest {

    static UUID incident() {
        String key = TestStack.service("Slack thread", UUID.randomUUID())[1];
        String dedup = "thread-" + UUID.randomUUID();
        enqueue(trigger(key, dedup, "Thread", "warning")).then().statusCode(202);
        return TestStack.incidentFor(dedup);
    }

    @Test
    void theSlackThreadEventIsStoredOnTheIncident() {
        UUID id = incident();
        TestStack.awaitEvent("toban.incident.triggered", id); // the IC job has finished with the incident
        int versionBefore = as(KeycloakTokens.YAMADA).get("/api/incidents/" + id).then().extract().path("version");
        TestStack.broker().publish("toban.notify", "toban.notify.slack_thread.created", """
                {"specversion":"1.0","id":"%s","source":"/toban/notify-service","type":"toban.notify.slack_thread.created",
                 "subject":"%s","datacontenttype":"application/json",
                 "data":{"incidentId":"%s","channel":"C024BE91L","ts":"1732529730.000100",
                         "permalink":"https://toban.slack.com/archives/C024BE91L/p1732529730000100"}}"""
                .formatted(UUID.randomUUID(), id, id));
        TestStack.awaitJson(KeycloakTokens.YAMADA, "/api/incidents/" + id, j -> j.get("slackThread") != null);
        as(KeycloakTokens.YAMADA).get("/api/incidents/" + id).then()
                .body("slackThread.channel", equalTo("C024BE91L"))
                .body("slackThread.ts", equalTo("1732529730.000100"))
                // no event says so, so the version notify-service orders thread replies by stays put
                .body("version", equalTo(versionBefore));
        // later events carry it in their snapshot
        as(KeycloakTokens.SATO).body("{\"message\":\"looking\"}").post("/api/incidents/" + id + "/status-updates")
                .then().statusCode(200);
        org.junit.jupiter.api.Assertions.assertEquals("1732529730.000100", TestStack.awaitEvent(
                "toban.incident.status_updated", id).at("/data/incident/slackThread/ts").asText());
    }

    @Test
    @io.quarkus.test.security.TestSecurity(user = "yamada", roles = "viewer")
    void theTimelineNamesTheChannelItWasPostedToNotTheIdSlackAnswered() {
        UUID id = incident();
        TestStack.awaitEvent("toban.incident.triggered", id);
        TestStack.broker().publish("toban.notify", "toban.notify.slack_thread.created", """
                {"specversion":"1.0","id":"%s","source":"/toban/notify-service","type":"toban.notify.slack_thread.created",
                 "subject":"%s","datacontenttype":"application/json",
                 "data":{"incidentId":"%s","channel":"C024BE91M","channelName":"#svc-thread","ts":"1732529731.000100",
                         "permalink":null}}"""
                .formatted(UUID.randomUUID(), id, id));
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(15)).until(() -> TestStack.count(
                "select count(*) from timeline_entry where incident_id = ? and kind = 'slack_thread'", id) == 1);
        String ja = given().header("Accept-Language", "ja").get("/ui/incidents/" + id + "/live").then().statusCode(200)
                .extract().asString();
        org.junit.jupiter.api.Assertions.assertTrue(ja.contains("Slack のスレッドを #svc-thread に作りました")
                && !ja.contains("C024BE91M"), ja);
    }

    @Test
    void theServiceAccountMayRecordTheThreadByApiAndOthersMayNot() {
        UUID id = incident();
        String body = "{\"channel\":\"C0NEWS\",\"ts\":\"1732529999.000200\"}";
        given().auth().oauth2(KeycloakTokens.service()).contentType(ContentType.JSON).body(body)
                .put("/api/incidents/" + id + "/slack-thread").then().statusCode(200)
                .body("slackThread.channel", equalTo("C0NEWS"));
        as(KeycloakTokens.SATO).body(body).put("/api/incidents/" + id + "/slack-thread").then().statusCode(403);
        given().auth().oauth2(KeycloakTokens.service()).contentType(ContentType.JSON).body("{\"channel\":\"C0NEWS\"}")
                .put("/api/incidents/" + id + "/slack-thread").then().statusCode(400)
                .body("errors[0].field", equalTo("ts"));
        // the service account reads incidents too (postmortem-service does)
        given().auth().oauth2(KeycloakTokens.service()).get("/api/incidents/" + id + "/timeline").then().statusCode(200)
                .body("kind", org.hamcrest.Matchers.hasItem("slack_thread"));
    }

    static String delivery(UUID eventId, UUID incident, String type, String person, String channel, String purpose,
                           String outcome, String at, String detail) {
        return """
                {"specversion":"1.0","id":"%s","source":"/toban/notify-service","type":"%s",
                 "subject":"%s","datacontenttype":"application/json",
                 "data":{"deliveryId":"%s","incidentId":"%s","person":%s,"channel":"%s","purpose":"%s",
                         "outcome":"%s","at":"%s","detail":%s}}"""
                .formatted(eventId, type, UUID.randomUUID(), UUID.randomUUID(), incident, person, channel, purpose,
                        outcome, at, detail == null ? "null" : "\"" + detail + "\"");
    }

    @Test
    @io.quarkus.test.security.TestSecurity(user = "yamada", roles = "viewer")
    void eachDeliveryOutcomeIsATimelineLineOnceAttributedToThePersonInThePagesLanguage() {
        TestStack.directory();
        UUID id = incident();
        TestStack.awaitEvent("toban.incident.triggered", id);
        UUID sent = UUID.randomUUID();
        String sato = TestStack.personRef(TestStack.SATO);
        String event = delivery(sent, id, "toban.notify.delivery.sent", sato, "slack", "dm", "delivered",
                "2026-11-25T01:53:02Z", null);
        // a thread post that went out (no person): the thread shows it, no timeline line; sent first, so it is
        // consumed before the lines awaited below
        TestStack.broker().publish("toban.notify", "toban.notify.delivery.sent", delivery(UUID.randomUUID(), id,
                "toban.notify.delivery.sent", "null", "slack", "thread", "delivered", "2026-11-25T01:53:01Z", null));
        TestStack.broker().publish("toban.notify", "toban.notify.delivery.sent", event);
        TestStack.broker().publish("toban.notify", "toban.notify.delivery.sent", event); // redelivered: one line
        TestStack.broker().publish("toban.notify", "toban.notify.delivery.failed", delivery(UUID.randomUUID(), id,
                "toban.notify.delivery.failed", sato, "email", "page", "failed", "2026-11-25T01:58:00Z",
                "550 mailbox unavailable"));
        TestStack.broker().publish("toban.notify", "toban.notify.delivery.sent", delivery(UUID.randomUUID(), id,
                "toban.notify.delivery.sent", sato, "push", "page", "delivered", "2026-11-25T01:53:03Z", null));
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(15)).until(() -> TestStack.count(
                "select count(*) from timeline_entry where incident_id = ? and kind = 'delivery'", id) == 3);
        org.junit.jupiter.api.Assertions.assertEquals(java.time.OffsetDateTime.parse("2026-11-25T01:53:02Z").toInstant(),
                ((java.time.OffsetDateTime) TestStack.single("select at from timeline_entry where incident_id = ?"
                        + " and kind = 'delivery' and data ->> 'outcome' = 'delivered' and data ->> 'channel' = 'slack'"
                        + " and data -> 'person' ->> 'id' = ?",
                        id, TestStack.SATO.toString())).toInstant(), "at the time it happened");
        as(KeycloakTokens.YAMADA).get("/api/incidents/" + id + "/timeline").then().statusCode(200)
                .body("findAll { it.kind == 'delivery' }.data.channel", org.hamcrest.Matchers.hasItems("slack", "email", "push"));
        // the console writes them in the reader's language and zone (yamada: Asia/Tokyo)
        String ja = given().header("Accept-Language", "ja").get("/ui/incidents/" + id + "/live").then().statusCode(200)
                .extract().asString();
        org.junit.jupiter.api.Assertions.assertTrue(ja.contains("<strong>Hanako Sato</strong>: Slack の DM 送信済み 10:53:02")
                && ja.contains("<strong>Hanako Sato</strong>: メール 送信失敗 10:58:00: 550 mailbox unavailable")
                && ja.contains("<strong>Hanako Sato</strong>: プッシュ通知 送信済み 10:53:03")
                && !ja.contains("Slack のスレッド 送信済み"), ja);
        String en = given().header("Accept-Language", "en").get("/ui/incidents/" + id + "/live").then().statusCode(200)
                .extract().asString();
        org.junit.jupiter.api.Assertions.assertTrue(en.contains("<strong>Hanako Sato</strong>: Slack DM delivered 10:53:02")
                && en.contains("<strong>Hanako Sato</strong>: Push notification delivered 10:53:03"), en);
    }

    @Test
    void aDeliveryEventWithoutAnOutcomeIsDeadLetteredAndOneOfAnUnknownIncidentIgnored() {
        UUID id = incident();
        TestStack.broker().publish("toban.notify", "toban.notify.delivery.sent", delivery(UUID.randomUUID(),
                UUID.randomUUID(), "toban.notify.delivery.sent", "null", "slack", "dm", "delivered",
                "2026-11-25T01:53:02Z", null));
        UUID poison = UUID.randomUUID();
        TestStack.broker().publish("toban.notify", "toban.notify.delivery.failed", delivery(poison, id,
                "toban.notify.delivery.failed", "null", "slack", "dm", "exploded", "2026-11-25T01:53:02Z", null));
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(30)).until(() -> {
            String dead = TestStack.broker().take("incident-service.notify-events.dlq");
            return dead != null && dead.contains(poison.toString());
        });
        org.junit.jupiter.api.Assertions.assertEquals(0L, TestStack.count(
                "select count(*) from timeline_entry where incident_id = ? and kind = 'delivery'", id));
    }
}

package dev.toban.incident.messaging;

import static dev.toban.incident.support.TestStack.enqueue;
import static dev.toban.incident.support.TestStack.trigger;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.toban.incident.support.TestStack;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** postmortem-service's decision (hold or skip) is kept on the incident and written into its timeline. */
@QuarkusTest
class PostmortemEventsConsumerTest {

    static UUID incident() {
        String key = TestStack.service("Postmortem decision", UUID.randomUUID())[1];
        String dedup = "pm-" + UUID.randomUUID();
        enqueue(trigger(key, dedup, "Postmortem", "error")).then().statusCode(202);
        UUID id = TestStack.incidentFor(dedup);
        TestStack.awaitEvent("toban.incident.triggered", id);
        return id;
    }

    static String event(String type, UUID postmortem, UUID incident, String state, String decision, long version,
                        String extra) {
        return """
                {"specversion":"1.0","id":"%s","source":"/toban/postmortem-service","type":"%s","subject":"%s",
                 "datacontenttype":"application/json",
                 "data":{"postmortem":{"id":"%s","incidentId":"%s","incidentNumber":42,"state":"%s","decision":%s,
                                       "decidedAt":%s,"required":true,"version":%d},
                         "actor":{"username":"sato","personId":"%s","name":"Hanako Sato"}%s}}"""
                .formatted(UUID.randomUUID(), type, postmortem, postmortem, incident, state,
                        decision == null ? "null" : "\"" + decision + "\"",
                        decision == null ? "null" : "\"2026-11-26T01:00:00Z\"", version, TestStack.SATO, extra);
    }

    static void publish(String type, String body) {
        TestStack.broker().publish("toban.postmortem", type, body);
    }

    static String decision(UUID incident) {
        return (String) TestStack.single("select postmortem_decision from incident where id = ?", incident);
    }

    @Test
    @io.quarkus.test.security.TestSecurity(user = "yamada", roles = "viewer")
    void theDecisionIsRecordedOnTheIncidentAndInItsTimelineAndAnOlderSnapshotChangesNothing() {
        UUID id = incident();
        UUID postmortem = UUID.randomUUID();
        long versionBefore = TestStack.count("select version from incident where id = ?", id);
        publish("toban.postmortem.opened", event("toban.postmortem.opened", postmortem, id, "pending_decision", null, 0, ""));
        publish("toban.postmortem.decided", event("toban.postmortem.decided", postmortem, id, "scheduled", "hold", 2,
                ",\"decision\":\"hold\",\"reason\":\"SEV2, customers noticed\""));
        await().atMost(Duration.ofSeconds(15)).until(() -> "hold".equals(decision(id)));
        assertEquals(postmortem, TestStack.single("select postmortem_id from incident where id = ?", id));
        assertEquals(1L, TestStack.count(
                "select count(*) from timeline_entry where incident_id = ? and kind = 'postmortem_decided'", id));
        // bookkeeping of another service: no incident event, so the incident's version stays
        assertEquals(versionBefore, TestStack.count("select version from incident where id = ?", id));
        // the IC's last duty is ticked on the console, and the timeline says who decided, in the page's language
        String ja = io.restassured.RestAssured.given().header("Accept-Language", "ja").get("/ui/incidents/" + id + "/live")
                .then().statusCode(200).extract().asString();
        org.junit.jupiter.api.Assertions.assertTrue(ja.contains("class=\"done\" data-duty=\"postmortem\"")
                && ja.contains("<strong>Hanako Sato</strong>: ポストモーテムを開くと決めました: SEV2, customers noticed")
                && ja.contains("/ui/postmortems/" + postmortem), ja);

        // an older snapshot arriving late (version 1, undecided) changes nothing: once an event published after it
        // (about another incident) is applied, the decision is still there
        publish("toban.postmortem.opened", event("toban.postmortem.opened", postmortem, id, "pending_decision", null, 1, ""));
        UUID other = incident();
        publish("toban.postmortem.decided", event("toban.postmortem.decided", UUID.randomUUID(), other, "skipped", "skip",
                1, ",\"decision\":\"skip\",\"reason\":null"));
        await().atMost(Duration.ofSeconds(15)).until(() -> "skip".equals(decision(other)));
        assertEquals("hold", decision(id));
        // a meeting cancelled (version 3): the decision is open again, the timeline says so
        publish("toban.postmortem.cancelled", event("toban.postmortem.cancelled", postmortem, id, "pending_decision", null,
                3, ",\"reason\":\"moved\""));
        await().atMost(Duration.ofSeconds(15)).until(() -> TestStack.count(
                "select count(*) from timeline_entry where incident_id = ? and kind = 'postmortem_undecided'", id) == 1);
        assertNull(decision(id));
        publish("toban.postmortem.decided", event("toban.postmortem.decided", postmortem, id, "skipped", "skip", 4,
                ",\"decision\":\"skip\",\"reason\":\"a duplicate of #41\""));
        publish("toban.postmortem.skipped", event("toban.postmortem.skipped", postmortem, id, "skipped", "skip", 5,
                ",\"reason\":\"a duplicate of #41\""));
        await().atMost(Duration.ofSeconds(15)).until(() -> "skip".equals(decision(id))
                && TestStack.count("select postmortem_version from incident where id = ?", id) == 5);
        assertEquals(2L, TestStack.count(
                "select count(*) from timeline_entry where incident_id = ? and kind = 'postmortem_decided'", id));
    }
}

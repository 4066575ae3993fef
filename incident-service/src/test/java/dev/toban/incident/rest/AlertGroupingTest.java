package dev.toban.incident.rest;

import static dev.toban.incident.support.TestStack.as;
import static dev.toban.incident.support.TestStack.count;
import static dev.toban.incident.support.TestStack.enqueue;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.toban.incident.support.TestStack;
import dev.toban.plumbing.testing.KeycloakTokens;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * Alert grouping (issue 19): per service off / time / content rules, for Events API v2 and Alertmanager; grouped
 * alerts open no incident, thread or page of their own, keep PagerDuty's dedup semantics, are rolled up in the
 * thread at most once per interval (3 s in tests), tell the IC when all have resolved, and can be split off.
 */
@QuarkusTest
class AlertGroupingTest {

    /** A service of its own with an Events API v2 key and the given rule; returns {serviceId, key}. */
    static String[] service(String name, String ruleJson) {
        String[] s = TestStack.service(name, UUID.randomUUID());
        as(KeycloakTokens.ADMIN).body(ruleJson).put("/api/services/" + s[0] + "/alert-grouping").then().statusCode(200);
        return s;
    }

    static String trigger(String key, String dedup, String summary, String cluster, String alertClass) {
        return """
                {"routing_key":"%s","event_action":"trigger","dedup_key":"%s",
                 "payload":{"summary":"%s","source":"api-1","severity":"error","class":"%s",
                            "custom_details":{"cluster":"%s"}}}""".formatted(key, dedup, summary, alertClass, cluster);
    }

    static long incidentsOf(String serviceId) {
        return count("select count(*) from incident where service_id = ?", UUID.fromString(serviceId));
    }

    @Test
    void contentRuleGroupsAlertsByTheirKeyWithDedupSemanticsInsideAndRollsThemUpAtMostOncePerInterval() {
        String[] s = service("Grouping content", """
                {"rule":"content","template":"{{payload.custom_details.cluster}}/{{payload.class}}"}""");
        String run = UUID.randomUUID().toString();
        enqueue(trigger(s[1], "a-" + run, "db-1 down", "tokyo", "db")).then().statusCode(202);
        UUID incident = TestStack.incidentFor("a-" + run);
        for (int i = 2; i <= 4; i++) {
            enqueue(trigger(s[1], "a" + i + "-" + run, "db-" + i + " down", "tokyo", "db")).then().statusCode(202);
        }
        // another cluster is another problem
        enqueue(trigger(s[1], "o-" + run, "db-9 down", "osaka", "db")).then().statusCode(202);
        UUID other = TestStack.incidentFor("o-" + run);
        assertNotEquals(incident, other);
        assertEquals(2, incidentsOf(s[0]), "one incident per group key");
        assertEquals(4, count("select count(*) from alert where incident_id = ?", incident));
        assertEquals(3, count("select count(*) from alert where incident_id = ? and grouped", incident));
        // no line, no page, no thread per grouped alert: the incident's only events so far are its own
        assertEquals(0, count("select count(*) from timeline_entry where incident_id = ? and kind = 'alert_added'", incident));
        TestStack.awaitEvent("toban.incident.triggered", incident);
        assertEquals(1, TestStack.events("toban.incident.triggered", incident).size());

        // PagerDuty semantics inside the group: the same dedup key is the same alert
        enqueue(trigger(s[1], "a2-" + run, "db-2 down", "tokyo", "db")).then().statusCode(202);
        await().atMost(Duration.ofSeconds(5)).until(() ->
                count("select event_count from alert where dedup_key = ?", "a2-" + run) == 2);
        assertEquals(4, count("select count(*) from alert where incident_id = ?", incident));

        // one roll-up for the three grouped alerts, with their summaries
        JsonNode first = TestStack.awaitEvent("toban.incident.alerts_grouped", incident);
        assertEquals(3, first.at("/data/alerts/added").asInt());
        assertEquals(4, first.at("/data/alerts/total").asInt());
        assertEquals("db-2 down", first.at("/data/alerts/summaries/0").asText());
        assertEquals(1, count("select count(*) from timeline_entry where incident_id = ? and kind = 'alerts_grouped'",
                incident));

        // two more: the next roll-up comes no sooner than the interval after the first
        enqueue(trigger(s[1], "a5-" + run, "db-5 down", "tokyo", "db")).then().statusCode(202);
        enqueue(trigger(s[1], "a6-" + run, "db-6 down", "tokyo", "db")).then().statusCode(202);
        await().atMost(Duration.ofSeconds(15)).until(() ->
                TestStack.events("toban.incident.alerts_grouped", incident).size() == 2);
        JsonNode second = TestStack.events("toban.incident.alerts_grouped", incident).get(1);
        assertEquals(2, second.at("/data/alerts/added").asInt());
        Duration between = Duration.between(Instant.parse(first.path("time").asText()),
                Instant.parse(second.path("time").asText()));
        assertTrue(between.compareTo(Duration.ofSeconds(3)) >= 0, "roll-ups " + between + " apart");

        // a resolve of a grouped dedup key resolves that alert only
        enqueue(TestStack.action(s[1], "a3-" + run, "resolve")).then().statusCode(202);
        as(KeycloakTokens.YAMADA).get("/api/incidents/" + incident).then().statusCode(200)
                .body("state", equalTo("triggered"))
                .body("alerts.find { it.dedupKey == 'a3-" + run + "' }.status", equalTo("resolved"))
                .body("alerts.find { it.dedupKey == 'a4-" + run + "' }.status", equalTo("triggered"))
                .body("alerts.find { it.dedupKey == 'a4-" + run + "' }.grouped", equalTo(true));

        // all resolved by their sources: the IC is told, the incident stays open (the service did not say otherwise)
        for (String d : List.of("a-", "a2-", "a4-", "a5-", "a6-")) {
            enqueue(TestStack.action(s[1], d + run, "resolve")).then().statusCode(202);
        }
        JsonNode told = TestStack.awaitEvent("toban.incident.alerts_resolved", incident);
        assertEquals(6, told.at("/data/alerts/total").asInt());
        assertEquals("triggered", TestStack.single("select state from incident where id = ?", incident));
        assertEquals(1, count("select count(*) from timeline_entry where incident_id = ? and kind = 'alerts_resolved'",
                incident));
        // the key is free again once the incident is no longer open
        as(KeycloakTokens.SATO).body("{}").post("/api/incidents/" + incident + "/resolve").then().statusCode(200);
        enqueue(trigger(s[1], "b-" + run, "db-1 down again", "tokyo", "db")).then().statusCode(202);
        assertNotEquals(incident, TestStack.incidentFor("b-" + run));
    }

    @Test
    void withAutoResolveTheIncidentResolvesWhenEveryGroupedAlertHasResolved() {
        String[] s = service("Grouping auto", """
                {"rule":"content","template":"{{payload.class}}","autoResolve":true}""");
        String run = UUID.randomUUID().toString();
        enqueue(trigger(s[1], "x-" + run, "one", "c", "web")).then().statusCode(202);
        enqueue(trigger(s[1], "y-" + run, "two", "c", "web")).then().statusCode(202);
        UUID incident = TestStack.incidentFor("x-" + run);
        assertEquals(incident, TestStack.incidentFor("y-" + run));
        enqueue(TestStack.action(s[1], "x-" + run, "resolve")).then().statusCode(202);
        assertEquals("triggered", TestStack.single("select state from incident where id = ?", incident));
        enqueue(TestStack.action(s[1], "y-" + run, "resolve")).then().statusCode(202);
        assertEquals("resolved", TestStack.single("select state from incident where id = ?", incident));
        assertTrue(TestStack.events("toban.incident.alerts_resolved", incident).isEmpty());
    }

    @Test
    void resolvingTheIncidentResolvesItsGroupedAlerts() {
        String[] s = service("Grouping resolve", """
                {"rule":"content","template":"{{payload.class}}"}""");
        String run = UUID.randomUUID().toString();
        for (int i = 0; i < 3; i++) {
            enqueue(trigger(s[1], "r" + i + "-" + run, "r" + i, "c", "cache")).then().statusCode(202);
        }
        UUID incident = TestStack.incidentFor("r0-" + run);
        assertEquals(3, count("select count(*) from alert where incident_id = ?", incident));
        as(KeycloakTokens.SATO).body("{\"note\":\"restarted the cache\"}").post("/api/incidents/" + incident + "/resolve")
                .then().statusCode(200);
        assertEquals(0, count("select count(*) from alert where incident_id = ? and status <> 'resolved'", incident));
    }

    @Test
    void timeRuleGroupsWithinTheWindowOfTheFirstAlertThenOpensTheNextIncident() {
        String[] s = service("Grouping time", "{\"rule\":\"time\",\"windowMinutes\":10}");
        String run = UUID.randomUUID().toString();
        enqueue(trigger(s[1], "t1-" + run, "first", "a", "x")).then().statusCode(202);
        enqueue(trigger(s[1], "t2-" + run, "second, unrelated", "b", "y")).then().statusCode(202);
        UUID incident = TestStack.incidentFor("t1-" + run);
        assertEquals(incident, TestStack.incidentFor("t2-" + run));
        assertEquals(1, incidentsOf(s[0]));
        // the window passes (the incident was opened 11 minutes ago)
        TestStack.update("update incident set created_at = created_at - interval '11 minutes' where id = ?", incident);
        enqueue(trigger(s[1], "t3-" + run, "third", "a", "x")).then().statusCode(202);
        UUID next = TestStack.incidentFor("t3-" + run);
        assertNotEquals(incident, next);
        assertNull(TestStack.single("select group_key from incident where id = ?", incident), "the old one takes no more");
        enqueue(trigger(s[1], "t4-" + run, "fourth", "a", "x")).then().statusCode(202);
        assertEquals(next, TestStack.incidentFor("t4-" + run));
        assertEquals(2, incidentsOf(s[0]));
    }

    @Test
    void reopeningAnIncidentWhoseGroupKeyAnotherOpenIncidentTookLeavesTheKeyWithThatOne() {
        String[] s = service("Grouping reopen", "{\"rule\":\"content\",\"template\":\"{{payload.class}}\"}");
        String run = UUID.randomUUID().toString();
        enqueue(trigger(s[1], "ra-" + run, "first", "c", "queue")).then().statusCode(202);
        UUID first = TestStack.incidentFor("ra-" + run);
        as(KeycloakTokens.SATO).body("{}").post("/api/incidents/" + first + "/resolve").then().statusCode(200);
        enqueue(trigger(s[1], "rb-" + run, "second", "c", "queue")).then().statusCode(202);
        UUID second = TestStack.incidentFor("rb-" + run);
        assertNotEquals(first, second);
        as(KeycloakTokens.SATO).body("{\"reason\":\"not fixed after all\"}").post("/api/incidents/" + first + "/reopen")
                .then().statusCode(200).body("state", equalTo("acknowledged"));
        assertNull(TestStack.single("select group_key from incident where id = ?", first));
        enqueue(trigger(s[1], "rc-" + run, "third", "c", "queue")).then().statusCode(202);
        assertEquals(second, TestStack.incidentFor("rc-" + run), "the open incident with the key takes the alert");
    }

    @Test
    void offOpensAnIncidentPerDedupKeyAsBefore() {
        String[] s = TestStack.service("Grouping off", UUID.randomUUID());
        as(KeycloakTokens.YAMADA).get("/api/services/" + s[0] + "/alert-grouping").then().statusCode(200)
                .body("rule", equalTo("off")).body("autoResolve", equalTo(false));
        String run = UUID.randomUUID().toString();
        enqueue(trigger(s[1], "f1-" + run, "one", "c", "k")).then().statusCode(202);
        enqueue(trigger(s[1], "f2-" + run, "two", "c", "k")).then().statusCode(202);
        assertNotEquals(TestStack.incidentFor("f1-" + run), TestStack.incidentFor("f2-" + run));
        // an alert's own resolve still resolves its incident
        enqueue(TestStack.action(s[1], "f1-" + run, "resolve")).then().statusCode(202);
        assertEquals("resolved", TestStack.single("select state from incident where id = ?", TestStack.incidentFor("f1-" + run)));
    }

    @Test
    void concurrentFirstAlertsOfOneGroupOpenExactlyOneIncident() throws Exception {
        String[] s = service("Grouping race", "{\"rule\":\"content\",\"template\":\"{{payload.class}}\"}");
        String run = UUID.randomUUID().toString();
        int senders = 16;
        CyclicBarrier start = new CyclicBarrier(senders);
        ExecutorService pool = Executors.newFixedThreadPool(senders);
        try {
            List<Future<Integer>> results = new ArrayList<>();
            for (int i = 0; i < senders; i++) {
                String dedup = "race" + i + "-" + run;
                results.add(pool.submit(() -> {
                    start.await();
                    return enqueue(trigger(s[1], dedup, "storm " + dedup, "c", "storm")).statusCode();
                }));
            }
            for (Future<Integer> result : results) {
                assertEquals(202, result.get());
            }
        } finally {
            pool.shutdownNow();
        }
        assertEquals(1, incidentsOf(s[0]), "one incident for the storm");
        assertEquals(senders, count("select count(*) from alert where service_id = ?", UUID.fromString(s[0])));
        assertEquals(senders - 1, count("select count(*) from alert where service_id = ? and grouped", UUID.fromString(s[0])));
    }

    @Test
    void alertmanagerNotificationsOfOneAlertnameAndClusterJoinOneIncident() {
        String[] s = service("Grouping am", """
                {"rule":"content","template":"{{labels.alertname}}/{{labels.cluster}}"}""");
        String amKey = as(KeycloakTokens.ADMIN).body("{\"name\":\"alertmanager\",\"type\":\"alertmanager\"}")
                .post("/api/services/" + s[0] + "/integration-keys").then().statusCode(201).extract().path("key");
        String run = UUID.randomUUID().toString();
        post(amKey, notification("{}/{node=\"n1\"}-" + run, "firing", alert("firing", "fp1-" + run, "n1", "tokyo")));
        post(amKey, notification("{}/{node=\"n2\"}-" + run, "firing", alert("firing", "fp2-" + run, "n2", "tokyo"),
                alert("firing", "fp3-" + run, "n3", "tokyo")));
        post(amKey, notification("{}/{node=\"n4\"}-" + run, "firing", alert("firing", "fp4-" + run, "n4", "osaka")));
        UUID tokyo = TestStack.incidentFor("fp1-" + run);
        assertEquals(tokyo, TestStack.incidentFor("fp2-" + run));
        assertEquals(tokyo, TestStack.incidentFor("fp3-" + run));
        assertNotEquals(tokyo, TestStack.incidentFor("fp4-" + run));
        assertEquals(2, incidentsOf(s[0]));
        assertEquals(2, count("select count(*) from alert where incident_id = ? and grouped", tokyo));
        // the second group resolves: its alerts are resolved, the incident is still open (fp1 fires)
        post(amKey, notification("{}/{node=\"n2\"}-" + run, "resolved", alert("resolved", "fp2-" + run, "n2", "tokyo"),
                alert("resolved", "fp3-" + run, "n3", "tokyo")));
        assertEquals(2, count("select count(*) from alert where incident_id = ? and status = 'resolved'", tokyo));
        assertEquals("triggered", TestStack.single("select state from incident where id = ?", tokyo));
    }

    static String alert(String status, String fingerprint, String node, String cluster) {
        return """
                {"status":"%s","labels":{"alertname":"NodeDown","cluster":"%s","node":"%s","severity":"critical"},
                 "annotations":{"summary":"%s is down"},"startsAt":"2026-11-25T10:00:00Z",
                 "endsAt":"%s","fingerprint":"%s"}"""
                .formatted(status, cluster, node, node,
                        "resolved".equals(status) ? "2026-11-25T10:30:00Z" : "0001-01-01T00:00:00Z", fingerprint);
    }

    static String notification(String groupKey, String status, String... alerts) {
        return """
                {"version":"4","groupKey":"%s","truncatedAlerts":0,"status":"%s","receiver":"toban",
                 "groupLabels":{"node":"x"},"commonLabels":{"alertname":"NodeDown"},
                 "commonAnnotations":{},"externalURL":"http://alertmanager:9093","alerts":[%s]}"""
                .formatted(groupKey.replace("\"", "\\\""), status, String.join(",", alerts));
    }

    static void post(String key, String body) {
        given().contentType(ContentType.JSON).body(body).post("/integrations/alertmanager/" + key).then().statusCode(200);
    }

    @Test
    void anAlertCanBeSplitOffIntoItsOwnIncidentByAResponder() {
        String[] s = service("Grouping split", "{\"rule\":\"content\",\"template\":\"{{payload.class}}\"}");
        String run = UUID.randomUUID().toString();
        enqueue(trigger(s[1], "p-" + run, "api slow", "c", "api")).then().statusCode(202);
        enqueue(trigger(s[1], "q-" + run, "disk full on db-3", "c", "api")).then().statusCode(202);
        UUID incident = TestStack.incidentFor("p-" + run);
        assertEquals(incident, TestStack.incidentFor("q-" + run));
        UUID primary = TestStack.uuids("select id from alert where dedup_key = ?", "p-" + run).get(0);
        UUID grouped = TestStack.uuids("select id from alert where dedup_key = ?", "q-" + run).get(0);

        as(KeycloakTokens.YAMADA).post("/api/incidents/" + incident + "/alerts/" + grouped + "/split")
                .then().statusCode(403);
        as(KeycloakTokens.SATO).post("/api/incidents/" + incident + "/alerts/" + primary + "/split")
                .then().statusCode(409).body("errors.field", hasItem("alertId"));
        as(KeycloakTokens.SATO).post("/api/incidents/" + incident + "/alerts/" + UUID.randomUUID() + "/split")
                .then().statusCode(404);
        String created = as(KeycloakTokens.SATO).post("/api/incidents/" + incident + "/alerts/" + grouped + "/split")
                .then().statusCode(201).body("title", equalTo("disk full on db-3")).body("state", equalTo("triggered"))
                .extract().path("id");
        UUID split = UUID.fromString(created);
        assertEquals(split, TestStack.incidentFor("q-" + run));
        assertEquals(1, count("select count(*) from alert where incident_id = ?", incident));
        // the new incident is announced (and paged) as any new incident
        TestStack.awaitEvent("toban.incident.triggered", split);
        assertEquals(1, count("select count(*) from timeline_entry where incident_id = ? and kind = 'alert_split'", incident));
        // the alert's dedup key now follows it: a resolve resolves the split incident
        enqueue(TestStack.action(s[1], "q-" + run, "resolve")).then().statusCode(202);
        assertEquals("resolved", TestStack.single("select state from incident where id = ?", split));
        assertEquals("triggered", TestStack.single("select state from incident where id = ?", incident));
    }

    @Test
    void aBadRuleIsRefusedNamingTheFieldAndNothingChanges() {
        String id = TestStack.service("Grouping bad", UUID.randomUUID())[0];
        String path = "/api/services/" + id + "/alert-grouping";
        as(KeycloakTokens.ADMIN).body("{\"rule\":\"content\"}").put(path).then().statusCode(400)
                .body("errors.field", hasItem("template"));
        as(KeycloakTokens.ADMIN).body("{\"rule\":\"content\",\"template\":\"{{payload.nope}}\"}").put(path)
                .then().statusCode(400).body("errors.field", hasItem("template"));
        as(KeycloakTokens.ADMIN).body("{\"rule\":\"content\",\"template\":\"fixed text\"}").put(path)
                .then().statusCode(400).body("errors.field", hasItem("template"));
        as(KeycloakTokens.ADMIN).body("{\"rule\":\"content\",\"template\":\"{{payload.class}}\\u0007\"}").put(path)
                .then().statusCode(400).body("errors.field", hasItem("template"));
        as(KeycloakTokens.ADMIN).body("{\"rule\":\"time\"}").put(path).then().statusCode(400)
                .body("errors.field", hasItem("windowMinutes"));
        as(KeycloakTokens.ADMIN).body("{\"rule\":\"time\",\"windowMinutes\":0}").put(path).then().statusCode(400)
                .body("errors.field", hasItem("windowMinutes"));
        as(KeycloakTokens.ADMIN).body("{\"rule\":\"sometimes\"}").put(path).then().statusCode(400)
                .body("errors.field", hasItem("rule"));
        as(KeycloakTokens.ADMIN).body("{\"rule\":\"time\",\"windowMinutes\":\"ten\"}").put(path).then().statusCode(400);
        as(KeycloakTokens.SATO).body("{\"rule\":\"off\"}").put(path).then().statusCode(403);
        as(KeycloakTokens.ADMIN).get(path).then().statusCode(200).body("rule", equalTo("off"));
        as(KeycloakTokens.ADMIN).put("/api/services/" + UUID.randomUUID() + "/alert-grouping")
                .then().statusCode(400);
        as(KeycloakTokens.ADMIN).body("{\"rule\":\"off\"}").put("/api/services/" + UUID.randomUUID() + "/alert-grouping")
                .then().statusCode(404);
    }
}

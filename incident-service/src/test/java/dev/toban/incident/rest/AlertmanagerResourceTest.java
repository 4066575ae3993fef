package dev.toban.incident.rest;

import static dev.toban.incident.support.TestStack.as;
import static dev.toban.incident.support.TestStack.count;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.toban.incident.support.TestStack;
import dev.toban.plumbing.testing.KeycloakTokens;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Alertmanager webhook v4: one incident per groupKey, alerts by fingerprint, resolved resolves. */
@QuarkusTest
class AlertmanagerResourceTest {

    static String key;
    static String eventsV2Key;

    @BeforeEach
    void setUp() {
        if (key != null) {
            return; // once per class; RestAssured knows the port only inside a test
        }
        String[] service = TestStack.service("Prometheus", UUID.randomUUID());
        eventsV2Key = service[1];
        key = as(KeycloakTokens.ADMIN).body("{\"name\":\"alertmanager\",\"type\":\"alertmanager\"}")
                .post("/api/services/" + service[0] + "/integration-keys").then().statusCode(201)
                .body("endpoint", org.hamcrest.Matchers.containsString("/integrations/alertmanager/"))
                .extract().path("key");
    }

    static String alert(String status, String fingerprint, String name, String startsAt) {
        return """
                {"status":"%s","labels":{"alertname":"%s","severity":"critical","instance":"api-%s:9100","job":"api"},
                 "annotations":{"summary":"%s is failing"},"startsAt":"%s",
                 "endsAt":"%s","generatorURL":"http://prometheus/graph?g0.expr=up","fingerprint":"%s"}"""
                .formatted(status, name, fingerprint, name, startsAt,
                        "resolved".equals(status) ? "2026-11-25T10:30:00Z" : "0001-01-01T00:00:00Z", fingerprint);
    }

    static String notification(String groupKey, String status, String... alerts) {
        return """
                {"version":"4","groupKey":"%s","truncatedAlerts":0,"status":"%s","receiver":"toban",
                 "groupLabels":{"alertname":"ApiDown"},"commonLabels":{"alertname":"ApiDown","severity":"critical"},
                 "commonAnnotations":{},"externalURL":"http://alertmanager:9093","alerts":[%s]}"""
                .formatted(groupKey.replace("\"", "\\\""), status, String.join(",", alerts));
    }

    static io.restassured.response.Response post(String integrationKey, String body) {
        return given().contentType(ContentType.JSON).body(body).post("/integrations/alertmanager/" + integrationKey);
    }

    @Test
    void aGroupIsOneIncidentWithItsAlertsByFingerprintAndResolvesWhenAllAre() {
        String group = "{}:{alertname=\"ApiDown\"}-" + UUID.randomUUID();
        String a = "fa" + UUID.randomUUID().toString().substring(0, 14);
        String b = "fb" + UUID.randomUUID().toString().substring(0, 14);
        String c = "fc" + UUID.randomUUID().toString().substring(0, 14);
        String incident = post(key, notification(group, "firing",
                alert("firing", a, "ApiDown", "2026-11-25T10:05:00Z"),
                alert("firing", b, "ApiDown", "2026-11-25T10:03:00Z")))
                .then().statusCode(200).body("status", equalTo("success")).body("firing", equalTo(2))
                .extract().path("incidentId");
        as(KeycloakTokens.YAMADA).get("/api/incidents/" + incident).then().statusCode(200)
                .body("source", equalTo("alertmanager"))
                .body("severity", equalTo("SEV1"))
                .body("title", equalTo("[ApiDown] ApiDown is failing"))
                .body("problemStartedAt", equalTo("2026-11-25T10:03:00Z"))
                .body("alerts.dedupKey", containsInAnyOrder(a, b))
                .body("alerts[0].labels.job", equalTo("api"));

        // Alertmanager repeats the group with one more alert: same incident
        post(key, notification(group, "firing", alert("firing", a, "ApiDown", "2026-11-25T10:05:00Z"),
                alert("firing", b, "ApiDown", "2026-11-25T10:03:00Z"), alert("firing", c, "ApiDown", "2026-11-25T10:06:00Z")))
                .then().statusCode(200).body("incidentId", equalTo(incident));
        assertEquals(1, count("select count(*) from incident where dedup_key = ?", group));
        as(KeycloakTokens.YAMADA).get("/api/incidents/" + incident).then()
                .body("alerts.dedupKey", containsInAnyOrder(a, b, c));
        as(KeycloakTokens.YAMADA).get("/api/incidents/" + incident + "/timeline").then().body("kind", hasItem("alert_added"));

        // one alert resolves: the incident stays open
        post(key, notification(group, "firing", alert("resolved", a, "ApiDown", "2026-11-25T10:05:00Z"),
                alert("firing", b, "ApiDown", "2026-11-25T10:03:00Z"), alert("firing", c, "ApiDown", "2026-11-25T10:06:00Z")))
                .then().statusCode(200);
        as(KeycloakTokens.YAMADA).get("/api/incidents/" + incident).then()
                .body("state", equalTo("triggered"))
                .body("alerts.find { it.dedupKey == '" + a + "' }.status", equalTo("resolved"));

        // the group resolves: every alert and the incident resolve
        post(key, notification(group, "resolved", alert("resolved", b, "ApiDown", "2026-11-25T10:03:00Z"),
                alert("resolved", c, "ApiDown", "2026-11-25T10:06:00Z"))).then().statusCode(200);
        as(KeycloakTokens.YAMADA).get("/api/incidents/" + incident).then()
                .body("state", equalTo("resolved"))
                .body("alerts.status", org.hamcrest.Matchers.everyItem(equalTo("resolved")));
        TestStack.awaitEvent("toban.incident.resolved", incident);
    }

    @Test
    void badPayloadsAreProblemsNamingTheFieldAndUnknownKeysAre404() {
        long before = count("select count(*) from incident");
        post(key, "{\"version\":\"4\",").then().statusCode(400).contentType("application/problem+json")
                .body("errors[0].field", equalTo("body"));
        post(key, """
                {"version":"3","groupKey":"g","status":"burning","alerts":[{"status":"firing","labels":{"a":1},
                 "startsAt":"not a time"}]}""").then().statusCode(400).contentType("application/problem+json")
                .body("errors.field", hasItem("version"))
                .body("errors.field", hasItem("status"))
                .body("errors.field", hasItem("alerts[0].labels.a"))
                .body("errors.field", hasItem("alerts[0].startsAt"))
                .body("errors.field", hasItem("alerts[0].fingerprint"));
        post(key, notification("g", "firing")).then().statusCode(400).body("errors[0].field", equalTo("alerts"));
        assertEquals(before, count("select count(*) from incident"));

        post("0123456789abcdef0123456789abcdef", notification("g", "firing",
                alert("firing", "f1", "X", "2026-11-25T10:00:00Z"))).then().statusCode(404);
        post(eventsV2Key, notification("g", "firing", alert("firing", "f1", "X", "2026-11-25T10:00:00Z")))
                .then().statusCode(404);
    }
}

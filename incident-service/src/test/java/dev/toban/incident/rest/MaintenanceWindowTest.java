package dev.toban.incident.rest;

import static dev.toban.incident.support.TestStack.as;
import static dev.toban.incident.support.TestStack.count;
import static dev.toban.incident.support.TestStack.enqueue;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import dev.toban.incident.maintenance.MaintenanceService;
import dev.toban.incident.support.TestStack;
import dev.toban.plumbing.testing.KeycloakTokens;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Maintenance windows (issue 19): alerts during a window are recorded and open nothing (or open at low urgency,
 * paging no one), an SOS is never suppressed, and weekly windows follow the local clock across DST changes.
 */
@QuarkusTest
class MaintenanceWindowTest {

    @Inject
    MaintenanceService maintenance;

    static final ZoneId TOKYO = ZoneId.of("Asia/Tokyo");

    /** A window running now (an hour either side, Tokyo time) on the services; returns its id. */
    static String windowNow(String reason, String... serviceIds) {
        LocalDateTime now = LocalDateTime.now(TOKYO).truncatedTo(ChronoUnit.MINUTES);
        return as(KeycloakTokens.SATO).body("""
                {"serviceIds":["%s"],"startsAt":"%s","endsAt":"%s","timeZone":"Asia/Tokyo","reason":"%s"}"""
                .formatted(String.join("\",\"", serviceIds), now.minusHours(1), now.plusHours(1), reason))
                .post("/api/maintenance-windows").then().statusCode(201)
                .body("active", equalTo(true)).extract().path("id");
    }

    /** A window written through another replica applies here at once: its commit's signal reloads the windows. */
    @Test
    void aWindowMadeThroughAnotherReplicaAppliesAtOnce() {
        UUID service = UUID.fromString(TestStack.service("Maintenance elsewhere", UUID.randomUUID())[0]);
        UUID window = UUID.randomUUID();
        LocalDateTime now = LocalDateTime.now(TOKYO).truncatedTo(ChronoUnit.MINUTES);
        // what the other replica's transaction writes, without its NOTIFY first
        TestStack.update("""
                insert into maintenance_window (id, reason, starts_at, ends_at, time_zone, recurrence, created_by, created_at)
                values (?, 'elsewhere', ?, ?, 'Asia/Tokyo', 'none', 'sato', now())""", window, now.minusHours(1), now.plusHours(1));
        TestStack.update("insert into maintenance_window_service (window_id, service_id) values (?, ?)", window, service);
        await().during(500, TimeUnit.MILLISECONDS).atMost(2, TimeUnit.SECONDS)
                .until(() -> maintenance.activeFor(service, Instant.now()).isEmpty()); // the reload sleeps for minutes
        TestStack.single("select pg_notify('toban_jobs', 'elsewhere:maintenance-windows')");
        await().atMost(10, TimeUnit.SECONDS).until(() -> maintenance.activeFor(service, Instant.now()).isPresent());
        TestStack.update("update maintenance_window set cancelled_at = now() where id = ?", window);
    }

    @Test
    void duringAWindowAlertsAreRecordedButOpenNothingAndAfterItTheyOpenIncidentsAgain() {
        String[] s = TestStack.service("Maintenance", UUID.randomUUID());
        String other = TestStack.service("Maintenance other", UUID.randomUUID())[0];
        String window = windowNow("DB failover drill", s[0], other);
        as(KeycloakTokens.YAMADA).get("/api/maintenance-windows?serviceId=" + other).then().statusCode(200)
                .body("id", hasItem(window)).body("[0].services.id", hasItems(s[0], other))
                .body("[0].timeZone", equalTo("Asia/Tokyo"));

        String dedup = "mw-" + UUID.randomUUID();
        long before = count("select count(*) from incident where service_id = ?", UUID.fromString(s[0]));
        enqueue(TestStack.trigger(s[1], dedup, "Replica lag during failover", "critical")).then().statusCode(202);
        enqueue(TestStack.trigger(s[1], dedup, "Replica lag during failover", "critical")).then().statusCode(202);
        assertEquals(before, count("select count(*) from incident where service_id = ?", UUID.fromString(s[0])),
                "no incident, no page");
        assertEquals(0, count("select count(*) from alert where dedup_key = ?", dedup));
        as(KeycloakTokens.YAMADA).get("/api/maintenance-windows/held-alerts?serviceId=" + s[0]).then().statusCode(200)
                .body("[0].dedupKey", equalTo(dedup)).body("[0].eventCount", equalTo(2))
                .body("[0].reason", equalTo("DB failover drill")).body("[0].summary", equalTo("Replica lag during failover"));

        // Alertmanager's firing alerts are held too
        String amKey = as(KeycloakTokens.ADMIN).body("{\"name\":\"am\",\"type\":\"alertmanager\"}")
                .post("/api/services/" + s[0] + "/integration-keys").then().statusCode(201).extract().path("key");
        String fp = "mwfp-" + UUID.randomUUID();
        given().contentType(ContentType.JSON).body("""
                {"version":"4","groupKey":"g-%s","status":"firing","receiver":"toban","groupLabels":{},"commonLabels":{},
                 "commonAnnotations":{},"externalURL":"http://am","alerts":[{"status":"firing","labels":{"alertname":"Down"},
                 "annotations":{"summary":"db-2 down"},"startsAt":"2026-11-25T10:00:00Z","fingerprint":"%s"}]}"""
                .formatted(fp, fp)).post("/integrations/alertmanager/" + amKey).then().statusCode(200);
        assertEquals(0, count("select count(*) from alert where dedup_key = ?", fp));
        assertEquals(1, count("select count(*) from suppressed_alert where dedup_key = ?", fp));

        // the window is cancelled: the next alert pages again
        as(KeycloakTokens.SATO).delete("/api/maintenance-windows/" + window).then().statusCode(200)
                .body("cancelledAt", org.hamcrest.Matchers.notNullValue());
        enqueue(TestStack.trigger(s[1], dedup, "Replica lag", "critical")).then().statusCode(202);
        UUID incident = TestStack.incidentFor(dedup);
        assertEquals("SEV1", TestStack.single("select severity from incident where id = ?", incident));
    }

    @Test
    void aLowUrgencyServiceOpensASev4IncidentDuringAWindowWithAnIcButPagesNoOne() {
        UUID policy = UUID.randomUUID();
        TestStack.cacheTargets(policy, 1, 1, 0, 15, TestStack.SATO, TestStack.SUZUKI);
        String[] s = TestStack.service("Maintenance low", policy);
        as(KeycloakTokens.SATO).body("{\"mode\":\"low_urgency\"}").put("/api/services/" + s[0] + "/maintenance-mode")
                .then().statusCode(403);
        as(KeycloakTokens.ADMIN).body("{\"mode\":\"sometimes\"}").put("/api/services/" + s[0] + "/maintenance-mode")
                .then().statusCode(400).body("errors.field", hasItem("mode"));
        as(KeycloakTokens.ADMIN).body("{\"mode\":\"low_urgency\"}").put("/api/services/" + s[0] + "/maintenance-mode")
                .then().statusCode(200).body("mode", equalTo("low_urgency"));
        windowNow("Kernel upgrade", s[0]);

        String dedup = "low-" + UUID.randomUUID();
        enqueue(TestStack.trigger(s[1], dedup, "Node rebooting", "critical")).then().statusCode(202);
        UUID incident = TestStack.incidentFor(dedup);
        assertEquals("SEV4", TestStack.single("select severity from incident where id = ?", incident));
        assertEquals(Boolean.TRUE, TestStack.single("select low_urgency from incident where id = ?", incident));
        JsonNode triggered = TestStack.awaitEvent("toban.incident.triggered", incident);
        assertEquals(TestStack.SATO.toString(), triggered.at("/data/incident/commander/id").asText(), "the IC is named");
        assertEquals(0, triggered.at("/data/page/targets").size(), "nobody is paged");
        assertEquals(0, count("select count(*) from escalation_timer where incident_id = ?", incident));
        assertEquals(1, count("select count(*) from timeline_entry where incident_id = ? and kind = 'low_urgency'", incident));
    }

    @Test
    void anSosIsNeverSuppressed() {
        String window = windowNow("Triage maintenance", TestStack.TRIAGE.toString());
        try {
            TestStack.forgetSosReports();
            String id = as(KeycloakTokens.YAMADA).body("{\"description\":\"Checkout broken during maintenance\"}")
                    .post("/api/sos").then().statusCode(201).body("source", equalTo("sos")).extract().path("id");
            assertEquals("triggered", TestStack.single("select state from incident where id = ?", UUID.fromString(id)));
        } finally {
            as(KeycloakTokens.SATO).delete("/api/maintenance-windows/" + window).then().statusCode(200);
        }
    }

    @Test
    void aWeeklyWindowKeepsItsLocalTimesAcrossTheDstChange() {
        String service = TestStack.service("Maintenance DST", UUID.randomUUID())[0];
        // Sundays 01:30-03:30 in New York; on 2027-03-14 the clocks go from 02:00 EST to 03:00 EDT
        String id = as(KeycloakTokens.SATO).body("""
                {"serviceIds":["%s"],"startsAt":"2027-03-07T01:30","endsAt":"2027-03-07T03:30",
                 "timeZone":"America/New_York","reason":"Weekly backup","recurrence":"weekly"}""".formatted(service))
                .post("/api/maintenance-windows").then().statusCode(201)
                .body("recurrence", equalTo("weekly")).extract().path("id");
        String path = "/api/maintenance-windows/" + id + "?at=";
        // before the change: EST, 06:30Z-08:30Z
        as(KeycloakTokens.YAMADA).get(path + "2027-03-07T08:00:00Z").then().statusCode(200)
                .body("active", equalTo(true)).body("activeFrom", equalTo("2027-03-07T06:30:00Z"))
                .body("activeUntil", equalTo("2027-03-07T08:30:00Z"));
        // the night of the change: 01:30 EST to 03:30 EDT, one hour on the clock of the world
        as(KeycloakTokens.YAMADA).get(path + "2027-03-14T07:00:00Z").then().statusCode(200)
                .body("active", equalTo(true)).body("activeUntil", equalTo("2027-03-14T07:30:00Z"));
        as(KeycloakTokens.YAMADA).get(path + "2027-03-14T07:45:00Z").then().statusCode(200)
                .body("active", equalTo(false)).body("activeFrom", nullValue())
                .body("nextStart", equalTo("2027-03-21T05:30:00Z"));
        // after the change: EDT, 05:30Z-07:30Z (a fixed UTC offset would start at 06:30Z)
        as(KeycloakTokens.YAMADA).get(path + "2027-03-21T05:45:00Z").then().statusCode(200)
                .body("active", equalTo(true)).body("activeFrom", equalTo("2027-03-21T05:30:00Z"))
                .body("activeUntil", equalTo("2027-03-21T07:30:00Z"));
        // and back in November: 01:30 EDT to 03:30 EST, three hours
        as(KeycloakTokens.YAMADA).get(path + "2027-11-07T07:00:00Z").then().statusCode(200)
                .body("active", equalTo(true)).body("activeFrom", equalTo("2027-11-07T05:30:00Z"))
                .body("activeUntil", equalTo("2027-11-07T08:30:00Z"));
        as(KeycloakTokens.YAMADA).get("/api/maintenance-windows?serviceId=" + service + "&at=2027-03-21T05:45:00Z")
                .then().statusCode(200).body("[0].id", equalTo(id)).body("[0].active", equalTo(true));
        as(KeycloakTokens.YAMADA).get("/api/maintenance-windows?at=yesterday").then().statusCode(400)
                .body("errors.field", hasItem("at"));
    }

    @Test
    void aBadWindowIsRefusedNamingEachFieldAndNothingIsStored() {
        String service = TestStack.service("Maintenance bad", UUID.randomUUID())[0];
        long before = count("select count(*) from maintenance_window");
        as(KeycloakTokens.SATO).body("""
                {"serviceIds":["%s"],"startsAt":"2027-01-01T10:00","endsAt":"2027-01-01T09:00","timeZone":"Mars/Olympus",
                 "reason":"","recurrence":"daily"}""".formatted(UUID.randomUUID()))
                .post("/api/maintenance-windows").then().statusCode(400)
                .body("errors.field", hasItems("serviceIds", "endsAt", "timeZone", "reason", "recurrence"));
        as(KeycloakTokens.SATO).body("""
                {"serviceIds":["%s"],"startsAt":"2027-01-01T10:00","endsAt":"2027-01-09T10:00","timeZone":"Asia/Tokyo",
                 "reason":"Too long","recurrence":"weekly"}""".formatted(service))
                .post("/api/maintenance-windows").then().statusCode(400).body("errors.field", hasItem("endsAt"));
        as(KeycloakTokens.SATO).body("""
                {"serviceIds":["%s"],"startsAt":"2020-01-01T10:00","endsAt":"2020-01-01T11:00","timeZone":"Asia/Tokyo",
                 "reason":"Long ago"}""".formatted(service))
                .post("/api/maintenance-windows").then().statusCode(400).body("errors.field", hasItem("endsAt"));
        as(KeycloakTokens.SATO).body("""
                {"serviceIds":["%s"],"startsAt":"2027-01-01T10:00","endsAt":"2027-01-01T11:00","timeZone":"Asia/Tokyo",
                 "reason":"bell\\u0007"}""".formatted(service))
                .post("/api/maintenance-windows").then().statusCode(400).body("errors.field", hasItem("reason"));
        as(KeycloakTokens.SATO).body("{\"serviceIds\":[\"" + service + "\"],\"startsAt\":\"soon\"}")
                .post("/api/maintenance-windows").then().statusCode(400);
        as(KeycloakTokens.YAMADA).body("""
                {"serviceIds":["%s"],"startsAt":"2027-01-01T10:00","endsAt":"2027-01-01T11:00","timeZone":"Asia/Tokyo",
                 "reason":"Viewer"}""".formatted(service))
                .post("/api/maintenance-windows").then().statusCode(403);
        assertEquals(before, count("select count(*) from maintenance_window"));
        as(KeycloakTokens.SATO).delete("/api/maintenance-windows/" + UUID.randomUUID()).then().statusCode(404);
    }
}

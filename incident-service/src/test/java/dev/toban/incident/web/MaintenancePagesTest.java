package dev.toban.incident.web;

import static dev.toban.incident.web.PageSupport.csrf;
import static dev.toban.incident.web.PageSupport.form;
import static dev.toban.incident.web.PageSupport.page;
import static org.hamcrest.Matchers.endsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.toban.incident.support.FakeOnCall;
import dev.toban.incident.support.TestStack;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.security.TestSecurity;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Maintenance windows on the service's page: planned, listed with the alerts they held, cancelled; the mode. */
@QuarkusTest
class MaintenancePagesTest {

    @BeforeAll
    static void oncallListsPolicies() {
        // the same answer ServiceSettingsPageResourceTest gives: the services page lists policies, and an
        // unanswered list would open the client's circuit breaker for the next test class
        FakeOnCall.answer("/api/escalation-policies", 200, """
                [{"id":"%s","name":"Pages default","archivedAt":null},
                 {"id":"%s","name":"Pages night","archivedAt":null}]""".formatted(ServiceSettingsPageResourceTest.POLICY,
                ServiceSettingsPageResourceTest.OTHER_POLICY));
    }

    @Test
    @TestSecurity(user = "admin", roles = {"viewer", "responder", "admin"})
    void aWindowIsPlannedOnThePageHoldsAlertsAndIsCancelled() {
        String[] s = TestStack.service("Maintenance page", UUID.randomUUID());
        String id = s[0];
        String token = csrf();
        String html = page("en").get("/ui/settings/services/" + id).then().statusCode(200).extract().asString();
        assertTrue(html.contains("id=\"no-windows\"") && html.contains("value=\"Asia/Tokyo\""), "the team's zone: " + html);

        LocalDateTime now = LocalDateTime.now(ZoneId.of("Asia/Tokyo")).truncatedTo(ChronoUnit.MINUTES);
        String refused = form(token, "ja").formParam("startsAt", now.minusHours(1).toString())
                .formParam("endsAt", now.plusHours(1).toString()).formParam("timeZone", "Tokyo")
                .formParam("recurrence", "none").formParam("reason", "Router swap")
                .post("/ui/settings/services/" + id + "/maintenance-windows").then().statusCode(400).extract().asString();
        assertTrue(refused.contains("id=\"timeZone-error\""), refused);
        assertTrue(refused.contains("value=\"Router swap\"") && refused.contains("value=\"Tokyo\""), "typed text stays");
        assertEquals(0L, TestStack.count("select count(*) from maintenance_window_service where service_id = ?",
                UUID.fromString(id)));

        form(token).formParam("startsAt", now.minusHours(1).toString()).formParam("endsAt", now.plusHours(1).toString())
                .formParam("timeZone", "Asia/Tokyo").formParam("recurrence", "none").formParam("reason", "Router swap")
                .post("/ui/settings/services/" + id + "/maintenance-windows").then().statusCode(303)
                .header("Location", endsWith("?done=window"));
        String dedup = "page-mw-" + UUID.randomUUID();
        TestStack.enqueue(TestStack.trigger(s[1], dedup, "Packet loss on edge-1", "critical")).then().statusCode(202);
        String ja = page("ja").get("/ui/settings/services/" + id + "?done=window").then().statusCode(200)
                .extract().asString();
        assertTrue(ja.contains("メンテナンス時間帯を登録しました。") && ja.contains("Router swap") && ja.contains("実施中"), ja);
        assertTrue(ja.contains("data-dedup=\"" + dedup + "\"") && ja.contains("Packet loss on edge-1"), "the held alert: " + ja);

        form(token).formParam("mode", "low_urgency").post("/ui/settings/services/" + id + "/maintenance-mode")
                .then().statusCode(303).header("Location", endsWith("?done=maintenance_mode"));
        assertEquals("low_urgency", TestStack.single("select maintenance_mode from technical_service where id = ?",
                UUID.fromString(id)));

        String window = TestStack.uuids("select window_id from maintenance_window_service where service_id = ?",
                UUID.fromString(id)).get(0).toString();
        form(token).post("/ui/settings/services/" + id + "/maintenance-windows/" + window + "/cancel").then()
                .statusCode(303).header("Location", endsWith("?done=window_cancelled"));
        String after = page("en").get("/ui/settings/services/" + id).then().statusCode(200).extract().asString();
        assertTrue(after.contains("id=\"no-windows\""), after);
        form(token).post("/ui/settings/services/" + id + "/maintenance-windows/" + UUID.randomUUID() + "/cancel").then()
                .statusCode(404);
    }

    @Test
    @TestSecurity(user = "admin", roles = {"viewer", "responder", "admin"})
    void oneWindowCoversTheServicesTickedOnTheForm() {
        String id = TestStack.service("Maintenance api", UUID.randomUUID())[0];
        String[] other = TestStack.service("Maintenance db", UUID.randomUUID());
        String token = csrf();
        String html = page("en").get("/ui/settings/services/" + id).then().statusCode(200).extract().asString();
        assertTrue(html.contains("name=\"alsoServices\" value=\"" + other[0] + "\""), "other services offered: " + html);

        LocalDateTime now = LocalDateTime.now(ZoneId.of("Asia/Tokyo")).truncatedTo(ChronoUnit.MINUTES);
        String refused = form(token, "ja").formParam("startsAt", now.toString())
                .formParam("endsAt", now.plusHours(2).toString()).formParam("timeZone", "Asia/Tokyo")
                .formParam("recurrence", "none").formParam("reason", "DB failover drill")
                .formParam("alsoServices", other[0]).formParam("alsoServices", UUID.randomUUID().toString())
                .post("/ui/settings/services/" + id + "/maintenance-windows").then().statusCode(400).extract().asString();
        assertTrue(refused.contains("id=\"alsoServices-error\""), refused);
        assertTrue(refused.contains("value=\"" + other[0] + "\" checked"), "what was ticked stays ticked");
        assertEquals(0L, TestStack.count("select count(*) from maintenance_window_service where service_id = ?",
                UUID.fromString(id)));

        form(token).formParam("startsAt", now.toString()).formParam("endsAt", now.plusHours(2).toString())
                .formParam("timeZone", "Asia/Tokyo").formParam("recurrence", "none").formParam("reason", "DB failover drill")
                .formParam("alsoServices", other[0])
                .post("/ui/settings/services/" + id + "/maintenance-windows").then().statusCode(303);
        UUID window = TestStack.uuids("select window_id from maintenance_window_service where service_id = ?",
                UUID.fromString(id)).get(0);
        assertEquals(2L, TestStack.count("select count(*) from maintenance_window_service where window_id = ?", window));
        String otherPage = page("en").get("/ui/settings/services/" + other[0]).then().statusCode(200).extract().asString();
        assertTrue(otherPage.contains("DB failover drill") && otherPage.contains("Covers: ")
                && otherPage.contains("Maintenance api"), otherPage);
    }
}

package dev.toban.incident.web;

import static dev.toban.incident.web.PageSupport.csrf;
import static dev.toban.incident.web.PageSupport.form;
import static dev.toban.incident.web.PageSupport.page;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.endsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.toban.incident.support.FakeOnCall;
import dev.toban.incident.support.TestStack;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.security.TestSecurity;
import io.restassured.response.Response;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Heartbeat monitors on the service's page: added (URL shown once), listed with the last beat, deleted. */
@QuarkusTest
class HeartbeatPagesTest {

    static final String FLASH_COOKIE = "toban_flash_heartbeat-token";

    @BeforeAll
    static void oncallListsPolicies() {
        FakeOnCall.answer("/api/escalation-policies", 200, """
                [{"id":"%s","name":"Pages default","archivedAt":null},
                 {"id":"%s","name":"Pages night","archivedAt":null}]""".formatted(ServiceSettingsPageResourceTest.POLICY,
                ServiceSettingsPageResourceTest.OTHER_POLICY));
    }

    @Test
    @TestSecurity(user = "admin", roles = {"viewer", "responder", "admin"})
    void anAdminAddsAMonitorSeesItsUrlOnceAndItsLastBeat() {
        String id = TestStack.service("Heartbeat page", UUID.randomUUID())[0];
        String token = csrf();
        String refused = form(token, "ja").formParam("name", "backup-job").formParam("intervalMinutes", "ten")
                .formParam("graceMinutes", "").post("/ui/settings/services/" + id + "/heartbeats")
                .then().statusCode(400).extract().asString();
        assertTrue(refused.contains("id=\"intervalMinutes-error\"") && refused.contains("value=\"backup-job\""), refused);

        Response created = form(token).formParam("name", "backup-job").formParam("intervalMinutes", "15")
                .formParam("graceMinutes", "5").post("/ui/settings/services/" + id + "/heartbeats");
        created.then().statusCode(303).header("Location", endsWith("?done=heartbeat"));
        String flash = created.cookie(FLASH_COOKIE);
        assertNotNull(flash, "the URL travels in a one-time cookie");
        String shown = page("en").cookie(FLASH_COOKIE, flash).get("/ui/settings/services/" + id + "?done=heartbeat")
                .then().statusCode(200).extract().asString();
        Matcher m = Pattern.compile("/heartbeat/([a-z0-9]{32})&#39;").matcher(shown);
        assertTrue(m.find(), shown);
        String beatToken = m.group(1);
        assertTrue(shown.contains("No beat yet"), shown);
        String again = page("en").get("/ui/settings/services/" + id).then().statusCode(200).extract().asString();
        assertFalse(again.contains(beatToken), "shown once");

        given().post("/heartbeat/" + beatToken).then().statusCode(202);
        String ja = page("ja").get("/ui/settings/services/" + id).then().statusCode(200).extract().asString();
        assertTrue(ja.contains("data-monitor=\"backup-job\" data-status=\"up\"") && ja.contains("受信中"), ja);

        String monitor = TestStack.uuids("select id from heartbeat_monitor where service_id = ?", UUID.fromString(id))
                .get(0).toString();
        form(token).post("/ui/settings/services/" + id + "/heartbeats/" + monitor + "/delete").then().statusCode(303)
                .header("Location", endsWith("?done=heartbeat_deleted"));
        given().post("/heartbeat/" + beatToken).then().statusCode(404);
        assertEquals(0L, TestStack.count("select count(*) from heartbeat_monitor where service_id = ? and deleted_at is null",
                UUID.fromString(id)));
    }
}

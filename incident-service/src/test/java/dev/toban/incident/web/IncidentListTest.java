package dev.toban.incident.web;

import static dev.toban.incident.support.TestStack.SATO;
import static dev.toban.incident.support.TestStack.SUZUKI;
import static dev.toban.incident.support.TestStack.TEAM_SERVER;
import static dev.toban.incident.web.PageSupport.csrf;
import static dev.toban.incident.web.PageSupport.form;
import static dev.toban.incident.web.PageSupport.page;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.toban.incident.support.TestStack;
import dev.toban.plumbing.testing.KeycloakTokens;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.security.TestSecurity;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The incident list: live rows, "mine", a month of a team (the downtime page's drill-down), declaring by hand. */
@QuarkusTest
class IncidentListTest {

    static String satoKey;
    static String suzukiKey;
    static String serviceId;

    @BeforeEach
    void setUp() {
        if (satoKey != null) {
            return;
        }
        TestStack.directory();
        UUID satoPolicy = UUID.randomUUID();
        TestStack.cacheTargets(satoPolicy, 1, 1, 0, 15, SATO);
        String[] s = TestStack.service("List sato", satoPolicy);
        serviceId = s[0];
        satoKey = s[1];
        UUID suzukiPolicy = UUID.randomUUID();
        TestStack.cacheTargets(suzukiPolicy, 1, 1, 0, 15, SUZUKI);
        suzukiKey = TestStack.service("List suzuki", suzukiPolicy)[1];
    }

    static UUID open(String key, String summary) {
        String dedup = "list-" + UUID.randomUUID();
        TestStack.enqueue(TestStack.trigger(key, dedup, summary, "error")).then().statusCode(202);
        UUID id = TestStack.incidentFor(dedup);
        TestStack.awaitJson(KeycloakTokens.YAMADA, "/api/incidents/" + id, j -> j.get("commander") != null);
        return id;
    }

    @Test
    @TestSecurity(user = "sato", roles = {"viewer", "responder"})
    void mineListsWhereIAmIcOrResponderAndTheRowsRefreshLive() {
        UUID mine = open(satoKey, "Mine as IC");
        UUID notMine = open(suzukiKey, "Suzuki's incident");
        String html = page("en").get("/ui/incidents?state=all&mine=true").then().statusCode(200).extract().asString();
        assertTrue(html.contains("/ui/incidents/" + mine) && !html.contains("/ui/incidents/" + notMine), html);
        assertTrue(html.contains("data-refresh=\"/ui/incidents/rows?state=all&amp;mine=true&amp;page=0\""), "live rows");
        assertTrue(html.contains("id=\"f-mine\" name=\"mine\" value=\"true\" checked"), "the filter is kept");

        // joining as responder makes it mine: the live part (a fragment) lists it on its next refresh
        form(csrf()).post("/ui/incidents/" + notMine + "/join").then().statusCode(303);
        String rows = page("en").get("/ui/incidents/rows?state=all&mine=true&page=0").then().statusCode(200)
                .extract().asString();
        assertTrue(rows.contains("/ui/incidents/" + notMine) && rows.contains("/ui/incidents/" + mine), rows);
        assertFalse(rows.contains("<html"), "a fragment, not a page");
        page("ja").get("/ui/incidents?mine=true").then().statusCode(200).body(containsString("自分のものだけ"));
    }

    @Test
    @TestSecurity(user = "yamada", roles = "viewer")
    void aMonthOfATeamListsJustThoseIncidents() {
        UUID november = open(satoKey, "November incident");
        UUID now = open(satoKey, "This month's incident");
        TestStack.update("update incident set created_at = timestamptz '2025-11-15T03:00:00Z' where id = ?", november);
        String html = page("en").get("/ui/incidents?state=all&team=" + TEAM_SERVER + "&month=2025-11").then()
                .statusCode(200).extract().asString();
        assertTrue(html.contains("/ui/incidents/" + november) && !html.contains("/ui/incidents/" + now), html);
        assertTrue(html.contains("id=\"month-filter\""), "the month is shown");
        page("en").get("/ui/incidents?month=November").then().statusCode(400).body(containsString("YYYY-MM"));
        // a viewer sees no declare form
        assertFalse(html.contains("action=\"/ui/incidents\" novalidate"), "no declare form for a viewer");
    }

    @Test
    @TestSecurity(user = "sato", roles = {"viewer", "responder"})
    void aResponderDeclaresAnIncidentByHandAndARefusedFormKeepsItsText() {
        String token = csrf();
        long before = TestStack.count("select count(*) from incident where source = 'manual'");
        String refused = form(token, "ja").formParam("serviceId", serviceId).formParam("severity", "SEV2")
                .formParam("title", " ").formParam("impact", "決済が一部失敗").post("/ui/incidents").then().statusCode(400)
                .extract().asString();
        assertTrue(refused.contains("id=\"d-title-error\">入力してください。"), refused);
        assertTrue(refused.contains(">決済が一部失敗</textarea>") && refused.contains("<option value=\"" + serviceId
                + "\" selected>"), "what was chosen and typed stays");
        assertTrue(refused.contains("<details class=\"card declare\" id=\"declare\" open>"), "the form stays open");
        form(token).formParam("serviceId", "").formParam("severity", "SEV9").formParam("title", "x")
                .post("/ui/incidents").then().statusCode(400)
                .body(containsString("id=\"d-service-error\">Choose one from the list."),
                        containsString("id=\"d-severity-error\">must be one of SEV1, SEV2, SEV3, SEV4"));
        assertEquals(before, TestStack.count("select count(*) from incident where source = 'manual'"));

        String location = form(token).formParam("serviceId", serviceId).formParam("severity", "SEV2")
                .formParam("title", "Payments partly fail").post("/ui/incidents").then().statusCode(303)
                .extract().header("Location");
        assertTrue(location.contains("?done=declared"), location);
        UUID id = UUID.fromString(location.replaceAll(".*/ui/incidents/([0-9a-f-]{36}).*", "$1"));
        assertEquals("manual", TestStack.single("select source from incident where id = ?", id));
        assertEquals("SEV2", TestStack.single("select severity from incident where id = ?", id));
        TestStack.awaitJson(KeycloakTokens.YAMADA, "/api/incidents/" + id, j -> j.get("commander") != null);
    }

    @Test
    @TestSecurity(user = "yamada", roles = "viewer")
    void aViewerCannotDeclare() {
        form(csrf()).formParam("serviceId", serviceId).formParam("severity", "SEV2").formParam("title", "Forged")
                .post("/ui/incidents").then().statusCode(403);
        assertEquals(0L, TestStack.count("select count(*) from incident where title = 'Forged'"));
    }
}

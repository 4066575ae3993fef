package dev.toban.incident.web;

import static dev.toban.incident.support.TestStack.SATO;
import static dev.toban.incident.support.TestStack.SUZUKI;
import static dev.toban.incident.support.TestStack.TANAKA;
import static dev.toban.incident.support.TestStack.TEAM_MOBILE;
import static dev.toban.incident.support.TestStack.enqueue;
import static dev.toban.incident.support.TestStack.trigger;
import static dev.toban.incident.web.PageSupport.csrf;
import static dev.toban.incident.web.PageSupport.form;
import static dev.toban.incident.web.PageSupport.page;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.toban.incident.support.TestStack;
import dev.toban.plumbing.testing.KeycloakTokens;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.security.TestSecurity;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The incident list and the IC console, rendered and used as each role. */
@QuarkusTest
class IncidentPageResourceTest {

    static UUID policy;
    static String serviceId;
    static String key;

    @BeforeEach
    void setUp() {
        if (key != null) {
            return;
        }
        TestStack.directory();
        policy = UUID.randomUUID();
        // oncall-service is down in tests: its last answer for this policy makes sato the IC
        TestStack.cacheTargets(policy, 1, 2, 0, 15, SATO, SUZUKI);
        String[] created = TestStack.service("Pages", policy);
        serviceId = created[0];
        key = created[1];
    }

    static UUID openIncident(String summary, String severity) {
        String dedup = "page-" + UUID.randomUUID();
        enqueue(trigger(key, dedup, summary, severity)).then().statusCode(202);
        UUID id = TestStack.incidentFor(dedup);
        TestStack.awaitJson(KeycloakTokens.YAMADA, "/api/incidents/" + id, j -> j.get("commander") != null);
        return id;
    }

    static String state(UUID id) {
        return (String) TestStack.single("select state from incident where id = ?", id);
    }

    static long timeline(UUID id, String kind) {
        return TestStack.count("select count(*) from timeline_entry where incident_id = ? and kind = ?", id, kind);
    }

    @Test
    @TestSecurity(user = "yamada", roles = "viewer")
    void theListFiltersAndSpeaksBothLanguages() {
        UUID critical = openIncident("Checkout is down", "critical");
        UUID warning = openIncident("Slow thumbnails", "warning");
        String sev1 = (String) TestStack.single("select severity from incident where id = ?", critical);
        String other = (String) TestStack.single("select severity from incident where id = ?", warning);

        String html = page("en").get("/ui/incidents?state=all&service=" + serviceId + "&severity=" + sev1)
                .then().statusCode(200).extract().asString();
        assertTrue(html.contains("<h1>Incidents</h1>"), html);
        assertTrue(html.contains("/ui/incidents/" + critical), "the matching incident is listed");
        assertTrue(!html.contains("/ui/incidents/" + warning) || sev1.equals(other), "the other severity is not");
        assertTrue(html.contains("Checkout is down"));
        // the select boxes come from the catalog and the team directory, with the filter kept
        assertTrue(html.contains("<option value=\"" + serviceId + "\" selected>"), "service kept");
        assertTrue(html.contains(">Mobile</option>"), "teams listed");

        page("ja").get("/ui/incidents?state=open&service=" + serviceId).then().statusCode(200)
                .body(containsString("障害一覧"), containsString("絞り込む"), containsString("Slow thumbnails"));
        // filtering by owning team: the test service belongs to Server, not Mobile
        page("en").get("/ui/incidents?state=all&service=" + serviceId + "&team=" + TEAM_MOBILE).then().statusCode(200)
                .body(containsString("No incidents match"));
        // bad filters: the page with a message, 400, never a 500
        page("en").get("/ui/incidents?state=exploded").then().statusCode(400).body(containsString("Choose a state"));
        page("en").get("/ui/incidents?team=not-an-id").then().statusCode(400).body(containsString("not valid"));
        page("en").get("/ui/incidents?page=-3").then().statusCode(400);
    }

    @Test
    @TestSecurity(user = "sato", roles = {"viewer", "responder"})
    void theIcRunsTheWholeResponseFromTheConsole() {
        UUID id = openIncident("Article pages fail", "error");
        String console = page("en").get("/ui/incidents/" + id).then().statusCode(200).extract().asString();
        assertTrue(console.contains("id=\"acknowledge\""), "one-click acknowledge");
        assertTrue(console.contains("data-refresh=\"/ui/incidents/" + id + "/live\""), "live part");
        assertTrue(console.contains("IC duties") && console.contains("Assign the owning team"), "duty checklist");
        assertTrue(console.contains("Hanako Sato"), "the IC is shown");
        String token = csrf();

        form(token).post("/ui/incidents/" + id + "/acknowledge").then().statusCode(303)
                .header("Location", endsWith("/ui/incidents/" + id + "?done=acknowledged"));
        assertEquals("acknowledged", state(id));
        page("en").get("/ui/incidents/" + id + "?done=acknowledged").then()
                .body(containsString("Acknowledged. The escalation has stopped."), not(containsString("id=\"acknowledge\"")));
        // an illegal transition: the console with the rule's message, 409
        form(token).post("/ui/incidents/" + id + "/acknowledge").then().statusCode(409)
                .body(containsString("only a triggered incident can be acknowledged"));

        // a blank status update: 400 with the message, nothing written
        form(token).formParam("message", "   ").post("/ui/incidents/" + id + "/status-update").then().statusCode(400)
                .body(containsString("id=\"message-error\">must not be blank"));
        assertEquals(0, timeline(id, "status_update"));
        form(token).formParam("message", "Rolling back the 10:05 deploy").post("/ui/incidents/" + id + "/status-update")
                .then().statusCode(303);
        assertEquals(1, timeline(id, "status_update"));

        form(token).formParam("teamId", TEAM_MOBILE.toString()).post("/ui/incidents/" + id + "/team").then().statusCode(303);
        form(token).formParam("teamId", "nope").post("/ui/incidents/" + id + "/team").then().statusCode(400);
        form(token).formParam("personId", TANAKA.toString()).post("/ui/incidents/" + id + "/liaison").then().statusCode(303);
        form(token).post("/ui/incidents/" + id + "/join").then().statusCode(303);
        form(token).formParam("impact", "Article pages fail for about 30% of app users")
                .post("/ui/incidents/" + id + "/impact").then().statusCode(303).header("Location", endsWith("?done=impact"));
        form(token).formParam("impact", "x".repeat(4001)).post("/ui/incidents/" + id + "/impact").then().statusCode(400);
        assertEquals("Article pages fail for about 30% of app users",
                TestStack.single("select impact from incident where id = ?", id));
        String live = page("en").get("/ui/incidents/" + id + "/live").then().statusCode(200).extract().asString();
        assertTrue(live.contains("Mobile") && live.contains("Jiro Tanaka") && live.contains("Rolling back"), live);
        assertTrue(live.contains("data-duty=\"owningTeam\"") && live.contains("class=\"done\" data-duty=\"owningTeam\""), live);
        assertTrue(!live.contains("<html"), "a fragment, not a page");

        // disbanding before resolution is refused
        form(token).post("/ui/incidents/" + id + "/close").then().statusCode(409)
                .body(containsString("resolve it before declaring the response disbanded"));
        form(token).formParam("note", "rolled back").post("/ui/incidents/" + id + "/mitigate").then().statusCode(303);
        form(token).post("/ui/incidents/" + id + "/resolve").then().statusCode(303);
        form(token).formParam("note", "thanks all").post("/ui/incidents/" + id + "/close").then().statusCode(303)
                .header("Location", endsWith("?done=closed"));
        assertEquals("closed", state(id));
        page("ja").get("/ui/incidents/" + id + "?done=closed").then().statusCode(200)
                .body(containsString("解散を宣言しました"), containsString("解散済み"),
                        containsString("class=\"done\" data-duty=\"disband\""),
                        containsString("class=\"done\" data-duty=\"impact\""));

        // handing the IC role over: sato is the IC, so he may
        UUID other = openIncident("Push notifications late", "error");
        form(token).formParam("personId", SUZUKI.toString()).post("/ui/incidents/" + other + "/commander").then()
                .statusCode(303);
        assertEquals(SUZUKI, TestStack.single("select commander_id from incident where id = ?", other));
        // ...and now that suzuki is, sato may not hand it over again (403 with the reason)
        form(token).formParam("personId", TANAKA.toString()).post("/ui/incidents/" + other + "/commander").then()
                .statusCode(403).body(containsString("Only the Incident Commander"));
    }

    @Test
    @TestSecurity(user = "yamada", roles = "viewer")
    void aViewerSeesNoButtonsAndAForgedPostIsRefused() {
        UUID id = openIncident("Search is empty", "error");
        String console = page("en").get("/ui/incidents/" + id).then().statusCode(200).extract().asString();
        assertTrue(!console.contains("<form method=\"post\""), "no forms for a viewer");
        assertTrue(!console.contains("id=\"acknowledge\""));
        String live = page("en").get("/ui/incidents/" + id + "/live").then().statusCode(200).extract().asString();
        assertTrue(!live.contains("<form"), live);

        form(csrf()).post("/ui/incidents/" + id + "/acknowledge").then().statusCode(403);
        form(csrf()).formParam("message", "hello").post("/ui/incidents/" + id + "/status-update").then().statusCode(403);
        assertEquals("triggered", state(id));
        assertEquals(0, timeline(id, "status_update"));
    }

    @Test
    @TestSecurity(user = "sato", roles = {"viewer", "responder"})
    void aPostWithoutTheCsrfTokenChangesNothing() {
        UUID id = openIncident("Login fails", "error");
        String token = csrf();
        given().redirects().follow(false).contentType("application/x-www-form-urlencoded")
                .cookie(PageSupport.CSRF_COOKIE, token).post("/ui/incidents/" + id + "/acknowledge")
                .then().statusCode(403);
        given().redirects().follow(false).contentType("application/x-www-form-urlencoded")
                .formParam("csrf", token).post("/ui/incidents/" + id + "/acknowledge").then().statusCode(403);
        given().redirects().follow(false).contentType("application/x-www-form-urlencoded")
                .cookie(PageSupport.CSRF_COOKIE, token).formParam("csrf", "x" + token)
                .post("/ui/incidents/" + id + "/acknowledge").then().statusCode(403);
        assertEquals("triggered", state(id));
        assertEquals(0, timeline(id, "acknowledged"));
    }

    @Test
    void pagesNeedASignIn() {
        given().redirects().follow(false).get("/ui/incidents").then().statusCode(302)
                .header("Location", containsString("/realms/toban/protocol/openid-connect/auth"));
    }

    @Test
    @TestSecurity(user = "sato", roles = {"viewer", "responder"})
    void controlCharactersInConsoleFormsAreA400WithTheFieldNotA500() {
        UUID id = openIncident("Stray bytes in forms", "warning");
        String token = csrf();
        form(token).formParam("message", "Rolling back\u0000").post("/ui/incidents/" + id + "/status-update").then()
                .statusCode(400).body(containsString("id=\"message-error\">contains a control character (U+0000)"));
        form(token).formParam("impact", "Half \u007f of users").post("/ui/incidents/" + id + "/impact").then()
                .statusCode(400).body(containsString("id=\"impact-error\">contains a control character (U+007F)"));
        form(token).formParam("note", "done\u0001").post("/ui/incidents/" + id + "/mitigate").then()
                .statusCode(400).body(containsString("Note: contains a control character"));
        assertEquals(0, timeline(id, "status_update"));
        assertEquals("triggered", state(id));
        // line breaks are fine in these multi-line fields
        form(token).formParam("message", "Rolling back\r\nETA 10 min").post("/ui/incidents/" + id + "/status-update")
                .then().statusCode(303);
    }
}

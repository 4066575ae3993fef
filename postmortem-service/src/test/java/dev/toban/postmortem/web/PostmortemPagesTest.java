package dev.toban.postmortem.web;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.allOf;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.toban.plumbing.testing.BrokerProbe;
import dev.toban.postmortem.testing.Api;
import dev.toban.postmortem.testing.GreenMailResource;
import dev.toban.postmortem.testing.TestIncident;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.security.TestSecurity;
import io.quarkus.test.security.oidc.Claim;
import io.quarkus.test.security.oidc.OidcSecurity;
import io.restassured.specification.RequestSpecification;
import java.time.LocalDate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The postmortem pages through one postmortem's life: sato (the IC) decides to hold it, changes the
 * meeting, edits the document (and meets a stale version), adds, changes and closes an action item,
 * publishes it; then the viewer yamada reads it without any buttons. Plus the refusals.
 */
@QuarkusTest
@WithTestResource(GreenMailResource.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PostmortemPagesTest {

    static final String CSRF_COOKIE = "toban_csrf_postmortem-service";
    static BrokerProbe broker;
    static String id;

    @BeforeAll
    static void connect() {
        broker = new BrokerProbe(Api.VHOST).watch("toban.postmortem", "toban.postmortem.#");
    }

    @AfterAll
    static void close() {
        broker.close();
    }

    static String csrf(String path) {
        return given().get(path).then().statusCode(200).extract().cookie(CSRF_COOKIE);
    }

    /**
     * A form post as a browser sends it (the csrf field) plus the X-CSRF-Token header: plumbing's
     * CsrfFilter runs before RESTEasy reads the form, so today it only sees the header.
     */
    static RequestSpecification form(String token) {
        return given().cookie(CSRF_COOKIE, token).header("X-CSRF-Token", token)
                .contentType("application/x-www-form-urlencoded").formParam("csrf", token).redirects().follow(false);
    }

    static String page() {
        return "/ui/postmortems/" + id;
    }

    static String html(String lang) {
        return given().header("Accept-Language", lang).get(page()).then().statusCode(200).extract().asString();
    }

    static String first(String regex, String html) {
        Matcher m = Pattern.compile(regex).matcher(html);
        assertTrue(m.find(), regex + " in " + html);
        return m.group(1);
    }

    @Test
    @Order(1)
    @TestSecurity(user = "sato", roles = {"viewer", "responder"})
    @OidcSecurity(claims = @Claim(key = "preferred_username", value = "sato"))
    void theListFiltersByStateAndADecisionIsRecorded() {
        id = Api.open(broker, new TestIncident().severity("SEV3"));
        given().header("Accept-Language", "ja").get("/ui/postmortems").then().statusCode(200)
                .body(allOf(containsString("ポストモーテム"), containsString("data-id=\"" + id + "\""),
                        containsString("判断待ち")));
        given().queryParam("state", "pending_decision").get("/ui/postmortems").then().statusCode(200)
                .body(containsString(id));
        given().queryParam("state", "published").get("/ui/postmortems").then().statusCode(200)
                .body(not(containsString(id)));
        given().queryParam("state", "bogus").get("/ui/postmortems").then().statusCode(400)
                .body(containsString("must be one of"));
        given().get("/ui/postmortems/not-an-id").then().statusCode(404);

        String token = csrf(page());
        assertTrue(html("ja").contains("判断を記録する"));
        // refusals change nothing: no CSRF token, a bad choice, a skip without a reason, a bad time
        given().cookie(CSRF_COOKIE, token).contentType("application/x-www-form-urlencoded").formParam("decision", "hold")
                .post(page() + "/decision").then().statusCode(403);
        form(token).formParam("decision", "maybe").post(page() + "/decision").then().statusCode(400)
                .body(containsString("choose hold or skip"));
        form(token).formParam("decision", "skip").post(page() + "/decision").then().statusCode(400)
                .body(containsString("reason"));
        // the refused form comes back as typed, the problem beside its field
        String refused = form(token).formParam("decision", "skip").formParam("start", "tomorrow")
                .formParam("durationMinutes", "90").post(page() + "/decision").then().statusCode(400).extract().asString();
        assertTrue(refused.contains("<p class=\"field-error\" id=\"decision-reason-error\">"), refused);
        assertTrue(refused.contains("value=\"skip\" checked"), "skip stays chosen");
        assertTrue(refused.contains("id=\"decision-start\" name=\"start\" type=\"datetime-local\" value=\"tomorrow\""), refused);
        assertTrue(refused.contains("value=\"90\""), "the duration typed stays");
        form(token).formParam("decision", "hold").formParam("start", "tomorrow").post(page() + "/decision")
                .then().statusCode(400).body(containsString("<p class=\"field-error\" id=\"decision-start-error\">is not a date and time"))
                .body(containsString("aria-describedby=\"decision-start-error\""));
        form(token).header("Accept-Language", "ja").formParam("decision", "hold").formParam("start", "tomorrow")
                .post(page() + "/decision").then().statusCode(400)
                .body(containsString("<p class=\"field-error\" id=\"decision-start-error\">日時として読めません。</p>"));
        assertEquals("pending_decision", Api.get(id).getString("state"));

        form(token).formParam("decision", "hold").formParam("durationMinutes", "60").post(page() + "/decision")
                .then().statusCode(303).header("Location", containsString(page() + "?done=decided"));
        assertEquals("scheduled", Api.get(id).getString("state"));
        given().header("Accept-Language", "en").queryParam("done", "decided").get(page()).then().statusCode(200)
                .body(allOf(containsString("The decision was recorded."), containsString("Meeting scheduled"),
                        containsString("Hold a postmortem"), containsString("60 minutes")));
    }

    @Test
    @Order(2)
    @TestSecurity(user = "sato", roles = {"viewer", "responder"})
    @OidcSecurity(claims = @Claim(key = "preferred_username", value = "sato"))
    void theMeetingAndItsAttendeesChange() {
        String token = csrf(page());
        String start = first("id=\"meeting-start\" name=\"start\" type=\"datetime-local\" required value=\"([^\"]+)\"", html("en"));
        int sequence = Api.get(id).getInt("meeting.sequence");
        form(token).formParam("start", start).formParam("durationMinutes", "5").post(page() + "/meeting")
                .then().statusCode(400).body(containsString("between 15 and 480"))
                .body(containsString("id=\"meeting-duration-error\""))
                .body(containsString("step=\"15\" value=\"5\""));
        form(token).formParam("start", start).formParam("durationMinutes", "30").post(page() + "/meeting")
                .then().statusCode(303).header("Location", containsString("done=rescheduled"));
        assertEquals(sequence + 1, Api.get(id).getInt("meeting.sequence"), "new invitations (a higher SEQUENCE)");
        assertTrue(html("ja").contains("30 分"));

        form(token).formParam("email", "not-an-email").formParam("name", "Typo Guest").post(page() + "/participants")
                .then().statusCode(400).body(containsString("id=\"attendee-email-error\""))
                .body(containsString("value=\"not-an-email\"")).body(containsString("value=\"Typo Guest\""));
        form(token).formParam("email", "guest@toban.example").formParam("name", "Guest Reviewer")
                .post(page() + "/participants").then().statusCode(303);
        String withGuest = html("en");
        assertTrue(withGuest.contains("Guest Reviewer"), withGuest);
        String participant = first("participants/([0-9a-f-]{36})/remove", withGuest);
        form(token).post(page() + "/participants/" + participant + "/remove").then().statusCode(303);
        assertTrue(!html("en").contains("Guest Reviewer"));
    }

    @Test
    @Order(3)
    @TestSecurity(user = "sato", roles = {"viewer", "responder"})
    @OidcSecurity(claims = @Claim(key = "preferred_username", value = "sato"))
    void theDocumentIsEditedAndAStaleEditIsRefusedWithItsTextKept() {
        String token = csrf(page());
        String version = first("name=\"version\" value=\"(\\d+)\">\\s*<div class=\"row\"><label for=\"doc-language\"", html("en"));
        form(token).formParam("version", version).formParam("language", "en").formParam("summary", "The disk filled up")
                .formParam("contributingFactors", "No alert on disk usage")
                .post(page() + "/document").then().statusCode(303).header("Location", containsString("done=documentSaved"));
        assertTrue(html("en").contains("The disk filled up"));
        // the same old version again: someone else's edit came in between
        form(token).formParam("version", version).formParam("summary", "My stale edit")
                .post(page() + "/document").then().statusCode(409)
                .body(allOf(containsString("reload and apply your edit again"), containsString("My stale edit")));
        assertEquals("The disk filled up", Api.as(dev.toban.plumbing.testing.KeycloakTokens.ADMIN)
                .get("/api/postmortems/" + id + "/document").then().extract().path("summary"));
        form(token).formParam("version", "x").formParam("summary", "?").post(page() + "/document").then().statusCode(400);
    }

    @Test
    @Order(4)
    @TestSecurity(user = "sato", roles = {"viewer", "responder"})
    @OidcSecurity(claims = @Claim(key = "preferred_username", value = "sato"))
    void anActionItemIsAddedChangedAndClosed() {
        String token = csrf(page());
        String owner = first("<select id=\"item-owner\" name=\"owner\" required><option value=\"([0-9a-f-]{36})\"", html("en"));
        LocalDate due = LocalDate.now(Api.TOKYO).plusDays(14);
        form(token).formParam("title", "Alert on disk usage").formParam("owner", owner)
                .formParam("dueDate", LocalDate.now(Api.TOKYO).minusDays(3).toString())
                .post(page() + "/action-items").then().statusCode(400).body(containsString("is in the past"));
        // a due date is a date, not a date and time: the Japanese page says so
        form(token).header("Accept-Language", "ja").formParam("title", "Alert on disk usage").formParam("owner", owner)
                .formParam("dueDate", LocalDate.now(Api.TOKYO).minusDays(3).toString())
                .post(page() + "/action-items").then().statusCode(400)
                .body(containsString("<p class=\"field-error\" id=\"item-due-error\">過去の日付です"));
        form(token).formParam("title", "").formParam("owner", owner).formParam("dueDate", due.toString())
                .formParam("description", "Page at 90 %").post(page() + "/action-items").then().statusCode(400)
                .body(containsString("<p class=\"field-error\" id=\"item-title-error\">is required"))
                .body(containsString("value=\"" + due + "\"")).body(containsString(">Page at 90 %</textarea>"))
                .body(containsString("<option value=\"" + owner + "\" selected>"));
        form(token).formParam("title", "Alert on disk usage").formParam("owner", owner).formParam("dueDate", due.toString())
                .post(page() + "/action-items").then().statusCode(303).header("Location", containsString("done=itemAdded"));
        assertTrue(Pattern.compile("data-id=\"" + id + "\".*?class=\"open-items\">1<", Pattern.DOTALL)
                .matcher(given().get("/ui/postmortems").asString()).find());

        String html = html("en");
        String item = first("action-items/([0-9a-f-]{36})\" class=\"item-form\"", html);
        String version = first("action-items/" + item + "\" class=\"item-form\">\\s*<input type=\"hidden\" name=\"csrf\" value=\"[^\"]+\"><input type=\"hidden\" name=\"version\" value=\"(\\d+)\"", html);
        form(token).formParam("version", version).formParam("status", "in_progress").formParam("owner", owner)
                .formParam("dueDate", due.plusDays(7).toString())
                .post(page() + "/action-items/" + item).then().statusCode(303);
        String changed = html("en");
        assertTrue(changed.contains("value=\"" + due.plusDays(7) + "\"") && changed.contains("value=\"in_progress\" selected"), changed);
        // closing with the version from before the change is stale
        form(token).formParam("version", version).post(page() + "/action-items/" + item + "/close").then().statusCode(409);
        String current = first("action-items/" + item + "/close\" class=\"inline\">\\s*<input type=\"hidden\" name=\"csrf\" value=\"[^\"]+\"><input type=\"hidden\" name=\"version\" value=\"(\\d+)\"", changed);
        form(token).formParam("version", current).post(page() + "/action-items/" + item + "/close").then().statusCode(303)
                .header("Location", containsString("done=itemClosed"));
        assertTrue(html("ja").contains("value=\"done\" selected"));
        assertTrue(Pattern.compile("data-id=\"" + id + "\".*?class=\"open-items\">0<", Pattern.DOTALL)
                .matcher(given().get("/ui/postmortems").asString()).find());
    }

    @Test
    @Order(5)
    @TestSecurity(user = "sato", roles = {"viewer", "responder"})
    @OidcSecurity(claims = @Claim(key = "preferred_username", value = "sato"))
    void theMeetingIsHeldAndThePostmortemPublished() {
        String token = csrf(page());
        form(token).post(page() + "/publish").then().statusCode(409);
        Api.meetingStarted(id);
        form(token).post(page() + "/held").then().statusCode(303);
        form(token).post(page() + "/publish").then().statusCode(303);
        assertEquals("published", Api.get(id).getString("state"));
        // published is read-only: no document form any more
        assertTrue(!html("en").contains("class=\"document-form\""));
    }

    @Test
    @Order(6)
    @TestSecurity(user = "yamada", roles = "viewer")
    @OidcSecurity(claims = @Claim(key = "preferred_username", value = "yamada"))
    void aViewerReadsThePublishedPostmortemWithoutButtonsAndCannotPost() {
        given().header("Accept-Language", "ja").get(page()).then().statusCode(200)
                .body(allOf(containsString("公開済み"), containsString("The disk filled up"),
                        not(containsString("<form method=\"post\""))));
        given().header("Accept-Language", "en").get("/ui/postmortems").then().statusCode(200)
                .body(allOf(containsString("Postmortems"), containsString(id)));
        String token = csrf(page());
        form(token).formParam("decision", "skip").formParam("reason", "x").post(page() + "/decision").then().statusCode(403);
        form(token).formParam("version", "1").formParam("summary", "vandalism").post(page() + "/document").then().statusCode(403);
        assertEquals("published", Api.get(id).getString("state"));
    }
}

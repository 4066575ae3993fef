package dev.toban.oncall.web;

import static dev.toban.oncall.testing.Fixtures.admin;
import static dev.toban.oncall.web.PageTests.csrf;
import static dev.toban.oncall.web.PageTests.errorAfter;
import static dev.toban.oncall.web.PageTests.form;
import static dev.toban.oncall.web.PageTests.visible;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.toban.oncall.demo.DemoDataService;
import dev.toban.oncall.people.ContactVerificationService;
import dev.toban.oncall.testing.Fixtures;
import dev.toban.oncall.testing.Outboxed;
import io.quarkus.arc.Arc;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.security.TestSecurity;
import io.quarkus.test.security.oidc.Claim;
import io.quarkus.test.security.oidc.OidcSecurity;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Issue 18 on the pages: /ui/me shows the unreachable banner and the person's methods with their
 * verification, sends a code, keeps a refused code with its problem beside it, verifies and sends a test
 * page (post/redirect/get, CSRF); the on-call board flags who cannot be woken; the person page offers every
 * type and keeps a refused phone number with its problem beside it.
 */
@QuarkusTest
class ReachPagesTest {

    /** A person (no Keycloak user) the tests sign in as. */
    static final String USER = "hoshino";
    static String personId;
    static String methodId;
    static String scheduleId;

    @BeforeAll
    static void setUp() {
        io.restassured.RestAssured.port = org.eclipse.microprofile.config.ConfigProvider.getConfig()
                .getValue("quarkus.http.test-port", Integer.class);
        Fixtures.demo(Arc.container().instance(DemoDataService.class).get());
        List<String> usernames = given().auth().oauth2(admin()).get("/api/people?includeArchived=true").then()
                .statusCode(200).extract().path("username");
        methodId = UUID.randomUUID().toString();
        String body = """
                {"name":"Aki Hoshino","username":"%s","email":"hoshino@toban.example","timeZone":"Asia/Tokyo","locale":"ja",
                 "contactMethods":[{"id":"%s","type":"sms","address":"+819099990000","label":"Mobile"}],
                 "notificationRules":[{"contactMethodId":"%s","delayMinutes":0,"urgency":"high"}]}
                """.formatted(USER, methodId, methodId);
        if (usernames.contains(USER)) {
            // a new method id each run: a new, unverified method
            personId = given().auth().oauth2(admin()).get("/api/people?includeArchived=true").then().extract()
                    .jsonPath().getString("find { it.username == '" + USER + "' }.id");
            given().auth().oauth2(admin()).post("/api/people/" + personId + "/unarchive").then().statusCode(200);
            given().auth().oauth2(admin()).contentType(ContentType.JSON).body(body).put("/api/people/" + personId)
                    .then().statusCode(200);
        } else {
            personId = given().auth().oauth2(admin()).contentType(ContentType.JSON).body(body).post("/api/people")
                    .then().statusCode(201).extract().path("id");
        }
        scheduleId = Fixtures.schedule(Fixtures.team(List.of(personId)), "server", "Asia/Tokyo",
                Fixtures.layer("Daily", 1, List.of(personId), 1, 1, "DAYS", "10:00",
                        LocalDate.now(ZoneId.of("Asia/Tokyo")).minusDays(2).toString(), null));
    }

    @AfterAll
    static void tearDown() {
        given().auth().oauth2(admin()).delete("/api/schedules/" + scheduleId).then().statusCode(204);
    }

    @Test
    @TestSecurity(user = USER, roles = {"viewer", "responder"})
    @OidcSecurity(claims = @Claim(key = "preferred_username", value = USER))
    void onMyPageISeeIAmUnreachableAndVerifyMyPhoneWithACode() {
        String html = given().header("Accept-Language", "ja").get("/ui/oncall").then().statusCode(200).extract().asString();
        int card = html.indexOf("data-schedule=\"" + scheduleId + "\"");
        assertTrue(card > 0, "the schedule is on the board");
        String mine = html.substring(card, html.indexOf("</section>", card));
        assertTrue(mine.contains("class=\"badge unreachable\" href=\"/ui/settings/people/" + personId + "\"")
                && mine.contains("夜間に起こせる連絡手段がありません"), mine);

        html = given().header("Accept-Language", "ja").get("/ui/me").then().statusCode(200).extract().asString();
        assertTrue(html.contains("unreachable-banner") && html.contains("夜間にあなたを起こせません"), html);
        assertTrue(visible(html).contains("+819099990000") && visible(html).contains("未確認"), visible(html));

        String token = csrf("/ui/me");
        String base = "/ui/me/contact-methods/" + methodId;
        // a post without the CSRF token changes nothing
        given().contentType("application/x-www-form-urlencoded").formParam("x", "1").redirects().follow(false)
                .post(base + "/verification").then().statusCode(org.hamcrest.Matchers.greaterThanOrEqualTo(400));
        assertTrue(Outboxed.data(ContactVerificationService.VERIFICATION_REQUESTED, personId).stream()
                .noneMatch(e -> e.path("contactMethod").path("id").asText().equals(methodId)));

        Response sent = form(token).post(base + "/verification");
        assertEquals(303, sent.statusCode(), sent.asString());
        assertTrue(sent.header("Location").endsWith("/ui/me?done=codeSent"), sent.header("Location"));
        String code = Outboxed.last(ContactVerificationService.VERIFICATION_REQUESTED, personId).path("code").asText();
        String wrong = code.equals("000000") ? "111111" : "000000";

        // a wrong code: the page again, the code as typed and the problem beside it, in Japanese
        html = form(token).header("Accept-Language", "ja").formParam("code", wrong).post(base + "/verify").then()
                .statusCode(400).extract().asString();
        assertTrue(html.contains("value=\"" + wrong + "\""), html);
        assertEquals("コードが違います。あと 4 回試せます。", errorAfter(html, "code"));
        assertFalse(visible(html).contains("wrong"), visible(html));

        Response verified = form(token).formParam("code", code).post(base + "/verify");
        assertEquals(303, verified.statusCode(), verified.asString());
        assertTrue(verified.header("Location").endsWith("/ui/me?done=verified"));
        html = given().header("Accept-Language", "en").get("/ui/me?done=verified").then().statusCode(200).extract().asString();
        assertFalse(html.contains("unreachable-banner"), "reachable now");
        assertTrue(html.contains("Verified: Toban may now page you through it.") && html.contains("Send me a test page"), html);

        Response test = form(token).post(base + "/test");
        assertEquals(303, test.statusCode(), test.asString());
        assertEquals(USER, Outboxed.last(ContactVerificationService.TEST_REQUESTED, personId).path("requestedBy").asText());
        given().header("Accept-Language", "ja").get("/ui/oncall").then().statusCode(200)
                .body(org.hamcrest.Matchers.not(org.hamcrest.Matchers.containsString(
                        "class=\"badge unreachable\" href=\"/ui/settings/people/" + personId + "\"")));
    }

    @Test
    @TestSecurity(user = USER, roles = {"viewer", "responder"})
    @OidcSecurity(claims = @Claim(key = "preferred_username", value = USER))
    void onMyPageIAddAPushTopicAndARefusedOneKeepsWhatITyped() {
        String token = csrf("/ui/me");
        String html = form(token).header("Accept-Language", "ja").formParam("type", "push")
                .formParam("address", "https://me:secret@ntfy.example.com/aki").formParam("label", "Phone push")
                .formParam("delayMinutes", "0").formParam("urgency", "high")
                .post("/ui/me/contact-methods").then().statusCode(400).extract().asString();
        assertTrue(html.contains("value=\"https://me:secret@ntfy.example.com/aki\"") && html.contains("value=\"Phone push\"")
                && html.contains("<option value=\"push\" selected"), html);
        assertTrue(errorAfter(html, "address").contains("トピック URL"), html);
        assertFalse(visible(html).contains("must be"), visible(html));
        html = form(token).header("Accept-Language", "ja").formParam("type", "push")
                .formParam("address", "https://ntfy.example.com/aki").formParam("label", "Phone push")
                .formParam("delayMinutes", "soon").formParam("urgency", "high")
                .post("/ui/me/contact-methods").then().statusCode(400).extract().asString();
        assertEquals("整数を入力してください。", errorAfter(html, "delayMinutes"));

        Response added = form(token).formParam("type", "push").formParam("address", "https://ntfy.example.com/aki-" + methodId)
                .formParam("label", "Phone push").formParam("delayMinutes", "0").formParam("urgency", "high")
                .post("/ui/me/contact-methods");
        assertEquals(303, added.statusCode(), added.asString());
        assertTrue(added.header("Location").endsWith("/ui/me?done=methodAdded"));
        io.restassured.path.json.JsonPath saved = given().auth().oauth2(admin()).get("/api/people/" + personId).then()
                .statusCode(200).extract().jsonPath();
        assertEquals("push", saved.getString("contactMethods[-1].type"));
        assertEquals(false, saved.getBoolean("contactMethods[-1].verified"));
        assertEquals(saved.getString("contactMethods[-1].id"), saved.getString("notificationRules[-1].contactMethodId"));
        assertEquals("high", saved.getString("notificationRules[-1].urgency"));
        assertEquals("+819099990000", saved.getString("contactMethods[0].address"), "the other methods are kept");
        html = given().header("Accept-Language", "en").get("/ui/me?done=methodAdded").then().statusCode(200).extract().asString();
        assertTrue(html.contains("https://ntfy.example.com/aki-" + methodId) && html.contains("Added."), html);
    }

    @Test
    @TestSecurity(user = "admin", roles = {"viewer", "responder", "admin"})
    @OidcSecurity(claims = @Claim(key = "preferred_username", value = "admin"))
    void thePersonPageOffersEveryTypeAndKeepsARefusedNumberBesideItsProblem() {
        String id = Fixtures.person("Emi Pager");
        String page = "/ui/settings/people/" + id;
        String html = given().header("Accept-Language", "en").get(page).then().statusCode(200).extract().asString();
        for (String type : List.of("slack", "email", "sms", "voice", "push", "webhook")) {
            assertTrue(html.contains("<option value=\"" + type + "\""), type);
        }
        assertTrue(html.contains("+819012345678"), "the phone format is shown");
        String token = csrf(page);
        String username = given().auth().oauth2(admin()).get("/api/people/" + id).then().extract().path("username");
        String newMethod = UUID.randomUUID().toString();
        html = form(token).header("Accept-Language", "ja")
                .formParam("name", "Emi Pager").formParam("username", username)
                .formParam("email", username + "@toban.example").formParam("slackUserId", "")
                .formParam("timeZone", "Asia/Tokyo").formParam("locale", "en")
                .formParam("contactMethods[0].id", newMethod).formParam("contactMethods[0].type", "voice")
                .formParam("contactMethods[0].address", "090-1234-5678").formParam("contactMethods[0].label", "Night phone")
                .post(page).then().statusCode(400).extract().asString();
        assertTrue(html.contains("value=\"090-1234-5678\"") && html.contains("value=\"Night phone\""), html);
        assertTrue(html.contains("<option value=\"voice\" selected"), "the type as chosen");
        assertTrue(errorAfter(html, "contactMethods[0].address").contains("国際形式"), html);

        // a good one is saved, unverified, and the paging preview says it is not sent yet
        Response saved = form(token).header("Accept-Language", "en")
                .formParam("name", "Emi Pager").formParam("username", username)
                .formParam("email", username + "@toban.example").formParam("slackUserId", "")
                .formParam("timeZone", "Asia/Tokyo").formParam("locale", "en")
                .formParam("contactMethods[0].id", newMethod).formParam("contactMethods[0].type", "voice")
                .formParam("contactMethods[0].address", "+819012345678").formParam("contactMethods[0].label", "Night phone")
                .formParam("notificationRules[0].contactMethodId", newMethod)
                .formParam("notificationRules[0].delayMinutes", "2").formParam("notificationRules[0].urgency", "high")
                .post(page);
        assertEquals(303, saved.statusCode(), saved.asString());
        html = given().header("Accept-Language", "en").get(page).then().statusCode(200).extract().asString();
        assertTrue(html.contains("badge unverified") && html.contains("Send a code")
                && html.contains("(not verified: not sent)"), html);
        assertTrue(html.contains("action=\"/ui/settings/people/" + id + "/contact-methods/" + newMethod + "/verification\""));

        // the admin sends the code from the person page; an unverified method gets no test page (409 beside it)
        Response code = form(token).post(page + "/contact-methods/" + newMethod + "/verification");
        assertEquals(303, code.statusCode(), code.asString());
        assertTrue(code.header("Location").endsWith("?done=codeSent"));
        html = form(token).header("Accept-Language", "en").post(page + "/contact-methods/" + newMethod + "/test").then()
                .statusCode(409).extract().asString();
        assertTrue(html.contains("data-error=\"action\">this contact method is not verified yet"), html);
    }
}

package dev.toban.oncall.web;

import static dev.toban.oncall.web.PageTests.assertNoVisibleId;
import static dev.toban.oncall.web.PageTests.csrf;
import static dev.toban.oncall.web.PageTests.errorAfter;
import static dev.toban.oncall.web.PageTests.form;
import static dev.toban.oncall.web.PageTests.fresh;
import static dev.toban.oncall.web.PageTests.idFrom;
import static dev.toban.oncall.web.PageTests.visible;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.allOf;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.toban.oncall.demo.DemoDataService;
import dev.toban.oncall.people.PersonService;
import dev.toban.oncall.people.PersonService.PersonView;
import dev.toban.oncall.team.TeamService;
import dev.toban.oncall.testing.Fixtures;
import io.quarkus.arc.Arc;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.security.TestSecurity;
import io.quarkus.test.security.oidc.Claim;
import io.quarkus.test.security.oidc.OidcSecurity;
import jakarta.inject.Inject;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The people pages: an admin creates and edits a person with teams, contact methods and rules, a refused
 * form keeps what was typed with the problem next to the field in the page's language, a responder edits
 * only their own profile (their webhook waits for an admin, who approves it on the page), a viewer and a
 * forged post change nothing, and "what happens when I am paged" follows the rules.
 */
@QuarkusTest
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PeoplePagesTest {

    static final String PEOPLE = "/ui/settings/people";
    static final String SATO = DemoDataService.SATO.toString();
    static String personId;
    static String username;

    @Inject
    PersonService people;

    @Inject
    TeamService teams;

    @BeforeAll
    static void demo() {
        io.restassured.RestAssured.port = org.eclipse.microprofile.config.ConfigProvider.getConfig()
                .getValue("quarkus.http.test-port", Integer.class);
        Fixtures.demo(Arc.container().instance(DemoDataService.class).get());
        username = Fixtures.uniq("kimura");
    }

    @Test
    @Order(1)
    @TestSecurity(user = "admin", roles = {"viewer", "responder", "admin"})
    @OidcSecurity(claims = @Claim(key = "preferred_username", value = "admin"))
    void anAdminCreatesAPersonWithTeamsContactMethodsAndRules() {
        String html = given().header("Accept-Language", "ja").get(PEOPLE).then().statusCode(200)
                .body(allOf(containsString("人を追加"), containsString("Hanako Sato"), containsString("Server")))
                .extract().asString();
        assertNoVisibleId(html);
        String blank = given().header("Accept-Language", "en").get(PEOPLE + "/new").then().statusCode(200)
                .body(allOf(containsString("name=\"contactMethods[0].address\""), containsString("name=\"teamIds\"")))
                .extract().asString();
        // the empty contact row already has an id, so a rule can name it in the same save
        String newMethod = between(blank, "name=\"contactMethods[0].id\" value=\"", "\"");
        String token = csrf(PEOPLE + "/new");
        String location = form(token).header("Accept-Language", "en")
                .formParam("name", "Aoi Kimura").formParam("username", username)
                .formParam("email", username + "@toban.example").formParam("slackUserId", "U0KIMURA")
                .formParam("timeZone", "Asia/Tokyo").formParam("locale", "ja")
                .formParam("teamIds", DemoDataService.TEAM_SERVER.toString())
                .formParam("contactMethods[0].id", newMethod).formParam("contactMethods[0].type", "slack")
                .formParam("contactMethods[0].address", "U0KIMURA").formParam("contactMethods[0].label", "")
                .formParam("notificationRules[0].contactMethodId", newMethod)
                .formParam("notificationRules[0].delayMinutes", "0")
                .post(PEOPLE).then().statusCode(303).extract().header("Location");
        assertTrue(location.contains("done=created"), location);
        personId = idFrom(location);
        PersonView created = fresh(() -> people.get(UUID.fromString(personId)));
        assertEquals("Aoi Kimura", created.name());
        assertEquals(1, created.contactMethods().size());
        assertEquals(UUID.fromString(newMethod), created.notificationRules().get(0).contactMethodId());
        assertTrue(fresh(() -> teams.get(DemoDataService.TEAM_SERVER)).memberIds().contains(created.id()), "member of Server");

        String page = given().header("Accept-Language", "ja").get(PEOPLE + "/" + personId + "?done=created").then()
                .statusCode(200).extract().asString();
        assertTrue(page.contains("作成しました。"), page);
        assertTrue(visible(page).contains("0分後: Slack の DM U0KIMURA"), visible(page));
        assertNoVisibleId(page);
    }

    @Test
    @Order(2)
    @TestSecurity(user = "admin", roles = {"viewer", "responder", "admin"})
    @OidcSecurity(claims = @Claim(key = "preferred_username", value = "admin"))
    void aRefusedFormKeepsWhatWasTypedWithTheProblemNextToTheFieldInJapanese() {
        PersonView before = fresh(() -> people.get(UUID.fromString(personId)));
        String token = csrf(PEOPLE + "/" + personId);
        String methodId = before.contactMethods().get(0).id().toString();
        String html = form(token).header("Accept-Language", "ja")
                .formParam("name", "Aoi Kimura 2").formParam("username", username)
                .formParam("email", "not-an-email").formParam("slackUserId", "U0KIMURA")
                .formParam("timeZone", "Mars/Olympus").formParam("locale", "ja")
                .formParam("teamIds", DemoDataService.TEAM_SERVER.toString())
                .formParam("contactMethods[0].id", methodId).formParam("contactMethods[0].type", "slack")
                .formParam("contactMethods[0].address", "U0KIMURA")
                .formParam("contactMethods[1].id", UUID.randomUUID().toString()).formParam("contactMethods[1].type", "email")
                .formParam("contactMethods[1].address", "kimura-at-example")
                .formParam("notificationRules[0].contactMethodId", methodId)
                .formParam("notificationRules[0].delayMinutes", "soon")
                .post(PEOPLE + "/" + personId).then().statusCode(400).extract().asString();
        // what was typed is still there
        assertTrue(html.contains("value=\"Aoi Kimura 2\"") && html.contains("value=\"not-an-email\"")
                && html.contains("value=\"Mars/Olympus\"") && html.contains("value=\"kimura-at-example\"")
                && html.contains("value=\"soon\""), html);
        // each problem next to its field, in Japanese
        assertEquals("整数を入力してください。", errorAfter(html, "notificationRules[0].delayMinutes"));
        // a form whose numbers cannot be read stops before the service: fix those first
        assertFalse(visible(html).contains("must"), "no English on a Japanese page: " + visible(html));

        // the API's request rules (the email's format), next to the field
        html = form(token).header("Accept-Language", "ja")
                .formParam("name", "Aoi Kimura 2").formParam("username", username)
                .formParam("email", "not-an-email").formParam("slackUserId", "U0KIMURA")
                .formParam("timeZone", "Asia/Tokyo").formParam("locale", "ja")
                .formParam("teamIds", DemoDataService.TEAM_SERVER.toString())
                .formParam("contactMethods[0].id", methodId).formParam("contactMethods[0].type", "slack")
                .formParam("contactMethods[0].address", "U0KIMURA")
                .formParam("notificationRules[0].contactMethodId", methodId)
                .formParam("notificationRules[0].delayMinutes", "5")
                .post(PEOPLE + "/" + personId).then().statusCode(400).extract().asString();
        assertEquals("メールアドレスを入力してください。", errorAfter(html, "email"));
        assertTrue(html.contains("value=\"not-an-email\"") && html.contains("value=\"Aoi Kimura 2\""), html);

        // the service's rules (the zone, a contact's address); a blank row between two methods: the service's
        // contactMethods[1] is the form's row 2
        html = form(token).header("Accept-Language", "ja")
                .formParam("name", "Aoi Kimura 2").formParam("username", username)
                .formParam("email", username + "@toban.example").formParam("slackUserId", "U0KIMURA")
                .formParam("timeZone", "Mars/Olympus").formParam("locale", "ja")
                .formParam("teamIds", DemoDataService.TEAM_SERVER.toString())
                .formParam("contactMethods[0].id", methodId).formParam("contactMethods[0].type", "slack")
                .formParam("contactMethods[0].address", "U0KIMURA")
                .formParam("contactMethods[1].id", UUID.randomUUID().toString()).formParam("contactMethods[1].type", "email")
                .formParam("contactMethods[1].address", "")
                .formParam("contactMethods[2].id", UUID.randomUUID().toString()).formParam("contactMethods[2].type", "email")
                .formParam("contactMethods[2].address", "kimura-at-example")
                .formParam("notificationRules[0].contactMethodId", methodId)
                .formParam("notificationRules[0].delayMinutes", "5")
                .post(PEOPLE + "/" + personId).then().statusCode(400).extract().asString();
        assertEquals("Asia/Tokyo のような IANA タイムゾーンを入力してください。", errorAfter(html, "timeZone"));
        assertEquals("メールアドレスを入力してください。", errorAfter(html, "contactMethods[2].address"));
        assertTrue(html.contains("value=\"kimura-at-example\"") && html.contains("value=\"Mars/Olympus\""), html);
        assertFalse(visible(html).contains("must"), "no English on a Japanese page: " + visible(html));
        assertNoVisibleId(html);

        // the same in English
        html = form(token).header("Accept-Language", "en")
                .formParam("name", "").formParam("username", username).formParam("timeZone", "Asia/Tokyo")
                .formParam("locale", "ja").formParam("teamIds", DemoDataService.TEAM_SERVER.toString())
                .post(PEOPLE + "/" + personId).then().statusCode(400).extract().asString();
        assertEquals("must not be blank", errorAfter(html, "name"));
        assertEquals("Aoi Kimura", fresh(() -> people.get(UUID.fromString(personId))).name(), "nothing was changed");
        assertEquals(before.version(), fresh(() -> people.get(UUID.fromString(personId))).version());
    }

    @Test
    @Order(3)
    @TestSecurity(user = "admin", roles = {"viewer", "responder", "admin"})
    @OidcSecurity(claims = @Claim(key = "preferred_username", value = "admin"))
    void anAdminEditsAndTheRedirectShowsSaved() {
        PersonView before = fresh(() -> people.get(UUID.fromString(personId)));
        String methodId = before.contactMethods().get(0).id().toString();
        String emailId = UUID.randomUUID().toString();
        String token = csrf(PEOPLE + "/" + personId);
        String location = form(token)
                .formParam("name", "Aoi Kimura").formParam("username", username)
                .formParam("email", username + "@toban.example").formParam("slackUserId", "U0KIMURA")
                .formParam("timeZone", "Europe/London").formParam("locale", "en")
                // no team ticked: leaves Server
                .formParam("contactMethods[0].id", methodId).formParam("contactMethods[0].type", "slack")
                .formParam("contactMethods[0].address", "U0KIMURA")
                .formParam("contactMethods[1].id", emailId).formParam("contactMethods[1].type", "email")
                .formParam("contactMethods[1].address", username + "@toban.example")
                .formParam("notificationRules[0].id", before.notificationRules().get(0).id().toString())
                .formParam("notificationRules[0].contactMethodId", methodId)
                .formParam("notificationRules[0].delayMinutes", "0")
                .formParam("notificationRules[1].contactMethodId", emailId)
                .formParam("notificationRules[1].delayMinutes", "5")
                .formParam("notificationRules[1].urgency", "high")
                .post(PEOPLE + "/" + personId).then().statusCode(303).extract().header("Location");
        assertTrue(location.endsWith(PEOPLE + "/" + personId + "?done=saved"), location);
        PersonView after = fresh(() -> people.get(UUID.fromString(personId)));
        assertEquals("Europe/London", after.timeZone());
        assertEquals(2, after.notificationRules().size());
        assertFalse(fresh(() -> teams.get(DemoDataService.TEAM_SERVER)).memberIds().contains(after.id()), "left Server");
        String page = given().header("Accept-Language", "en").get(location).then().statusCode(200).extract().asString();
        assertTrue(page.contains("Saved."), page);
        assertEquals(List.of("any", "high"), after.notificationRules().stream().map(r -> r.urgency()).toList());
        String text = visible(page);
        assertTrue(text.indexOf("0 min: Slack DM U0KIMURA") < text.indexOf("5 min: Email " + username + "@toban.example")
                && text.contains("5 min: Email"), text);
        // the preview per urgency: the email rule is for high-urgency pages only
        String low = text.substring(text.indexOf("Low-urgency page"));
        assertTrue(low.contains("0 min: Slack DM U0KIMURA") && !low.contains("5 min: Email"), low);
    }

    @Test
    @Order(4)
    @TestSecurity(user = "sato", roles = {"viewer", "responder"})
    @OidcSecurity(claims = @Claim(key = "preferred_username", value = "sato"))
    void aResponderEditsTheirOwnProfileOnlyAndTheirWebhookWaitsForAnAdmin() {
        // the hub sends a responder to their own profile only
        given().header("Accept-Language", "ja").get("/ui/settings").then().statusCode(200)
                .body(allOf(containsString("/ui/settings/people/" + SATO), not(containsString("/ui/settings/teams\"")),
                        containsString("自分のプロフィール")));
        String own = PEOPLE + "/" + SATO;
        String html = given().header("Accept-Language", "ja").get(own).then().statusCode(200).extract().asString();
        assertTrue(html.contains("name=\"contactMethods[0].address\"") && !html.contains("name=\"teamIds\""), html);
        assertFalse(html.contains("/archive\""), "no archive button for a responder");
        PersonView sato = fresh(() -> people.get(DemoDataService.SATO));
        String token = csrf(own);
        String hook = UUID.randomUUID().toString();
        var post = form(token).formParam("name", sato.name()).formParam("username", "someone-else")
                .formParam("email", sato.email()).formParam("slackUserId", sato.slackUserId())
                .formParam("timeZone", "Asia/Tokyo").formParam("locale", "ja");
        int i = 0;
        for (PersonService.ContactMethodView c : sato.contactMethods()) {
            post.formParam("contactMethods[" + i + "].id", c.id().toString()).formParam("contactMethods[" + i + "].type", c.type())
                    .formParam("contactMethods[" + i + "].address", c.address())
                    .formParam("contactMethods[" + i + "].label", c.label() == null ? "" : c.label());
            i++;
        }
        post.formParam("contactMethods[" + i + "].id", hook).formParam("contactMethods[" + i + "].type", "webhook")
                .formParam("contactMethods[" + i + "].address", "https://hooks.example.com/sato")
                .formParam("contactMethods[" + i + "].label", "Pager app");
        int r = 0;
        for (PersonService.NotificationRuleView rule : sato.notificationRules()) {
            post.formParam("notificationRules[" + r + "].id", rule.id().toString())
                    .formParam("notificationRules[" + r + "].contactMethodId", rule.contactMethodId().toString())
                    .formParam("notificationRules[" + r + "].delayMinutes", String.valueOf(rule.delayMinutes()));
            r++;
        }
        post.formParam("notificationRules[" + r + "].contactMethodId", hook)
                .formParam("notificationRules[" + r + "].delayMinutes", "1");
        post.post(own).then().statusCode(303);
        PersonView after = fresh(() -> people.get(DemoDataService.SATO));
        assertEquals("sato", after.username(), "a responder cannot change their username");
        PersonService.ContactMethodView webhook = after.contactMethods().stream()
                .filter(c -> c.id().toString().equals(hook)).findFirst().orElseThrow();
        assertFalse(webhook.approved());
        String page = given().header("Accept-Language", "ja").get(own).then().statusCode(200).extract().asString();
        assertTrue(page.contains("承認待ち") && !page.contains("class=\"secondary approve\""), "no approve button for sato");
        assertTrue(visible(page).contains("1分後: Webhook https://hooks.example.com/sato (Pager app) (承認待ちのため送られません)"),
                visible(page));

        // someone else's profile: read-only, and a post is refused
        String suzuki = PEOPLE + "/" + DemoDataService.SUZUKI;
        String other = given().header("Accept-Language", "en").get(suzuki).then().statusCode(200).extract().asString();
        assertTrue(other.contains("<fieldset disabled>") && !other.contains("class=\"save\""), other);
        form(token).header("Accept-Language", "en").formParam("name", "Hacked").formParam("username", "suzuki")
                .formParam("timeZone", "Asia/Tokyo").formParam("locale", "ja")
                .post(suzuki).then().statusCode(403);
        assertEquals("Ichiro Suzuki", fresh(() -> people.get(DemoDataService.SUZUKI)).name());
        // nor may a responder create or archive anyone
        form(token).formParam("name", "X").formParam("username", Fixtures.uniq("x")).formParam("timeZone", "UTC")
                .formParam("locale", "en").post(PEOPLE).then().statusCode(403);
        form(token).post(PEOPLE + "/" + personId + "/archive").then().statusCode(403);
    }

    @Test
    @Order(5)
    @TestSecurity(user = "admin", roles = {"viewer", "responder", "admin"})
    @OidcSecurity(claims = @Claim(key = "preferred_username", value = "admin"))
    void anAdminApprovesTheWebhookOnThePage() {
        PersonView sato = fresh(() -> people.get(DemoDataService.SATO));
        PersonService.ContactMethodView webhook = sato.contactMethods().stream().filter(c -> !c.approved()).findFirst()
                .orElseThrow();
        String own = PEOPLE + "/" + SATO;
        String html = given().header("Accept-Language", "en").get(own).then().statusCode(200).extract().asString();
        assertTrue(html.contains("action=\"" + own + "/contact-methods/" + webhook.id() + "/approve\""), html);
        String token = csrf(own);
        form(token).post(own + "/contact-methods/" + webhook.id() + "/approve").then().statusCode(303)
                .header("Location", containsString("done=approved"));
        assertTrue(fresh(() -> people.get(DemoDataService.SATO)).contactMethods().stream()
                .filter(c -> c.id().equals(webhook.id())).findFirst().orElseThrow().approved());
        given().header("Accept-Language", "en").get(own + "?done=approved").then().statusCode(200)
                .body(allOf(containsString("Toban may now call it"), containsString("badge approved")));
    }

    @Test
    @Order(6)
    @TestSecurity(user = "admin", roles = {"viewer", "responder", "admin"})
    @OidcSecurity(claims = @Claim(key = "preferred_username", value = "admin"))
    void archivingIsRefusedInThePageLanguageWhileSomethingRefersToThePersonThenDone() {
        // sato is in Server's team and rotation: refused, named, in Japanese
        String own = PEOPLE + "/" + SATO;
        String token = csrf(own);
        String html = form(token).header("Accept-Language", "ja").post(own + "/archive").then().statusCode(409)
                .extract().asString();
        assertTrue(visible(html).contains("アーカイブできません") && visible(html).contains("チーム「Server」のメンバーです"),
                visible(html));
        assertNull(fresh(() -> people.get(DemoDataService.SATO)).archivedAt());
        // kimura left every team and is in no rotation: archived, then back
        form(token).post(PEOPLE + "/" + personId + "/archive").then().statusCode(303)
                .header("Location", containsString("done=archived"));
        given().header("Accept-Language", "en").get(PEOPLE + "/" + personId).then().statusCode(200)
                .body(allOf(containsString("Archived: kept as history"), containsString("<fieldset disabled>"),
                        containsString("/unarchive\"")));
        given().get(PEOPLE).then().body(not(containsString(personId)));
        given().queryParam("archived", "true").get(PEOPLE).then().body(containsString(personId));
        form(token).post(PEOPLE + "/" + personId + "/unarchive").then().statusCode(303);
        assertNull(fresh(() -> people.get(UUID.fromString(personId))).archivedAt());
    }

    @Test
    @Order(7)
    @TestSecurity(user = "yamada", roles = "viewer")
    @OidcSecurity(claims = @Claim(key = "preferred_username", value = "yamada"))
    void aViewerReadsButCannotChangeAnything() {
        given().header("Accept-Language", "en").get(PEOPLE + "/" + SATO).then().statusCode(200)
                .body(allOf(containsString("<fieldset disabled>"), not(containsString("class=\"save\"")),
                        not(containsString("hooks.example.com")), containsString("(hidden)")));
        given().get(PEOPLE + "/new").then().statusCode(403);
        String token = csrf(PEOPLE);
        PersonView before = fresh(() -> people.get(DemoDataService.YAMADA));
        form(token).formParam("name", "Yui Y").formParam("username", "yamada").formParam("timeZone", "UTC")
                .formParam("locale", "en").post(PEOPLE + "/" + DemoDataService.YAMADA).then().statusCode(403);
        form(token).formParam("name", "X").formParam("username", Fixtures.uniq("x")).formParam("timeZone", "UTC")
                .formParam("locale", "en").post(PEOPLE).then().statusCode(403);
        assertEquals(before.version(), fresh(() -> people.get(DemoDataService.YAMADA)).version());
        // no Settings entry in a viewer's navigation
        given().get("/ui/oncall").then().body(not(containsString("/ui/settings\"")));
    }

    @Test
    @Order(8)
    @TestSecurity(user = "admin", roles = {"viewer", "responder", "admin"})
    @OidcSecurity(claims = @Claim(key = "preferred_username", value = "admin"))
    void withoutTheCsrfTokenNothingIsChanged() {
        String token = csrf(PEOPLE);
        given().cookie(PageTests.CSRF_COOKIE, token).contentType("application/x-www-form-urlencoded")
                .formParam("name", "No Token").formParam("username", Fixtures.uniq("nt")).formParam("timeZone", "UTC")
                .formParam("locale", "en").post(PEOPLE).then().statusCode(403);
        assertTrue(fresh(() -> people.list(true)).stream().noneMatch(p -> p.name().equals("No Token")));
    }

    static String between(String text, String before, String after) {
        int start = text.indexOf(before);
        assertTrue(start >= 0, before + " not in " + text);
        start += before.length();
        return text.substring(start, text.indexOf(after, start));
    }
}

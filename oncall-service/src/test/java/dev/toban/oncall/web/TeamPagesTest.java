package dev.toban.oncall.web;

import static dev.toban.oncall.web.PageTests.assertNoVisibleId;
import static dev.toban.oncall.web.PageTests.csrf;
import static dev.toban.oncall.web.PageTests.errorAfter;
import static dev.toban.oncall.web.PageTests.form;
import static dev.toban.oncall.web.PageTests.fresh;
import static dev.toban.oncall.web.PageTests.idFrom;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.allOf;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.toban.oncall.demo.DemoDataService;
import dev.toban.oncall.team.TeamService;
import dev.toban.oncall.team.TeamService.TeamView;
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

/** The team pages: create with members and a war room, edit, refuse bad input keeping it, viewer refused. */
@QuarkusTest
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class TeamPagesTest {

    static final String TEAMS = "/ui/settings/teams";
    static String teamId;
    static String name;

    @Inject
    TeamService teams;

    @BeforeAll
    static void demo() {
        io.restassured.RestAssured.port = org.eclipse.microprofile.config.ConfigProvider.getConfig()
                .getValue("quarkus.http.test-port", Integer.class);
        Fixtures.demo(Arc.container().instance(DemoDataService.class).get());
        name = Fixtures.uniq("Payments");
    }

    @Test
    @Order(1)
    @TestSecurity(user = "admin", roles = {"viewer", "responder", "admin"})
    @OidcSecurity(claims = @Claim(key = "preferred_username", value = "admin"))
    void anAdminCreatesATeamWithMembersAndAWarRoom() {
        given().header("Accept-Language", "ja").get(TEAMS).then().statusCode(200)
                .body(allOf(containsString("チームを追加"), containsString("Server"), containsString("#team-server")));
        String token = csrf(TEAMS + "/new");
        String location = form(token).formParam("name", name).formParam("slackChannel", "#team-payments")
                .formParam("timeZone", "Asia/Tokyo").formParam("warRoomUrl", "https://meet.google.com/abc-defg-hij")
                .formParam("memberIds", DemoDataService.SUZUKI.toString())
                .formParam("memberIds", DemoDataService.SATO.toString())
                .post(TEAMS).then().statusCode(303).extract().header("Location");
        assertTrue(location.contains("done=created"), location);
        teamId = idFrom(location);
        TeamView team = fresh(() -> teams.get(UUID.fromString(teamId)));
        assertEquals("https://meet.google.com/abc-defg-hij", team.warRoomUrl());
        assertEquals(List.of(DemoDataService.SUZUKI, DemoDataService.SATO), team.memberIds(), "in the order ticked");
        String html = given().header("Accept-Language", "en").get(location).then().statusCode(200)
                .body(allOf(containsString("Created."), containsString("value=\"https://meet.google.com/abc-defg-hij\"")))
                .extract().asString();
        assertNoVisibleId(html);
        given().get(TEAMS).then().body(allOf(containsString(name), containsString("Open the war room")));
    }

    @Test
    @Order(2)
    @TestSecurity(user = "admin", roles = {"viewer", "responder", "admin"})
    @OidcSecurity(claims = @Claim(key = "preferred_username", value = "admin"))
    void badInputIsRefusedKeepingTheTextThenAnEditIsSaved() {
        String token = csrf(TEAMS + "/" + teamId);
        String html = form(token).header("Accept-Language", "ja").formParam("name", name)
                .formParam("slackChannel", "#team-payments").formParam("timeZone", "Asia/Tokyo")
                .formParam("warRoomUrl", "javascript:alert(1)").formParam("memberIds", DemoDataService.SATO.toString())
                .post(TEAMS + "/" + teamId).then().statusCode(400).extract().asString();
        assertEquals("https://meet.google.com/abc-defg-hij のような http または https のアドレスを入力してください。",
                errorAfter(html, "warRoomUrl"));
        assertTrue(html.contains("value=\"javascript:alert(1)\""), html);
        // a rule of the API's request (the channel's pattern)
        html = form(token).header("Accept-Language", "ja").formParam("name", Fixtures.uniq("Other"))
                .formParam("slackChannel", "team payments!").formParam("timeZone", "Asia/Tokyo")
                .post(TEAMS + "/" + teamId).then().statusCode(400).extract().asString();
        assertEquals("Slack のチャンネル名または ID を入力してください。", errorAfter(html, "slackChannel"));
        assertTrue(html.contains("value=\"team payments!\""), html);
        // a name another team has: 409, next to the name
        html = form(token).header("Accept-Language", "en").formParam("name", "Server").formParam("timeZone", "Asia/Tokyo")
                .post(TEAMS + "/" + teamId).then().statusCode(409).extract().asString();
        assertEquals("a team named &#39;Server&#39; already exists", errorAfter(html, "name"));
        assertEquals("https://meet.google.com/abc-defg-hij", fresh(() -> teams.get(UUID.fromString(teamId))).warRoomUrl(), "unchanged");

        form(token).formParam("name", name).formParam("slackChannel", "#payments").formParam("timeZone", "Europe/Paris")
                .formParam("warRoomUrl", "").formParam("memberIds", DemoDataService.SATO.toString())
                .post(TEAMS + "/" + teamId).then().statusCode(303).header("Location", containsString("done=saved"));
        TeamView team = fresh(() -> teams.get(UUID.fromString(teamId)));
        assertEquals("#payments", team.slackChannel());
        assertEquals(null, team.warRoomUrl(), "a blank war room removes it");
        assertEquals(List.of(DemoDataService.SATO), team.memberIds());
    }

    @Test
    @Order(3)
    @TestSecurity(user = "sato", roles = {"viewer", "responder"})
    @OidcSecurity(claims = @Claim(key = "preferred_username", value = "sato"))
    void aResponderReadsButCannotChange() {
        given().header("Accept-Language", "en").get(TEAMS + "/" + teamId).then().statusCode(200)
                .body(allOf(containsString("<fieldset disabled>"), not(containsString("class=\"save\"")),
                        not(containsString("/archive\""))));
        given().get(TEAMS + "/new").then().statusCode(403);
        String token = csrf(TEAMS);
        form(token).formParam("name", "Hacked").formParam("timeZone", "UTC").post(TEAMS + "/" + teamId).then()
                .statusCode(403);
        form(token).post(TEAMS + "/" + teamId + "/archive").then().statusCode(403);
    }

    @Test
    @Order(4)
    @TestSecurity(user = "yamada", roles = "viewer")
    @OidcSecurity(claims = @Claim(key = "preferred_username", value = "yamada"))
    void aViewerIsRefused() {
        String token = csrf(TEAMS);
        form(token).formParam("name", Fixtures.uniq("Viewer")).formParam("timeZone", "UTC").post(TEAMS).then()
                .statusCode(403);
        form(token).formParam("name", "Hacked").formParam("timeZone", "UTC").post(TEAMS + "/" + teamId).then()
                .statusCode(403);
        assertEquals(name, fresh(() -> teams.get(UUID.fromString(teamId))).name());
    }

    @Test
    @Order(5)
    @TestSecurity(user = "admin", roles = {"viewer", "responder", "admin"})
    @OidcSecurity(claims = @Claim(key = "preferred_username", value = "admin"))
    void archivingWithoutIncidentServiceSaysItCannotCheckInThePageLanguage() {
        // incident-service is not running in this suite: the archive is refused, 503, in Japanese
        String token = csrf(TEAMS + "/" + teamId);
        String html = form(token).header("Accept-Language", "ja").post(TEAMS + "/" + teamId + "/archive").then()
                .statusCode(503).extract().asString();
        assertTrue(PageTests.visible(html).contains("incident-service に確認できない"), PageTests.visible(html));
        assertEquals(null, fresh(() -> teams.get(UUID.fromString(teamId))).archivedAt());
    }
}

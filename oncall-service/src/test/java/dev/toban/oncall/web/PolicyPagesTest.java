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
import dev.toban.oncall.escalation.EscalationPolicyService;
import dev.toban.oncall.escalation.EscalationPolicyService.PolicyView;
import dev.toban.oncall.testing.Fixtures;
import io.quarkus.arc.Arc;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.security.TestSecurity;
import io.quarkus.test.security.oidc.Claim;
import io.quarkus.test.security.oidc.OidcSecurity;
import jakarta.inject.Inject;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The escalation policy pages: levels of schedules and people chosen by name, delays and repeats; refused
 * input kept next to its field; "which services use it" saying it cannot be checked while incident-service
 * does not answer (it does not run in this suite); a viewer refused.
 */
@QuarkusTest
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PolicyPagesTest {

    static final String POLICIES = "/ui/settings/escalation-policies";
    static final String SCHEDULE = "schedule:" + DemoDataService.SCHEDULE_SERVER;
    static final String ADMIN = "person:" + DemoDataService.ADMIN;
    static String policyId;
    static String name;

    @Inject
    EscalationPolicyService policies;

    @BeforeAll
    static void demo() {
        io.restassured.RestAssured.port = org.eclipse.microprofile.config.ConfigProvider.getConfig()
                .getValue("quarkus.http.test-port", Integer.class);
        Fixtures.demo(Arc.container().instance(DemoDataService.class).get());
        name = Fixtures.uniq("Payments policy");
    }

    @Test
    @Order(1)
    @TestSecurity(user = "admin", roles = {"viewer", "responder", "admin"})
    @OidcSecurity(claims = @Claim(key = "preferred_username", value = "admin"))
    void anAdminCreatesAPolicyWithTargetsChosenByName() {
        String blank = given().header("Accept-Language", "ja").get(POLICIES + "/new").then().statusCode(200)
                .body(allOf(containsString("エスカレーションポリシーを追加"), containsString(">Server</option>"),
                        containsString(">Toban Admin</option>"), containsString("value=\"" + SCHEDULE + "\"")))
                .extract().asString();
        assertNoVisibleId(blank);
        String token = csrf(POLICIES + "/new");
        String location = form(token).formParam("name", name).formParam("description", "").formParam("repeatCount", "1")
                .formParam("levels[0].delayMinutes", "10").formParam("levels[0].targets[0]", SCHEDULE)
                .formParam("levels[0].targets[1]", "")
                .formParam("levels[1].delayMinutes", "15").formParam("levels[1].targets[0]", "")
                .formParam("levels[1].targets[1]", ADMIN)
                .post(POLICIES).then().statusCode(303).extract().header("Location");
        assertTrue(location.contains("done=created"), location);
        policyId = idFrom(location);
        PolicyView p = fresh(() -> policies.get(UUID.fromString(policyId)));
        assertEquals(1, p.repeatCount());
        assertEquals(2, p.levels().size());
        assertEquals(DemoDataService.SCHEDULE_SERVER, p.levels().get(0).targets().get(0).id());
        assertEquals("person", p.levels().get(1).targets().get(0).type());
        String html = given().header("Accept-Language", "en").get(location).then().statusCode(200)
                .body(allOf(containsString("Created."), containsString("Services that use this policy"),
                        containsString("This cannot be checked right now")))
                .extract().asString();
        assertNoVisibleId(html);
        given().header("Accept-Language", "ja").get(location).then().body(containsString("いまは確認できません"));
    }

    @Test
    @Order(2)
    @TestSecurity(user = "admin", roles = {"viewer", "responder", "admin"})
    @OidcSecurity(claims = @Claim(key = "preferred_username", value = "admin"))
    void badInputIsRefusedKeepingTheTextThenAnEditIsSaved() {
        String page = POLICIES + "/" + policyId;
        String token = csrf(page);
        // a blank level between two: the service's levels[1] is the form's levels[2]
        String html = form(token).header("Accept-Language", "ja").formParam("name", name + " x").formParam("repeatCount", "12")
                .formParam("levels[0].delayMinutes", "10").formParam("levels[0].targets[0]", SCHEDULE)
                .formParam("levels[1].delayMinutes", "").formParam("levels[1].targets[0]", "")
                .formParam("levels[2].delayMinutes", "0").formParam("levels[2].targets[0]", ADMIN)
                .post(page).then().statusCode(400).extract().asString();
        assertEquals("9 以下にしてください。", errorAfter(html, "repeatCount"));
        assertEquals("1 以上にしてください。", errorAfter(html, "levels[2].delayMinutes"));
        assertTrue(html.contains("value=\"" + name + " x\"") && html.contains("value=\"12\""), html);
        // a level without anyone to page
        html = form(token).header("Accept-Language", "en").formParam("name", name).formParam("repeatCount", "0")
                .formParam("levels[0].delayMinutes", "10").formParam("levels[0].targets[0]", "")
                .post(page).then().statusCode(400).extract().asString();
        assertTrue(PageTests.visible(html).contains("must have between 1 and 10 targets"), PageTests.visible(html));
        // a name another policy has: 409 next to the name
        html = form(token).header("Accept-Language", "ja").formParam("name", "Server default").formParam("repeatCount", "0")
                .formParam("levels[0].delayMinutes", "10").formParam("levels[0].targets[0]", SCHEDULE)
                .post(page).then().statusCode(409).extract().asString();
        assertEquals("「Server default」という名前のポリシーはすでにあります。", errorAfter(html, "name"));
        assertEquals(name, fresh(() -> policies.get(UUID.fromString(policyId))).name(), "unchanged");

        form(token).formParam("name", name).formParam("repeatCount", "2")
                .formParam("levels[0].delayMinutes", "5").formParam("levels[0].targets[0]", ADMIN)
                .formParam("levels[1].delayMinutes", "15").formParam("levels[1].targets[0]", SCHEDULE)
                .formParam("levels[1].remove", "1")
                .post(page).then().statusCode(303).header("Location", containsString("done=saved"));
        PolicyView p = fresh(() -> policies.get(UUID.fromString(policyId)));
        assertEquals(2, p.repeatCount());
        assertEquals(1, p.levels().size(), "the removed level is gone");
        assertEquals(5, p.levels().get(0).delayMinutes());
    }

    @Test
    @Order(3)
    @TestSecurity(user = "yamada", roles = "viewer")
    @OidcSecurity(claims = @Claim(key = "preferred_username", value = "yamada"))
    void aViewerReadsButIsRefused() {
        String page = POLICIES + "/" + policyId;
        given().header("Accept-Language", "en").get(page).then().statusCode(200)
                .body(allOf(containsString("<fieldset disabled>"), not(containsString("class=\"save\"")),
                        containsString("Toban Admin")));
        given().get(POLICIES + "/new").then().statusCode(403);
        String token = csrf(POLICIES);
        form(token).formParam("name", "Hacked").formParam("levels[0].delayMinutes", "5")
                .formParam("levels[0].targets[0]", ADMIN).post(page).then().statusCode(403);
        form(token).formParam("name", Fixtures.uniq("Viewer")).formParam("levels[0].delayMinutes", "5")
                .formParam("levels[0].targets[0]", ADMIN).post(POLICIES).then().statusCode(403);
        form(token).post(page + "/archive").then().statusCode(403);
        assertEquals(name, fresh(() -> policies.get(UUID.fromString(policyId))).name());
    }
}

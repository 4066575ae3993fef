package dev.toban.oncall.web;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.allOf;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;

import dev.toban.oncall.demo.DemoDataService;
import dev.toban.oncall.testing.Fixtures;
import io.quarkus.arc.Arc;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.security.TestSecurity;
import io.quarkus.test.security.oidc.Claim;
import io.quarkus.test.security.oidc.OidcSecurity;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The settings hub and the layout's Settings entry, as each role sees them. */
@QuarkusTest
class SettingsHubTest {

    @BeforeEach
    void demo() {
        Fixtures.demo(Arc.container().instance(DemoDataService.class).get());
    }

    @Test
    @TestSecurity(user = "admin", roles = {"viewer", "responder", "admin"})
    @OidcSecurity(claims = @Claim(key = "preferred_username", value = "admin"))
    void anAdminReachesEveryConfigurationPageOfEveryService() {
        given().header("Accept-Language", "ja").get("/ui/settings").then().statusCode(200)
                .body(allOf(containsString("<title>設定 · Toban 当番</title>"),
                        containsString("href=\"http://localhost:8081/ui/settings\" class=\"settings active\""),
                        containsString("href=\"/ui/settings/people\""), containsString("href=\"/ui/settings/teams\""),
                        containsString("href=\"/ui/settings/schedules\""),
                        containsString("href=\"/ui/settings/escalation-policies\""),
                        containsString("href=\"http://localhost:8082/ui/settings/services\""),
                        containsString("href=\"http://localhost:8083/ui/settings/templates\""),
                        containsString("href=\"/ui/settings/people/" + DemoDataService.ADMIN + "\""),
                        containsString("サービスと連携"), containsString("メッセージのテンプレート")));
        given().header("Accept-Language", "en").get("/ui/oncall").then().statusCode(200)
                .body(containsString(">Settings</a>"));
    }

    @Test
    @TestSecurity(user = "tanaka", roles = {"viewer", "responder"})
    @OidcSecurity(claims = @Claim(key = "preferred_username", value = "tanaka"))
    void aResponderFindsOnlyTheirOwnProfile() {
        given().header("Accept-Language", "en").get("/ui/settings").then().statusCode(200)
                .body(allOf(containsString("href=\"/ui/settings/people/" + DemoDataService.TANAKA + "\""),
                        containsString("Your own profile"), not(containsString("href=\"/ui/settings/teams\"")),
                        not(containsString("/ui/settings/services"))));
        given().header("Accept-Language", "en").get("/ui/oncall").then().body(containsString(">Settings</a>"));
    }

    @Test
    @TestSecurity(user = "yamada", roles = "viewer")
    @OidcSecurity(claims = @Claim(key = "preferred_username", value = "yamada"))
    void aViewerHasNoSettingsEntry() {
        given().header("Accept-Language", "en").get("/ui/oncall").then().statusCode(200)
                .body(not(containsString(">Settings</a>")));
    }
}

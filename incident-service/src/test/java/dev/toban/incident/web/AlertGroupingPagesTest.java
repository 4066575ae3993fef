package dev.toban.incident.web;

import static dev.toban.incident.web.PageSupport.csrf;
import static dev.toban.incident.web.PageSupport.form;
import static dev.toban.incident.web.PageSupport.page;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.matchesPattern;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.toban.incident.support.FakeOnCall;
import dev.toban.incident.support.TestStack;
import dev.toban.plumbing.testing.KeycloakTokens;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.security.TestSecurity;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Alert grouping on the pages: the rule on the service's page, the alerts and the split button on the console. */
@QuarkusTest
class AlertGroupingPagesTest {

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
    void theAdminSetsTheRuleOnTheServicePageAndARefusedRuleKeepsWhatWasTyped() {
        String id = TestStack.service("Grouping page", UUID.randomUUID())[0];
        String token = csrf();
        String html = page("en").get("/ui/settings/services/" + id).then().statusCode(200).extract().asString();
        assertTrue(html.contains("id=\"grouping-form\"") && html.contains("<option value=\"off\" selected>"), html);

        String refused = form(token, "ja").formParam("rule", "content").formParam("windowMinutes", "")
                .formParam("template", "{{payload.nope}}").post("/ui/settings/services/" + id + "/grouping")
                .then().statusCode(400).extract().asString();
        assertTrue(refused.contains("id=\"template-error\""), refused);
        assertTrue(refused.contains("不明なプレースホルダー {{payload.nope}} です"), "the problem, in Japanese: " + refused);
        assertTrue(refused.contains("value=\"{{payload.nope}}\""), "what was typed stays");
        assertTrue(refused.contains("<option value=\"content\" selected>"), "the chosen rule stays");
        assertTrue(refused.contains("アラートのグループ化"), "Japanese page");
        assertEquals("off", TestStack.single("select grouping_rule from technical_service where id = ?", UUID.fromString(id)));

        form(token).formParam("rule", "time").formParam("windowMinutes", "abc").formParam("template", "")
                .post("/ui/settings/services/" + id + "/grouping").then().statusCode(400)
                .body(org.hamcrest.Matchers.containsString("id=\"windowMinutes-error\""));

        form(token).formParam("rule", "content").formParam("windowMinutes", "")
                .formParam("template", "{{labels.alertname}}/{{labels.cluster}}").formParam("autoResolve", "true")
                .post("/ui/settings/services/" + id + "/grouping").then().statusCode(303)
                .header("Location", endsWith("?done=grouping"));
        TestStack.as(KeycloakTokens.YAMADA).get("/api/services/" + id + "/alert-grouping").then().statusCode(200)
                .body("rule", org.hamcrest.Matchers.equalTo("content"))
                .body("template", org.hamcrest.Matchers.equalTo("{{labels.alertname}}/{{labels.cluster}}"))
                .body("autoResolve", org.hamcrest.Matchers.equalTo(true));
        String saved = page("en").get("/ui/settings/services/" + id + "?done=grouping").then().statusCode(200)
                .extract().asString();
        assertTrue(saved.contains("The alert grouping rule is saved.") && saved.contains("name=\"autoResolve\" value=\"true\" checked"),
                saved);
    }

    @Test
    @TestSecurity(user = "sato", roles = {"viewer", "responder"})
    void theConsoleListsTheAlertsAndSplitsAGroupedOneOffIntoItsOwnIncident() {
        String[] s = TestStack.service("Grouping console", UUID.randomUUID());
        TestStack.as(KeycloakTokens.ADMIN).body("{\"rule\":\"content\",\"template\":\"{{payload.component}}\"}")
                .put("/api/services/" + s[0] + "/alert-grouping").then().statusCode(200);
        String run = UUID.randomUUID().toString();
        TestStack.enqueue(TestStack.trigger(s[1], "c1-" + run, "Error rate high", "critical")).then().statusCode(202);
        TestStack.enqueue(TestStack.trigger(s[1], "c2-" + run, "Latency high", "warning")).then().statusCode(202);
        TestStack.enqueue(TestStack.trigger(s[1], "c3-" + run, "Pods restarting", "warning")).then().statusCode(202);
        TestStack.enqueue(TestStack.action(s[1], "c3-" + run, "resolve")).then().statusCode(202);
        UUID incident = TestStack.incidentFor("c1-" + run);

        String ja = page("ja").get("/ui/incidents/" + incident).then().statusCode(200).extract().asString();
        assertTrue(ja.contains("id=\"alert-total\">3<") && ja.contains("id=\"alert-open\">2<"), ja);
        assertTrue(ja.contains("初回受信") && ja.contains("解決済み") && ja.contains("グループ化"), ja);
        String en = page("en").get("/ui/incidents/" + incident).then().statusCode(200).extract().asString();
        // one split button: the open grouped alert (not the one that opened it, not the resolved one)
        assertEquals(1, en.split("class=\"secondary split\"", -1).length - 1, en);
        UUID latency = TestStack.uuids("select id from alert where dedup_key = ?", "c2-" + run).get(0);
        assertTrue(en.contains("/alerts/" + latency + "/split"), en);
        assertFalse(en.contains("/alerts/" + TestStack.uuids("select id from alert where dedup_key = ?", "c1-" + run).get(0)
                + "/split"), "the first alert stays");

        String token = csrf();
        String location = form(token).post("/ui/incidents/" + incident + "/alerts/" + latency + "/split").then()
                .statusCode(303).header("Location", matchesPattern(".*/ui/incidents/[0-9a-f-]{36}\\?done=split"))
                .extract().header("Location");
        UUID split = TestStack.incidentFor("c2-" + run);
        assertTrue(location.contains(split.toString()), location);
        String splitPage = page("en").get("/ui/incidents/" + split + "?done=split").then().statusCode(200)
                .extract().asString();
        assertTrue(splitPage.contains("The alert was split off into this incident of its own."), splitPage);
        String old = page("en").get("/ui/incidents/" + incident).then().statusCode(200).extract().asString();
        assertTrue(old.contains("Split the alert \"Latency high\" off into incident #")
                || old.contains("Split the alert &quot;Latency high&quot; off into incident #"), old);
        // splitting it again (now it is no grouped alert of this incident) is refused on the console
        form(token).post("/ui/incidents/" + incident + "/alerts/" + latency + "/split").then().statusCode(404);
    }
}

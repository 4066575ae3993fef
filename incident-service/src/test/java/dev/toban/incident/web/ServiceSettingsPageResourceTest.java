package dev.toban.incident.web;

import static dev.toban.incident.support.TestStack.TEAM_MOBILE;
import static dev.toban.incident.support.TestStack.TEAM_SERVER;
import static dev.toban.incident.web.PageSupport.csrf;
import static dev.toban.incident.web.PageSupport.form;
import static dev.toban.incident.web.PageSupport.page;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.toban.incident.ingestion.IntegrationKeys;
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

/** Services and integrations: the catalog and its keys configured from the page, as an admin would. */
@QuarkusTest
class ServiceSettingsPageResourceTest {

    static final UUID POLICY = UUID.fromString("22222222-0000-4000-8000-0000000000aa");
    static final UUID OTHER_POLICY = UUID.fromString("22222222-0000-4000-8000-0000000000bb");
    static final String FLASH_COOKIE = "toban_flash_integration-key";
    static final Pattern SHOWN_KEY = Pattern.compile("<pre class=\"copyable\" id=\"new-key\" tabindex=\"0\">([a-z0-9]{32})</pre>");

    @BeforeAll
    static void setUp() {
        TestStack.directory();
        // oncall-service lists its policies by name (the fake answers this one path for the whole suite)
        FakeOnCall.answer("/api/escalation-policies", 200, """
                [{"id":"%s","name":"Pages default","archivedAt":null},
                 {"id":"%s","name":"Pages night","archivedAt":null}]""".formatted(POLICY, OTHER_POLICY));
    }

    static String serviceId(String location) {
        Matcher m = Pattern.compile("/ui/settings/services/([0-9a-f-]{36})").matcher(location);
        assertTrue(m.find(), location);
        return m.group(1);
    }

    static String createService(String token, String name) {
        String location = form(token).formParam("name", name).formParam("description", "The article API")
                .formParam("owningTeamId", TEAM_SERVER.toString()).formParam("escalationPolicyId", POLICY.toString())
                .formParam("runbookUrl", "https://runbooks.example/news").formParam("slackChannel", "#svc-news")
                .post("/ui/settings/services").then().statusCode(303)
                .header("Location", containsString("?done=created")).extract().header("Location");
        return serviceId(location);
    }

    /** Creates a key on the page; returns the page that shows it once (the redirect's target, with the flash cookie). */
    static String createKey(String token, String serviceId, String name, String type) {
        Response created = form(token).formParam("keyName", name).formParam("keyType", type)
                .post("/ui/settings/services/" + serviceId + "/keys");
        created.then().statusCode(303).header("Location", endsWith("/ui/settings/services/" + serviceId + "?done=key"));
        String flash = created.cookie(FLASH_COOKIE);
        assertNotNull(flash, "the key travels in a one-time cookie");
        assertFalse(created.header("Location").matches(".*[a-z0-9]{32}.*"), "never in the URL");
        return page("en").cookie(FLASH_COOKIE, flash).get("/ui/settings/services/" + serviceId + "?done=key")
                .then().statusCode(200).extract().asString();
    }

    static String shownKey(String html) {
        Matcher m = SHOWN_KEY.matcher(html);
        assertTrue(m.find(), html);
        return m.group(1);
    }

    static int enqueueWith(String key) {
        return TestStack.enqueue(TestStack.trigger(key, "page-key-" + UUID.randomUUID(), "Key check", "warning"))
                .then().extract().statusCode();
    }

    @Test
    @TestSecurity(user = "admin", roles = {"viewer", "responder", "admin"})
    void anAdminCreatesAServiceChoosingTeamAndPolicyByNameThenEditsIt() {
        page("ja").get("/ui/settings/services/new").then().statusCode(200)
                .body(containsString("サービスを追加"), containsString("担当チーム"), containsString("エスカレーションポリシー"),
                        containsString(">Pages default</option>"), containsString(">Server</option>"),
                        not(containsString(POLICY.toString() + "</")));
        String token = csrf();
        String name = "News API page " + UUID.randomUUID().toString().substring(0, 6);
        String id = createService(token, name);
        assertEquals(name, TestStack.single("select name from technical_service where id = ?", UUID.fromString(id)));

        String html = page("en").get("/ui/settings/services/" + id + "?done=created").then().statusCode(200)
                .extract().asString();
        assertTrue(html.contains("The service is created"), html);
        assertTrue(html.contains("<option value=\"" + POLICY + "\" selected>Pages default</option>"), "policy kept by name");
        assertTrue(html.contains("<option value=\"" + TEAM_SERVER + "\" selected>Server</option>"), "team kept by name");

        // the list names the team and the policy and links to their pages
        page("en").get("/ui/settings/services").then().statusCode(200)
                .body(containsString(name), containsString(">Pages default</a>"),
                        containsString("/ui/settings/escalation-policies/" + POLICY),
                        containsString("/ui/settings/teams/" + TEAM_SERVER));

        form(token).formParam("name", name + " v2").formParam("owningTeamId", TEAM_MOBILE.toString())
                .formParam("escalationPolicyId", OTHER_POLICY.toString()).formParam("runbookUrl", "")
                .formParam("slackChannel", "#svc-news").post("/ui/settings/services/" + id).then().statusCode(303)
                .header("Location", endsWith("?done=saved"));
        assertEquals(TEAM_MOBILE, TestStack.single("select owning_team_id from technical_service where id = ?",
                UUID.fromString(id)));
        assertNull(TestStack.single("select runbook_url from technical_service where id = ?", UUID.fromString(id)));
    }

    @Test
    @TestSecurity(user = "admin", roles = {"viewer", "responder", "admin"})
    void aRefusedFormKeepsWhatWasTypedWithEachProblemNextToItsFieldInThePageLanguage() {
        String token = csrf();
        long before = TestStack.count("select count(*) from technical_service");
        String ja = form(token, "ja").formParam("name", "  ").formParam("description", "説明はそのまま")
                .formParam("owningTeamId", TEAM_SERVER.toString()).formParam("escalationPolicyId", "")
                .formParam("runbookUrl", "ftp://runbooks.example/x").formParam("slackChannel", "bad channel!")
                .post("/ui/settings/services").then().statusCode(400).extract().asString();
        assertTrue(ja.contains("id=\"name-error\">入力してください。"), ja);
        assertTrue(ja.contains("id=\"escalationPolicyId-error\">一覧から選んでください。"), ja);
        assertTrue(ja.contains("id=\"runbookUrl-error\">http:// か https://"), ja);
        assertTrue(ja.contains("id=\"slackChannel-error\">#svc-news-api のような"), ja);
        assertTrue(ja.contains("value=\"ftp://runbooks.example/x\"") && ja.contains(">説明はそのまま</textarea>")
                && ja.contains("value=\"bad channel!\""), "what was typed stays");
        assertTrue(ja.contains("<option value=\"" + TEAM_SERVER + "\" selected>"), "the chosen team stays");
        assertFalse(ja.contains("must be"), "no English on a Japanese page");

        // a name already taken: 409, next to the name, in English on an English page
        String name = "Taken " + UUID.randomUUID().toString().substring(0, 6);
        createService(token, name);
        form(token).formParam("name", name).formParam("owningTeamId", TEAM_SERVER.toString())
                .formParam("escalationPolicyId", POLICY.toString()).post("/ui/settings/services").then().statusCode(409)
                .body(containsString("id=\"name-error\">a service named &#39;" + name + "&#39; already exists"));
        // a team oncall-service does not know (the fake answers 404 for it): next to the team, in Japanese
        form(token, "ja").formParam("name", "Unknown team " + UUID.randomUUID()).formParam("owningTeamId",
                UUID.randomUUID().toString()).formParam("escalationPolicyId", POLICY.toString())
                .post("/ui/settings/services").then().statusCode(400)
                .body(containsString("id=\"owningTeamId-error\">oncall-service にそのチームはありません。"));
        assertEquals(before + 1, TestStack.count("select count(*) from technical_service"));
    }

    @Test
    @TestSecurity(user = "admin", roles = {"viewer", "responder", "admin"})
    void aNewKeyIsShownOnceWithACurlThatWorksThenRotatedAndRevoked() {
        String token = csrf();
        String id = createService(token, "Keys " + UUID.randomUUID().toString().substring(0, 6));
        String shown = createKey(token, id, "Grafana", "events_v2");
        String key = shownKey(shown);
        assertTrue(shown.contains("Copy it now: this is the only time it is shown"), shown);
        assertTrue(shown.contains("curl -sS -X POST &#39;http://localhost:8082/v2/enqueue&#39;")
                && shown.contains("&quot;routing_key&quot;:&quot;" + key + "&quot;"), "a ready curl with the key");
        assertTrue(shown.contains("data-copy=\"key-snippet\"") && shown.contains("/js/copy.js"), "copy buttons");
        assertEquals(IntegrationKeys.hash(key), TestStack.single("select key_hash from integration_key where service_id = ?"
                + " and name = 'Grafana'", UUID.fromString(id)));
        assertEquals(202, enqueueWith(key), "the shown key pages the service");

        // once: the next look at the page (the cookie is gone) shows only its last 4 characters
        String again = page("en").get("/ui/settings/services/" + id).then().statusCode(200).extract().asString();
        assertFalse(again.contains(key), "not shown twice");
        assertTrue(again.contains("…" + key.substring(28)), again);

        String alertmanager = createKey(token, id, "Prometheus", "alertmanager");
        String amKey = shownKey(alertmanager);
        assertTrue(alertmanager.contains("receivers:\n  - name: toban-keys-")
                && alertmanager.contains("      - url: http://localhost:8082/integrations/alertmanager/" + amKey), alertmanager);

        UUID keyId = (UUID) TestStack.single("select id from integration_key where service_id = ? and name = 'Grafana'"
                + " and revoked_at is null", UUID.fromString(id));
        Response rotated = form(token).post("/ui/settings/services/" + id + "/keys/" + keyId + "/rotate");
        rotated.then().statusCode(303).header("Location", endsWith("?done=rotated"));
        String newKey = shownKey(page("en").cookie(FLASH_COOKIE, rotated.cookie(FLASH_COOKIE))
                .get("/ui/settings/services/" + id + "?done=rotated").then().statusCode(200).extract().asString());
        assertTrue(!newKey.equals(key));
        await(() -> enqueueWith(key) == 400);
        assertEquals(202, enqueueWith(newKey));

        UUID newId = (UUID) TestStack.single("select id from integration_key where key_hash = ?", IntegrationKeys.hash(newKey));
        form(token).post("/ui/settings/services/" + id + "/keys/" + newId + "/revoke").then().statusCode(303)
                .header("Location", endsWith("?done=revoked"));
        await(() -> enqueueWith(newKey) == 400);
        // a revoked key is not rotated: the page with the reason, in Japanese
        form(token, "ja").post("/ui/settings/services/" + id + "/keys/" + newId + "/rotate").then().statusCode(409)
                .body(containsString("すでに無効です"));
        // a blank key name: next to the field, and the key table is still there
        form(token, "ja").formParam("keyName", " ").formParam("keyType", "events_v2")
                .post("/ui/settings/services/" + id + "/keys").then().statusCode(400)
                .body(containsString("id=\"keyName-error\">入力してください。"));
    }

    @Test
    @TestSecurity(user = "admin", roles = {"viewer", "responder", "admin"})
    void archivingIsRefusedWhileAKeyIsActiveNamingItWithoutIds() {
        String token = csrf();
        String id = createService(token, "Archive page " + UUID.randomUUID().toString().substring(0, 6));
        shownKey(createKey(token, id, "Bugsnag", "events_v2"));
        String refused = form(token, "ja").post("/ui/settings/services/" + id + "/archive").then().statusCode(409)
                .extract().asString();
        assertTrue(refused.contains("有効なインテグレーションキー「Bugsnag」"), refused);
        UUID keyId = (UUID) TestStack.single("select id from integration_key where service_id = ?", UUID.fromString(id));
        Matcher alert = Pattern.compile("<p class=\"error\" role=\"alert\">([^<]*)</p>").matcher(refused);
        assertTrue(alert.find(), refused);
        assertTrue(alert.group(1).contains("Bugsnag") && !alert.group(1).contains(keyId.toString()), alert.group(1));
        form(token).post("/ui/settings/services/" + id + "/keys/" + keyId + "/revoke").then().statusCode(303);
        form(token).post("/ui/settings/services/" + id + "/archive").then().statusCode(303)
                .header("Location", endsWith("?done=archived"));
        page("en").get("/ui/settings/services").then().statusCode(200).body(not(containsString(id)));
        form(token).post("/ui/settings/services/" + id + "/unarchive").then().statusCode(303);
    }

    @Test
    @TestSecurity(user = "yamada", roles = "viewer")
    void aViewerReadsTheCatalogButIsRefusedEveryChange() {
        String id = TestStack.service("Viewer sees", POLICY)[0];
        String list = page("en").get("/ui/settings/services").then().statusCode(200).extract().asString();
        assertTrue(list.contains("Services and integrations") && !list.contains("id=\"new-service\""), list);
        String one = page("ja").get("/ui/settings/services/" + id).then().statusCode(200).extract().asString();
        assertTrue(one.contains("id=\"service-facts\"") && !one.contains("<form method=\"post\""), one);
        assertFalse(one.contains("integration-keys"), "keys are for admins");
        page("en").get("/ui/settings/services/new").then().statusCode(403);
        String token = csrf();
        form(token).formParam("name", "Forged").formParam("owningTeamId", TEAM_SERVER.toString())
                .formParam("escalationPolicyId", POLICY.toString()).post("/ui/settings/services").then().statusCode(403);
        form(token).formParam("keyName", "Forged").formParam("keyType", "events_v2")
                .post("/ui/settings/services/" + id + "/keys").then().statusCode(403);
        form(token).post("/ui/settings/services/" + id + "/archive").then().statusCode(403);
        assertEquals(0L, TestStack.count("select count(*) from technical_service where name = 'Forged'"));
        assertEquals(1L, TestStack.count("select count(*) from integration_key where service_id = ?", UUID.fromString(id)));
    }

    @Test
    @TestSecurity(user = "admin", roles = {"viewer", "responder", "admin"})
    void aPostWithoutTheCsrfTokenIsRefusedAndAnUnknownServiceIsAPageInThePageLanguage() {
        given().redirects().follow(false).contentType("application/x-www-form-urlencoded").formParam("name", "No token")
                .formParam("owningTeamId", TEAM_SERVER.toString()).formParam("escalationPolicyId", POLICY.toString())
                .post("/ui/settings/services").then().statusCode(403);
        assertEquals(0L, TestStack.count("select count(*) from technical_service where name = 'No token'"));
        page("ja").get("/ui/settings/services/" + UUID.randomUUID()).then().statusCode(404)
                .contentType(containsString("text/html")).body(containsString("サービスカタログにありません"));
        page("en").get("/ui/settings/services/not-an-id").then().statusCode(404)
                .body(containsString("no such service"));
    }

    private static void await(java.util.concurrent.Callable<Boolean> condition) {
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(15)).until(condition);
    }
}

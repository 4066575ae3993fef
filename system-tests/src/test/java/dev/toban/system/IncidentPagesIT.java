package dev.toban.system;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.toban.plumbing.testing.KeycloakTokens;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The IC console in a real browser: the on-call engineer, signed in on Keycloak's page, runs an alert's
 * incident from acknowledgement to disbanding with the buttons; the console follows changes others make
 * through the API by itself; a viewer sees no buttons and a forged POST is refused; the list filters;
 * the downtime page draws SVG.
 */
class IncidentPagesIT extends BrowserIT {

    static final Duration WAIT = Duration.ofSeconds(30);

    static JsonPath incident(String id) {
        return Api.as(KeycloakTokens.YAMADA, toban.incident).get("/api/incidents/" + id)
                .then().statusCode(200).extract().jsonPath();
    }

    /** An alert through the Events v2 API with the demo key, as monitoring sends it; returns the incident id. */
    static String raiseAlert(String summary) {
        given().baseUri(toban.incident.url()).contentType(ContentType.JSON)
                .body(Map.of("routing_key", TobanSystem.demoIntegrationKey(), "event_action", "trigger",
                        "dedup_key", "pages-" + UUID.randomUUID(),
                        "payload", Map.of("summary", summary, "source", "prometheus", "severity", "critical")))
                .post("/v2/enqueue").then().log().ifValidationFails().statusCode(202);
        String id = await().atMost(WAIT).until(() -> Api.as(KeycloakTokens.YAMADA, toban.incident)
                        .get("/api/incidents").then().statusCode(200).extract().jsonPath()
                        .<String>getString("find { it.title == '" + summary + "' }.id"),
                found -> found != null);
        await().atMost(WAIT).until(() -> incident(id).getString("commander.username") != null);
        return id;
    }

    static void awaitState(String id, String state) {
        await().atMost(WAIT).until(() -> state.equals(incident(id).getString("state")));
    }

    @Test
    void theIcRunsTheIncidentFromTheConsole() {
        String summary = "記事 API の 5xx が増加 " + UUID.randomUUID().toString().substring(0, 8);
        String id = raiseAlert(summary);
        // the IC is the server on-call of the demo rotation right now; some of its people have no Keycloak login
        // (only sato, suzuki and tanaka of the responders do), in which case an admin hands the role to sato
        String ic = incident(id).getString("commander.username");
        if (!Set.of(KeycloakTokens.SATO, KeycloakTokens.SUZUKI, KeycloakTokens.TANAKA).contains(ic)) {
            Api.as(KeycloakTokens.ADMIN, toban.incident).body("{\"username\":\"sato\"}")
                    .put("/api/incidents/" + id + "/commander").then().statusCode(200);
            ic = KeycloakTokens.SATO;
        }
        String console = toban.incident.url() + "/ui/incidents/" + id;

        try (Browser browser = new Browser("ja")) {
            // the list, with its filters
            browser.open(toban.incident.url() + "/ui/incidents", ic);
            browser.waitForText("障害一覧");
            assertTrue(browser.text().contains(summary), browser.text());
            browser.screenshot("incidents-list-ja");
            browser.select(By.id("f-severity"), "SEV4");
            browser.clickAndWait(By.id("filter"));
            assertFalse(browser.text().contains(summary), "a SEV1 incident is not among SEV4 ones");
            browser.select(By.id("f-severity"), "SEV1");
            browser.select(By.id("f-service"), Demo.SERVICE_NEWS_API);
            browser.clickAndWait(By.id("filter"));
            assertTrue(browser.text().contains(summary), browser.text());

            // the console: one click to acknowledge
            browser.clickAndWait(By.linkText(summary));
            browser.waitForText("IC の役割");
            assertTrue(browser.driver.getCurrentUrl().startsWith(console));
            browser.screenshot("incident-console-triggered-ja");
            browser.clickAndWait(By.id("acknowledge"));
            browser.waitForText("対応を開始しました");
            awaitState(id, "acknowledged");

            // a status update and the owning team
            browser.waitFor(By.id("message")).sendKeys("直前のデプロイを切り戻しています。次の報告は 15 分後。");
            browser.clickAndWait(By.id("post-update"));
            browser.waitForText("状況を報告しました");
            browser.select(By.id("teamId"), Demo.TEAM_SERVER);
            browser.clickAndWait(By.id("assign-team"));
            browser.waitForText("担当チームをアサインしました");
            JsonPath now = incident(id);
            assertEquals(Demo.TEAM_SERVER, now.getString("owningTeam.id"));
            List<String> kinds = Api.as(KeycloakTokens.YAMADA, toban.incident).get("/api/incidents/" + id + "/timeline")
                    .then().extract().jsonPath().getList("kind");
            assertTrue(kinds.contains("status_update") && kinds.contains("team_assigned"), kinds.toString());

            // someone else acts through the API: the open console shows it without a reload
            String before = browser.driver.getCurrentUrl();
            Api.as(KeycloakTokens.ADMIN, toban.incident).body("{\"username\":\"tanaka\"}")
                    .put("/api/incidents/" + id + "/liaison").then().statusCode(200);
            Api.as(KeycloakTokens.ADMIN, toban.incident).body("{\"message\":\"Customer support informed\"}")
                    .post("/api/incidents/" + id + "/status-updates").then().statusCode(200);
            new WebDriverWait(browser.driver, WAIT).ignoring(org.openqa.selenium.StaleElementReferenceException.class)
                    .until(d -> d.findElement(By.id("liaison")).getText().contains("Tanaka"));
            browser.waitForText("Customer support informed");
            assertEquals(before, browser.driver.getCurrentUrl(), "no navigation: the live part refreshed");
            browser.screenshot("incident-console-live-ja");

            // mitigate, resolve, declare disbanded
            browser.clickAndWait(By.id("mitigate"));
            browser.waitForText("暫定復旧にしました");
            awaitState(id, "mitigated");
            browser.clickAndWait(By.id("resolve"));
            browser.waitForText("解決にしました");
            awaitState(id, "resolved");
            browser.clickAndWait(By.id("disband"));
            browser.waitForText("解散を宣言しました");
            awaitState(id, "closed");
            assertTrue(browser.driver.findElements(By.cssSelector("li.done[data-duty=disband]")).size() == 1,
                    "the duty checklist ticks disbanding");
            browser.screenshot("incident-console-disbanded-ja");

            // the downtime charts
            browser.open(toban.incident.url() + "/ui/downtime");
            browser.waitForText("検知までの時間");
            assertEquals(3, browser.driver.findElements(By.cssSelector("section.chart > svg")).size());
            assertFalse(browser.driver.findElements(By.cssSelector("#downtime-table tbody tr")).isEmpty());
            browser.screenshot("downtime-ja");

            // the delivery log of notify-service (same Keycloak session): the incident's notifications
            browser.open(toban.notify.url() + "/ui/deliveries");
            browser.waitForText("通知の配信");
            assertFalse(browser.driver.findElements(By.cssSelector("#deliveries tbody tr")).isEmpty(), "deliveries listed");
            assertTrue(browser.driver.findElements(By.cssSelector("button.replay")).isEmpty(), "replay is for admins");
            browser.screenshot("deliveries-ja");
        }

        try (Browser english = new Browser("en")) {
            english.open(console, ic);
            english.waitForText("IC duties");
            english.screenshot("incident-console-en");
            english.open(toban.incident.url() + "/ui/downtime");
            english.waitForText("Time to detect");
            english.screenshot("downtime-en");
        }
    }

    @Test
    void aViewerSeesNoButtonsAndAForgedPostIsRefused() {
        String id = raiseAlert("Search returns nothing " + UUID.randomUUID().toString().substring(0, 8));
        try (Browser browser = new Browser("ja")) {
            browser.open(toban.incident.url() + "/ui/incidents/" + id, KeycloakTokens.YAMADA);
            browser.waitForText("IC の役割");
            assertTrue(browser.driver.findElements(By.cssSelector("form[method=post]")).isEmpty(), "no forms");
            assertTrue(browser.driver.findElements(By.id("acknowledge")).isEmpty(), "no acknowledge button");
            browser.screenshot("incident-console-viewer-ja");
            // a forged POST with a valid CSRF token (from the SOS form, which viewers may use): still 403
            browser.open(toban.incident.url() + "/ui/sos");
            browser.waitFor(By.id("what"));
            assertEquals(403, browser.forgePost("/ui/incidents/" + id + "/acknowledge", "x=1"));
            assertEquals(403, browser.forgePost("/ui/incidents/" + id + "/status-update", "message=hello"));
        }
        assertEquals("triggered", incident(id).getString("state"));
    }
}

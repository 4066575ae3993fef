package dev.toban.system;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.toban.plumbing.testing.KeycloakTokens;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.NoSuchElementException;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The demo's Slack, as a newcomer running {@code bin/toban up} without a Slack token meets it: after a real
 * Keycloak sign-in in Chromium, the Slack sandbox's page shows the on-call duty notice 運用当番のお知らせ and the
 * incident's thread, and the IC runs the incident from it: acknowledges with the parent's button, posts a
 * status update through the modal, assigns the team through its modal, resolves and disbands. The IC
 * console, the timeline and the parent message agree at every step.
 */
@Tag("browser") // a tier: bin/toban test --quick leaves it out
class SlackSandboxIT {

    static final Duration WAIT = Duration.ofSeconds(30);
    static TobanSystem toban;

    @BeforeAll
    static void startToban() {
        assumeTrue(Browser.available(), "Debian's chromium and chromium-driver are installed by bin/toban test");
        toban = TobanSystem.startWithSlackSandbox();
        toban.mirrorRealmRoles();
    }

    @AfterAll
    static void stopToban() {
        if (toban != null) {
            toban.close();
            toban = null;
        }
    }

    static JsonPath incident(String id) {
        return Api.as(KeycloakTokens.YAMADA, toban.incident).get("/api/incidents/" + id)
                .then().statusCode(200).extract().jsonPath();
    }

    static List<String> timeline(String id) {
        return Api.as(KeycloakTokens.YAMADA, toban.incident).get("/api/incidents/" + id + "/timeline")
                .then().statusCode(200).extract().jsonPath().getList("kind");
    }

    static void awaitState(String id, String state) {
        await().atMost(WAIT).until(() -> state.equals(incident(id).getString("state")));
    }

    @Test
    void theIcRunsAnIncidentFromTheSlackSandbox() {
        // sato takes the server rotation from now: the handoff is announced, and sato is the IC of the next alert
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        Api.as(KeycloakTokens.ADMIN, toban.oncall)
                .body(Map.of("personId", Demo.SATO, "start", now.toString(), "end", now.plus(Duration.ofHours(3)).toString()))
                .post("/api/schedules/" + Demo.SCHEDULE_SERVER + "/overrides").then().statusCode(201);
        Api.as(KeycloakTokens.ADMIN, toban.oncall).post("/api/oncall/handoffs/tick").then().statusCode(200);

        String summary = "Slack から対応: 記事 API 5xx " + UUID.randomUUID().toString().substring(0, 8);
        given().baseUri(toban.incident.url()).contentType(ContentType.JSON)
                .body(Map.of("routing_key", TobanSystem.demoIntegrationKey(), "event_action", "trigger",
                        "dedup_key", "slack-" + UUID.randomUUID(),
                        "payload", Map.of("summary", summary, "source", "prometheus", "severity", "critical")))
                .post("/v2/enqueue").then().statusCode(202);
        String id = await().atMost(WAIT).until(() -> Api.as(KeycloakTokens.YAMADA, toban.incident)
                        .get("/api/incidents").then().statusCode(200).extract().jsonPath()
                        .<String>getString("find { it.title == '" + summary + "' }.id"), found -> found != null);
        await().atMost(WAIT).until(() -> incident(id).getString("commander.username") != null);
        if (!KeycloakTokens.SATO.equals(incident(id).getString("commander.username"))) {
            Api.as(KeycloakTokens.ADMIN, toban.incident).body("{\"username\":\"sato\"}")
                    .put("/api/incidents/" + id + "/commander").then().statusCode(200);
        }
        String number = "#" + incident(id).getString("number");

        try (Browser browser = new Browser("ja")) {
            // the workspace: sato's DMs (the handoff notice, the page) and the service's channel
            browser.open(toban.notify.url() + "/ui/slack", KeycloakTokens.SATO);
            browser.waitForText("Slack サンドボックス");
            browser.clickAndWait(By.cssSelector("#dms a[data-dm='D0TBNSATO']"));
            browser.waitForText("運用当番のお知らせ");
            browser.waitForText(summary);
            assertFalse(browser.driver.findElements(By.cssSelector("button[data-action='toban.ack']")).isEmpty(),
                    "the page DM has Acknowledge");
            browser.screenshot("slack-sandbox-dm-ja");

            browser.open(toban.notify.url() + "/ui/slack");
            browser.clickAndWait(By.cssSelector("#channels a[data-channel='#svc-news-api']"));
            browser.waitForText(summary);
            assertEquals(List.of("toban.ack", "toban.take_ic", "toban.handover_ic", "toban.assign_team",
                    "toban.status_update", "toban.war_room", "toban.mitigate", "toban.resolve", "toban.open"),
                    parentActions(browser.driver, summary));
            browser.screenshot("slack-sandbox-thread-ja");

            // 1. acknowledge with the parent's button
            press(browser, summary, "toban.ack");
            awaitState(id, "acknowledged");
            awaitParent(browser.driver, summary, actions -> !actions.contains("toban.ack"));
            browser.waitForText("対応中");

            // 2. a status update through the modal
            press(browser, summary, "toban.status_update");
            WebElement message = awaitModal(browser, "in-message");
            String update = "直前のデプロイを切り戻しています " + UUID.randomUUID().toString().substring(0, 6);
            message.sendKeys(update);
            browser.select(By.id("in-next_update"), "30");
            browser.screenshot("slack-sandbox-modal-ja");
            browser.clickAndWait(By.id("modal-submit"));
            await().atMost(WAIT).until(() -> browser.driver.findElements(By.id("modal")).isEmpty());
            await().atMost(WAIT).until(() -> timeline(id).contains("status_update"));
            browser.waitForText("最新の状況: " + update);

            // 3. the owning team through its modal
            press(browser, summary, "toban.assign_team");
            awaitModal(browser, "in-team");
            browser.select(By.id("in-team"), Demo.TEAM_SERVER);
            browser.clickAndWait(By.id("modal-submit"));
            await().atMost(WAIT).until(() -> Demo.TEAM_SERVER.equals(incident(id).getString("owningTeam.id")));

            // 4. resolve, 5. disband
            press(browser, summary, "toban.resolve");
            awaitState(id, "resolved");
            awaitParent(browser.driver, summary, actions -> actions.equals(List.of("toban.disband", "toban.status_update",
                    "toban.open")));
            press(browser, summary, "toban.disband");
            awaitState(id, "closed");
            awaitParent(browser.driver, summary, actions -> actions.contains("toban.pm_hold") && actions.contains("toban.pm_skip"));
            browser.waitForText("クローズ（対応体制解散）");
            browser.screenshot("slack-sandbox-closed-ja");

            // the console and the timeline agree with Slack
            List<String> kinds = timeline(id);
            assertTrue(kinds.containsAll(List.of("status_update", "team_assigned")), kinds.toString());
            browser.open(toban.incident.url() + "/ui/incidents/" + id);
            browser.waitForText(update);
            browser.waitForText(number);
            assertTrue(browser.text().contains("Hanako Sato"), "the actions are attributed to the person who clicked");
            browser.screenshot("slack-sandbox-console-ja");
        }
    }

    /**
     * Clicks a button of the incident's parent message and waits for the page the form post leads to (the
     * live refresh may replace the button meanwhile, so a stale button alone says nothing).
     */
    static void press(Browser browser, String summary, String action) {
        JavascriptExecutor js = (JavascriptExecutor) browser.driver;
        new WebDriverWait(browser.driver, WAIT).ignoring(StaleElementReferenceException.class)
                .ignoring(NoSuchElementException.class).until(d -> {
                    WebElement button = parent(d, summary).findElement(By.cssSelector("button[data-action='" + action + "']"));
                    js.executeScript("window.tobanBeforeClick = true;");
                    button.click();
                    return true;
                });
        new WebDriverWait(browser.driver, WAIT).until(d -> Boolean.TRUE.equals(js.executeScript(
                "return window.tobanBeforeClick === undefined && document.readyState === 'complete';")));
    }

    /** The modal on top: it appears once Toban opened it (views.open), at the latest after a reload. */
    static WebElement awaitModal(Browser browser, String field) {
        return new WebDriverWait(browser.driver, WAIT).ignoring(StaleElementReferenceException.class).until(d -> {
            List<WebElement> found = d.findElements(By.id(field));
            if (!found.isEmpty() && found.get(0).isDisplayed()) {
                return found.get(0);
            }
            d.navigate().refresh();
            return null;
        });
    }

    static WebElement parent(WebDriver driver, String summary) {
        for (WebElement message : driver.findElements(By.cssSelector("ol.slack-messages > li.slack-message"))) {
            if (message.findElement(By.cssSelector(".slack-blocks, .slack-text")).getText().contains(summary)
                    && !message.findElements(By.cssSelector("a[data-action='toban.open']")).isEmpty()) {
                return message;
            }
        }
        throw new NoSuchElementException("no parent message for " + summary);
    }

    static List<String> parentActions(WebDriver driver, String summary) {
        return parent(driver, summary).findElements(By.cssSelector(".slack-blocks > .slack-actions [data-action]")).stream()
                .map(e -> e.getDomAttribute("data-action")).toList();
    }

    /** Waits until the parent's buttons (kept current by chat.update and the page's live refresh) pass {@code check}. */
    static void awaitParent(WebDriver driver, String summary, java.util.function.Predicate<List<String>> check) {
        new WebDriverWait(driver, WAIT).ignoring(StaleElementReferenceException.class)
                .ignoring(NoSuchElementException.class).until(d -> check.test(parentActions(d, summary)));
    }
}

package dev.toban.system;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.toban.plumbing.testing.KeycloakTokens;
import io.restassured.http.ContentType;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;

/**
 * Services and integrations in a real browser after a Keycloak sign-in: an admin creates a service choosing its
 * team and policy by name, adds an Events API v2 key and sees it once with a ready curl (which pages the service),
 * edits the service, gets bad input back with the text kept and the problem beside the field, and a viewer is
 * refused.
 */
class ServicePagesIT extends BrowserIT {

    @Test
    void anAdminSetsUpAServiceAndItsKeyFromThePage() {
        String incident = toban.incident.url();
        String name = "決済 API " + UUID.randomUUID().toString().substring(0, 6);
        String serviceUrl;
        try (Browser admin = new Browser("ja")) {
            admin.open(incident + "/ui/settings/services", KeycloakTokens.ADMIN);
            admin.waitForText("サービスとインテグレーション");
            assertTrue(admin.text().contains("News API"), "the demo catalog is listed");
            admin.screenshot("services-list-ja");

            admin.clickAndWait(By.id("new-service"));
            admin.waitFor(By.id("name"));
            // refused: no name, an ftp runbook; what was typed stays and the problems are beside the fields
            admin.driver.findElement(By.id("runbookUrl")).sendKeys("ftp://runbooks.example/pay");
            admin.driver.findElement(By.id("slackChannel")).sendKeys("#svc-payments");
            admin.select(By.id("owningTeamId"), Demo.TEAM_SERVER);
            admin.select(By.id("escalationPolicyId"), Demo.POLICY_SERVER);
            admin.clickAndWait(By.id("save-service"));
            admin.waitFor(By.id("name-error"));
            assertEquals("入力してください。", admin.driver.findElement(By.id("name-error")).getText());
            assertTrue(admin.driver.findElement(By.id("runbookUrl-error")).getText().contains("https://"));
            assertEquals("ftp://runbooks.example/pay", admin.driver.findElement(By.id("runbookUrl")).getAttribute("value"));
            assertEquals("#svc-payments", admin.driver.findElement(By.id("slackChannel")).getAttribute("value"));
            admin.screenshot("services-new-refused-ja");

            // the team and the policy are chosen by their names
            assertTrue(admin.driver.findElement(By.cssSelector("#owningTeamId option[value='" + Demo.TEAM_SERVER + "']"))
                    .getText().contains("Server"));
            assertTrue(admin.driver.findElement(By.cssSelector("#escalationPolicyId option[value='" + Demo.POLICY_SERVER
                    + "']")).getText().contains("Server default"));
            admin.driver.findElement(By.id("name")).sendKeys(name);
            admin.driver.findElement(By.id("runbookUrl")).clear();
            admin.driver.findElement(By.id("runbookUrl")).sendKeys("https://runbooks.example/payments");
            admin.clickAndWait(By.id("save-service"));
            admin.waitForText("サービスを作成しました");
            serviceUrl = admin.driver.getCurrentUrl().replaceAll("\\?.*$", "");
            assertFalse(admin.text().matches("(?s).*[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}.*"),
                    "no id on the page");
            admin.screenshot("services-created-ja");

            // a key: shown once, with a curl that a shell can run
            admin.driver.findElement(By.id("keyName")).sendKeys("Grafana 本番");
            admin.select(By.id("keyType"), "events_v2");
            admin.clickAndWait(By.id("create-key"));
            admin.waitFor(By.id("new-key"));
            String key = admin.driver.findElement(By.id("new-key")).getText().strip();
            assertEquals(32, key.length(), key);
            String curl = admin.driver.findElement(By.id("key-snippet")).getText();
            assertTrue(curl.startsWith("curl ") && curl.contains(incident + "/v2/enqueue") && curl.contains(key), curl);
            assertFalse(admin.driver.getCurrentUrl().contains(key), "never in the URL");
            assertTrue(admin.driver.findElement(By.cssSelector("button[data-copy='key-snippet']")).isDisplayed(),
                    "the copy button (static script) is there");
            admin.screenshot("services-key-shown-ja");

            // the curl's request pages the service: an incident opens and its on-call becomes IC
            String summary = "Setup check " + UUID.randomUUID().toString().substring(0, 6);
            given().baseUri(incident).contentType(ContentType.JSON)
                    .body(Map.of("routing_key", key, "event_action", "trigger", "dedup_key", "setup-" + UUID.randomUUID(),
                            "payload", Map.of("summary", summary, "source", "setup-check", "severity", "critical")))
                    .post("/v2/enqueue").then().statusCode(202);
            await().atMost(Duration.ofSeconds(30)).until(() -> Api.as(KeycloakTokens.YAMADA, toban.incident)
                    .get("/api/incidents").then().statusCode(200).extract().jsonPath()
                    .getString("find { it.title == '" + summary + "' }.commander.username") != null);

            // reloading shows the key no more
            admin.open(serviceUrl);
            admin.waitFor(By.id("integration-keys"));
            assertFalse(admin.text().contains(key), "shown once");
            assertTrue(admin.text().contains("…" + key.substring(28)));

            // edit: a new channel; a bad one is refused beside the field with the text kept
            admin.driver.findElement(By.id("slackChannel")).clear();
            admin.driver.findElement(By.id("slackChannel")).sendKeys("pay ments!");
            admin.clickAndWait(By.id("save-service"));
            admin.waitFor(By.id("slackChannel-error"));
            assertEquals("pay ments!", admin.driver.findElement(By.id("slackChannel")).getAttribute("value"));
            admin.screenshot("services-edit-refused-ja");
            admin.driver.findElement(By.id("slackChannel")).clear();
            admin.driver.findElement(By.id("slackChannel")).sendKeys("#svc-payments-alerts");
            admin.clickAndWait(By.id("save-service"));
            admin.waitForText("保存しました");
            assertEquals("#svc-payments-alerts", admin.driver.findElement(By.id("slackChannel")).getAttribute("value"));
        }

        try (Browser english = new Browser("en")) {
            english.open(serviceUrl, KeycloakTokens.ADMIN);
            english.waitForText("Integration keys");
            english.screenshot("services-edit-en");
        }

        try (Browser yamada = new Browser("en")) {
            yamada.open(incident + "/ui/settings/services", KeycloakTokens.YAMADA);
            yamada.waitForText("Services and integrations");
            assertTrue(yamada.driver.findElements(By.id("new-service")).isEmpty(), "no write buttons");
            yamada.open(serviceUrl);
            yamada.waitFor(By.id("service-facts"));
            assertTrue(yamada.driver.findElements(By.cssSelector("main form[method=post]")).isEmpty(), "read only");
            assertTrue(yamada.driver.findElements(By.id("integration-keys")).isEmpty(), "keys are for admins");
            yamada.screenshot("services-viewer-en");
            String path = serviceUrl.substring(serviceUrl.indexOf("/ui/"));
            // a forged POST with a valid CSRF token (from a page yamada may use: the SOS form) is refused by role
            yamada.open(incident + "/ui/sos");
            yamada.waitFor(By.id("send-sos"));
            assertEquals(403L, yamada.forgePost(path + "/keys", "keyName=forged&keyType=events_v2"));
            assertEquals(403L, yamada.forgePost("/ui/settings/services", "name=Forged&owningTeamId=" + Demo.TEAM_SERVER
                    + "&escalationPolicyId=" + Demo.POLICY_SERVER));
        }
    }
}

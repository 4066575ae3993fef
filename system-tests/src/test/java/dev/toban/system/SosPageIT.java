package dev.toban.system;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.toban.plumbing.testing.KeycloakTokens;
import io.restassured.path.json.JsonPath;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.support.ui.WebDriverWait;

/** Business staff raise an SOS from the web form in Japanese and learn who is looking into it. */
class SosPageIT extends BrowserIT {

    @Test
    void aBusinessMemberRaisesAnSosAndSeesWhoIsOnIt() {
        String what = "アプリで記事が開けません " + UUID.randomUUID().toString().substring(0, 8);
        try (Browser browser = new Browser("ja")) {
            browser.open(toban.incident.url() + "/ui/sos", KeycloakTokens.YAMADA);
            browser.waitForText("何が起きていますか");
            browser.screenshot("sos-form-ja");

            // nothing written: the form again with a message
            browser.clickAndWait(By.id("send-sos"));
            browser.waitForText("何が起きているかを書いてください");
            browser.screenshot("sos-form-error-ja");

            browser.waitFor(By.id("what")).sendKeys(what);
            browser.driver.findElement(By.cssSelector("input[name=since][value='15m']")).click();
            browser.driver.findElement(By.cssSelector("input[name=affected][value=many]")).click();
            browser.clickAndWait(By.id("send-sos"));
            browser.waitForText("SOS を受け付けました");
            // the IC is found right after the incident opens; the confirmation shows them without a reload
            String who = new WebDriverWait(browser.driver, Duration.ofSeconds(30))
                    .ignoring(org.openqa.selenium.StaleElementReferenceException.class)
                    .until(d -> d.findElements(By.id("looking-into-it")).isEmpty() ? null
                            : d.findElement(By.id("looking-into-it")).getText());
            browser.screenshot("sos-confirmation-ja");

            String url = browser.driver.getCurrentUrl();
            String id = url.substring(url.lastIndexOf('/') + 1);
            JsonPath incident = Api.as(KeycloakTokens.YAMADA, toban.incident).get("/api/incidents/" + id)
                    .then().statusCode(200).extract().jsonPath();
            assertEquals("sos", incident.getString("source"));
            assertEquals("SOS: " + what, incident.getString("title"));
            assertEquals(incident.getString("commander.name"), who);
            assertTrue(browser.text().contains("#" + incident.getLong("number")), browser.text());
            assertEquals("影響を受けているユーザー: 多くのユーザー", incident.getString("impact"));
        }
        try (Browser english = new Browser("en")) {
            english.open(toban.incident.url() + "/ui/sos", KeycloakTokens.YAMADA);
            english.waitForText("What is wrong?");
            english.screenshot("sos-form-en");
        }
    }
}

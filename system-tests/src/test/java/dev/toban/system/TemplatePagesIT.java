package dev.toban.system;

import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.toban.plumbing.testing.KeycloakTokens;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The templates page in a real browser after a real Keycloak sign-in: the admin edits the handoff notice
 * (運用当番のお知らせ) with the live preview in Japanese and English, a broken template is refused with its text
 * kept and the problem next to the field, the saved text is what the on-call board reads, and a viewer is refused.
 */
class TemplatePagesIT extends BrowserIT {

    static final String NOTICE = "/ui/settings/templates/handoff.notice";

    /** Waits until the live preview of {@code locale} shows {@code text} (the script posts as one types). */
    static void previewShows(Browser browser, String locale, String text) {
        try {
            new WebDriverWait(browser.driver, Duration.ofSeconds(15))
                    .ignoring(org.openqa.selenium.StaleElementReferenceException.class)
                    .until(d -> d.findElement(By.id("preview-" + locale)).getText().contains(text));
        } catch (org.openqa.selenium.TimeoutException e) {
            throw new AssertionError("the " + locale + " preview never showed '" + text + "': "
                    + browser.driver.findElement(By.id("preview-" + locale)).getText(), e);
        }
    }

    static void type(Browser browser, String locale, String text) {
        WebElement area = browser.waitFor(By.id("source-" + locale));
        area.sendKeys(Keys.chord(Keys.CONTROL, "a"), Keys.DELETE);
        area.sendKeys(text);
    }

    @Test
    void anAdminEditsTheHandoffNoticeWithALivePreviewAndABrokenTemplateIsRefused() {
        String notify = toban.notify.url();
        try (Browser admin = new Browser("ja")) {
            admin.open(notify + "/ui/settings/templates", KeycloakTokens.ADMIN);
            admin.waitForText("メッセージのテンプレート");
            assertTrue(admin.text().contains("運用当番のお知らせ") && admin.text().contains("インシデント: 親メッセージ"));
            admin.screenshot("templates-list-ja");

            admin.clickAndWait(By.cssSelector("tr[data-template='handoff.notice'] a.edit"));
            admin.waitFor(By.id("source-ja"));
            // both previews from the start, rendered with the sample shift
            previewShows(admin, "ja", "Hanako Sato さん、");
            previewShows(admin, "en", "Hanako Sato, you are on call for Server");
            admin.screenshot("templates-handoff-notice-ja");

            // live: the preview follows the typing, in each language, with no button pressed
            type(admin, "ja", "*今週の運用当番* {person.name} さん、よろしくお願いします :wave:\n当番表: {schedule.name}");
            previewShows(admin, "ja", "今週の運用当番 Hanako Sato さん、よろしくお願いします 👋");
            type(admin, "en", "*This week's on-call* {person.name}, thank you :wave:\nSchedule: {schedule.name}");
            previewShows(admin, "en", "This week's on-call Hanako Sato, thank you 👋");
            assertEquals("true", admin.driver.findElement(By.id("error-ja")).getDomProperty("hidden"), "no problem shown");
            admin.screenshot("templates-live-preview-ja");

            // a broken text: the live preview says so next to the field, in Japanese
            type(admin, "ja", "*今週の運用当番*\n{#if person}{person.name}{/for}");
            previewShows(admin, "ja", "2 行目: テンプレートの書き方に誤りがあります。");
            assertFalse(admin.driver.findElement(By.id("error-ja")).getText().isBlank(), "the problem is next to the field");
            // saving it anyway: refused, the typed text kept, nothing saved
            admin.clickAndWait(By.cssSelector("button.save"));
            admin.waitForText("保存していません。");
            assertEquals("*今週の運用当番*\n{#if person}{person.name}{/for}",
                    admin.driver.findElement(By.id("source-ja")).getDomProperty("value"));
            assertTrue(admin.driver.findElement(By.id("error-ja")).getText().contains("2 行目"));
            assertTrue(admin.driver.findElement(By.id("source-en")).getDomProperty("value").startsWith("*This week's on-call*"),
                    "the other language's text is kept too");
            Api.as(KeycloakTokens.ADMIN, toban.notify).get("/api/templates/handoff.notice").then().statusCode(200)
                    .body("locales[0].overridden", equalTo(false)).body("locales[1].overridden", equalTo(false));
            admin.screenshot("templates-refused-ja");

            // fixed and saved: post/redirect/get with a notice; the board's rendered notice has the new text
            type(admin, "ja", "*今週の運用当番* {person.name} さん、よろしくお願いします :wave:\n当番表: {schedule.name}");
            previewShows(admin, "ja", "今週の運用当番 Hanako Sato さん");
            admin.clickAndWait(By.cssSelector("button.save"));
            admin.waitForText("保存しました。");
            assertTrue(admin.driver.getCurrentUrl().endsWith(NOTICE + "?done=saved"), admin.driver.getCurrentUrl());
            admin.screenshot("templates-saved-ja");
            Api.as(KeycloakTokens.YAMADA, toban.notify).get("/api/templates/handoff.notice/rendered?locale=ja")
                    .then().statusCode(200).body("subject", equalTo("今週の運用当番 Hanako Sato さん、よろしくお願いします")); // no emoji in subjects
            Api.as(KeycloakTokens.YAMADA, toban.notify).get("/api/templates/handoff.notice/rendered?locale=en")
                    .then().statusCode(200).body("subject", equalTo("This week's on-call Hanako Sato, thank you"));

            // back to the defaults, one language at a time
            admin.clickAndWait(By.cssSelector("button.restore[value='ja']"));
            admin.waitForText("既定の文面に戻しました。");
            admin.clickAndWait(By.cssSelector("button.restore[value='en']"));
            admin.waitForText("既定の文面に戻しました。");
            previewShows(admin, "ja", "運用当番のお知らせ");
        }

        try (Browser admin = new Browser("en")) {
            admin.open(notify + NOTICE, KeycloakTokens.ADMIN);
            admin.waitFor(By.id("source-en"));
            type(admin, "en", "{person.nmae}");
            previewShows(admin, "en", "Line 1: the sample data has no value for {person.nmae}.");
            admin.screenshot("templates-live-error-en");
        }

        try (Browser yamada = new Browser("ja")) {
            yamada.open(notify + NOTICE, KeycloakTokens.YAMADA);
            assertTrue(yamada.driver.findElements(By.tagName("textarea")).isEmpty(), "a viewer sees no editor");
            yamada.screenshot("templates-viewer-refused-ja");
            // a forged save from the viewer's browser is refused (with a matching CSRF pair too: TemplatePageResourceTest)
            long status = yamada.forgePost(NOTICE, "source_ja=x&source_en=y&action=save");
            assertEquals(403L, status);
            Api.as(KeycloakTokens.ADMIN, toban.notify).get("/api/templates/handoff.notice").then().statusCode(200)
                    .body("locales[0].overridden", equalTo(false));
        }
    }
}

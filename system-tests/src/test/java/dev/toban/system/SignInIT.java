package dev.toban.system;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.toban.plumbing.testing.KeycloakTokens;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;

/** One Keycloak sign-in covers every service's pages; signing out ends it everywhere. */
class SignInIT extends BrowserIT {

    @Test
    void oneSignInCoversAllServicesAndSignOutEndsItEverywhere() {
        try (Browser browser = new Browser("ja")) {
            browser.open(toban.oncall.url() + "/ui/oncall", KeycloakTokens.SATO);
            browser.waitFor(By.tagName("h1"));
            assertTrue(browser.text().contains("いまの運用当番"), browser.text());
            browser.screenshot("sign-in-oncall-ja");

            // the pages carry a Content-Security-Policy that chromium enforces, and the check every
            // browser IT runs at close() sees what it blocks: an injected inline script is refused
            ((JavascriptExecutor) browser.driver).executeScript(
                    "var s = document.createElement('script'); s.textContent = 'window.injected = 1';"
                            + " document.head.appendChild(s);");
            assertEquals(null, ((JavascriptExecutor) browser.driver).executeScript(
                    "return window.injected === undefined ? null : window.injected;"), "the inline script ran");
            assertFalse(browser.cspViolations().isEmpty(), "the blocked inline script is reported");

            // the other services' pages open without a second login (Keycloak's SSO session)
            browser.open(toban.incident.url() + "/signed-out");
            browser.open(toban.incident.url() + "/ui/incidents");
            assertFalse(browser.isLoginPage(), "no second sign-in for incident-service");

            // sign out on one service...
            browser.open(toban.oncall.url() + "/ui/logout");
            browser.waitForText("ログアウト");
            // ...and every service asks to sign in again
            browser.open(toban.incident.url() + "/ui/incidents");
            assertTrue(browser.isLoginPage(), "incident-service's session ended too");
            browser.screenshot("signed-out-everywhere");
        }
    }
}

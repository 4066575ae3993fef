package dev.toban.system;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.toban.plumbing.testing.KeycloakTokens;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;

/** One Keycloak sign-in covers every service's pages; signing out ends it everywhere. */
class SignInIT extends BrowserIT {

    @Test
    void oneSignInCoversAllServicesAndSignOutEndsItEverywhere() {
        try (Browser browser = new Browser("ja")) {
            browser.open(toban.oncall.url() + "/ui/oncall", KeycloakTokens.SATO);
            browser.waitFor(By.tagName("h1"));
            assertTrue(browser.text().contains("いまの運用当番"), browser.text());
            browser.screenshot("sign-in-oncall-ja");

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

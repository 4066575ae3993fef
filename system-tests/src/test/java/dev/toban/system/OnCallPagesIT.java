package dev.toban.system;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.toban.plumbing.testing.KeycloakTokens;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;

/**
 * The on-call pages in a real browser after a real Keycloak sign-in: the board, the schedule's week
 * and month, a cover request by sato accepted by suzuki, my page's calendar link, and a viewer who
 * sees no buttons and whose forged POST is refused.
 */
class OnCallPagesIT extends BrowserIT {

    static int openCoverRequests() {
        return Api.as(KeycloakTokens.ADMIN, toban.oncall).queryParam("scheduleId", Demo.SCHEDULE_SERVER)
                .queryParam("status", "open").get("/api/cover-requests").then().statusCode(200)
                .extract().jsonPath().getList("id").size();
    }

    @Test
    void boardSchedulesCoverRequestsAndMyPage() {
        String oncall = toban.oncall.url();
        String schedule = oncall + "/ui/schedules/" + Demo.SCHEDULE_SERVER;
        // sato's next shift in the server schedule decides which week the cover is asked in
        Instant now = Instant.now();
        List<Map<String, Object>> shifts = Api.as(KeycloakTokens.ADMIN, toban.oncall)
                .queryParam("from", now.toString()).queryParam("to", now.plus(Duration.ofDays(40)).toString())
                .get("/api/schedules/" + Demo.SCHEDULE_SERVER + "/shifts").then().statusCode(200)
                .extract().jsonPath().getList("shifts.findAll { it.person.username == 'sato' }");
        assertFalse(shifts.isEmpty(), "sato is on call within 40 days");
        String day = Instant.parse((String) shifts.get(0).get("start")).atZone(java.time.ZoneId.of("Asia/Tokyo"))
                .toLocalDate().toString();

        try (Browser sato = new Browser("ja")) {
            sato.open(oncall + "/ui/oncall", KeycloakTokens.SATO);
            sato.waitForText("次の交代");
            assertTrue(sato.text().contains("いまの運用当番"));
            assertFalse(sato.driver.findElements(By.cssSelector("a.contact.slack[href^='https://slack.com/app_redirect?channel=']")).isEmpty());
            assertFalse(sato.driver.findElements(By.cssSelector("a.contact.mail[href^='mailto:']")).isEmpty());
            assertEquals(2, sato.driver.findElements(By.cssSelector("section.oncall-card")).size(), "server and mobile");
            sato.screenshot("oncall-board-ja");

            sato.open(oncall + "/ui/schedules");
            sato.waitForText("Server");
            sato.screenshot("oncall-schedules-ja");

            sato.open(schedule + "?view=month&from=" + day);
            sato.waitFor(By.cssSelector("table.calendar.month"));
            int days = sato.driver.findElements(By.cssSelector("table.calendar tbody tr")).size();
            assertTrue(days >= 28 && days <= 31, days + " days in a month");
            sato.screenshot("oncall-schedule-month-ja");

            sato.open(schedule + "?view=week&from=" + day);
            sato.waitFor(By.cssSelector("table.calendar.week"));
            assertEquals(7, sato.driver.findElements(By.cssSelector("table.calendar tbody tr")).size());
            sato.screenshot("oncall-schedule-week-ja");

            sato.open(oncall + "/ui/me");
            sato.waitForText("カレンダー購読");
            assertTrue(sato.text().contains("今後の当番"));
            sato.screenshot("oncall-me-ja");
        }

        // everything read-only is checked before the first form post
        try (Browser yamada = new Browser("en")) {
            yamada.open(oncall + "/ui/oncall", KeycloakTokens.YAMADA);
            yamada.waitForText("Next handoff");
            yamada.screenshot("oncall-board-en");
            yamada.open(schedule + "?view=week&from=" + day);
            yamada.waitForText("Effective on call");
            assertTrue(yamada.driver.findElements(By.cssSelector("main form[method=post]")).isEmpty(), "no write buttons");
            yamada.screenshot("oncall-schedule-viewer-en");
            // a forged POST with a valid CSRF token (from yamada's own page) is refused by role
            int before = openCoverRequests();
            Object status = ((JavascriptExecutor) yamada.driver).executeAsyncScript("""
                    const done = arguments[arguments.length - 1];
                    fetch('/ui/me').then(r => r.text()).then(html => {
                      const token = /name="csrf" value="([^"]+)"/.exec(html)[1];
                      return fetch('/ui/schedules/%s/cover-requests', { method: 'POST',
                        headers: { 'X-CSRF-Token': token, 'Content-Type': 'application/x-www-form-urlencoded' },
                        body: 'start=%sT10:00&end=%sT12:00&csrf=' + encodeURIComponent(token) });
                    }).then(r => done(r.status)).catch(e => done('failed: ' + e));
                    """.formatted(Demo.SCHEDULE_SERVER, day, day));
            assertEquals(403L, status);
            assertEquals(before, openCoverRequests());
        }

        try (Browser sato = new Browser("ja")) {
            sato.open(schedule + "?view=week&from=" + day, KeycloakTokens.SATO);
            sato.waitFor(By.cssSelector("button.request-cover"));
            // the form starts with sato's next shift: ask anyone to take it
            int before = openCoverRequests();
            sato.driver.findElement(By.id("cover-note")).sendKeys("法事のため / family event");
            sato.driver.findElement(By.cssSelector("button.request-cover")).click();
            sato.waitForText("代理依頼をチームに送りました");
            assertEquals(before + 1, openCoverRequests());
            sato.screenshot("oncall-cover-requested-ja");

            sato.open(oncall + "/ui/me");
            sato.driver.findElement(By.cssSelector("button.new-ical")).click();
            String url = sato.waitFor(By.id("ical-url")).getAttribute("value");
            assertTrue(url.contains("/ical/people/" + Demo.SATO + ".ics?token=tbn_"), url);
            sato.screenshot("oncall-me-ical-link-ja");
        }

        try (Browser suzuki = new Browser("ja")) {
            suzuki.open(schedule + "?view=week&from=" + day, KeycloakTokens.SUZUKI);
            suzuki.waitFor(By.xpath("//tr[contains(., 'family event')]//button[contains(@class, 'accept')]")).click();
            suzuki.waitForText("代理を引き受けました");
            assertFalse(suzuki.driver.findElements(By.xpath(
                    "//td[@class='effective']/span[contains(@class,'override') and contains(., 'Ichiro Suzuki')]")).isEmpty(),
                    "the effective on-call shows suzuki's override");
            suzuki.screenshot("oncall-cover-accepted-ja");
        }
    }
}

package dev.toban.system;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.toban.plumbing.testing.KeycloakTokens;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

/**
 * The configuration pages in a real browser after a real Keycloak sign-in, in Japanese: an admin creates
 * and edits a person (contact method, rule, team), a team (war room), a schedule (members reordered with
 * the arrows, previewed before saving) and an escalation policy, each form first refused with the typed
 * text kept and the problem next to the field; a viewer sees them read-only and a forged post is refused.
 * No page shows an id.
 */
class SettingsPagesIT extends BrowserIT {

    static final Pattern UUID_TEXT = Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");

    String oncall;
    String suffix = UUID.randomUUID().toString().substring(0, 6);

    @Test
    void configurationPagesFromTheBrowser() {
        oncall = toban.oncall.url();
        String personId;
        String teamId;
        String scheduleId;
        String policyId;
        try (Browser admin = new Browser("ja")) {
            admin.open(oncall + "/ui/oncall", KeycloakTokens.ADMIN);
            admin.waitForText("次の交代");
            admin.clickAndWait(By.cssSelector("header nav a.settings"));
            admin.waitForText("サービスと連携");
            assertTrue(admin.driver.getCurrentUrl().endsWith("/ui/settings"), admin.driver.getCurrentUrl());
            admin.screenshot("settings-hub-ja");
            noVisibleId(admin);

            personId = person(admin);
            teamId = team(admin, personId);
            scheduleId = schedule(admin, teamId, personId);
            policyId = policy(admin, scheduleId);
        }
        try (Browser viewer = new Browser("ja")) {
            viewer.open(oncall + "/ui/oncall", KeycloakTokens.YAMADA);
            viewer.waitForText("次の交代");
            assertTrue(viewer.driver.findElements(By.cssSelector("header nav a.settings")).isEmpty(), "no Settings entry");
            Map<String, String> pages = Map.of(
                    "/ui/settings/people/" + personId, "name=Hacked&username=x&timeZone=UTC&locale=en",
                    "/ui/settings/teams/" + teamId, "name=Hacked&timeZone=UTC",
                    "/ui/settings/schedules/" + scheduleId, "op=save&name=Hacked&timeZone=UTC",
                    "/ui/settings/escalation-policies/" + policyId, "name=Hacked&levels[0].delayMinutes=5");
            for (var page : pages.entrySet()) {
                viewer.open(oncall + page.getKey());
                viewer.waitForText("閲覧のみ");
                assertTrue(viewer.driver.findElements(By.cssSelector("button.save")).isEmpty(), page.getKey());
                assertTrue(viewer.driver.findElement(By.cssSelector("main form fieldset")).getAttribute("disabled") != null,
                        page.getKey());
                assertEquals(403L, viewer.forgePost(page.getKey(), page.getValue()), page.getKey());
                assertEquals(403L, viewer.forgePost(page.getKey() + "/archive", "x=1"), page.getKey());
            }
            viewer.open(oncall + "/ui/settings/people/" + personId);
            viewer.waitForText("閲覧のみ");
            viewer.screenshot("settings-person-viewer-ja");
        }
        // nothing a viewer posted changed anything
        assertEquals("Aoi Kimura " + suffix, Api.as(KeycloakTokens.ADMIN, toban.oncall).get("/api/people/" + personId)
                .then().statusCode(200).extract().path("name"));
    }

    /** A person with a Slack DM at once and a team; refused first for a bad email. */
    String person(Browser admin) {
        admin.clickAndWait(By.cssSelector("a.settings-link.people"));
        admin.waitForText("Hanako Sato");
        admin.clickAndWait(By.cssSelector("a.new-person"));
        type(admin, "name", "Aoi Kimura " + suffix);
        type(admin, "username", "kimura-" + suffix);
        type(admin, "email", "kimura-at-example");
        type(admin, "slackUserId", "U0KIMURA");
        admin.driver.findElement(By.cssSelector("input[name=teamIds][value='" + Demo.TEAM_SERVER + "']")).click();
        admin.select(By.name("contactMethods[0].type"), "slack");
        type(admin, "contactMethods[0].address", "U0KIMURA");
        String method = admin.driver.findElement(By.name("contactMethods[0].id")).getAttribute("value");
        admin.select(By.name("notificationRules[0].contactMethodId"), method);
        type(admin, "notificationRules[0].delayMinutes", "0");
        admin.clickAndWait(By.cssSelector("button.save"));
        admin.waitForText("メールアドレスを入力してください。");
        assertEquals("kimura-at-example", admin.driver.findElement(By.name("email")).getAttribute("value"));
        assertEquals("U0KIMURA", admin.driver.findElement(By.name("contactMethods[0].address")).getAttribute("value"));
        admin.screenshot("settings-person-refused-ja");
        type(admin, "email", "kimura-" + suffix + "@toban.example");
        admin.clickAndWait(By.cssSelector("button.save"));
        admin.waitForText("作成しました。");
        admin.waitForText("0分後: Slack の DM U0KIMURA");
        String id = idIn(admin.driver.getCurrentUrl());
        scrollTo(admin, "section.paging-preview");
        admin.screenshot("settings-person-created-ja");
        noVisibleId(admin);
        // edit: an email 5 minutes later, through the empty row
        admin.select(By.name("contactMethods[1].type"), "email");
        type(admin, "contactMethods[1].address", "kimura-" + suffix + "@toban.example");
        String email = admin.driver.findElement(By.name("contactMethods[1].id")).getAttribute("value");
        admin.select(By.name("notificationRules[1].contactMethodId"), email);
        type(admin, "notificationRules[1].delayMinutes", "5");
        admin.clickAndWait(By.cssSelector("button.save"));
        admin.waitForText("保存しました。");
        admin.waitForText("5分後: メール kimura-" + suffix + "@toban.example");
        scrollTo(admin, "fieldset.contact-methods-set");
        admin.screenshot("settings-person-edited-ja");
        return id;
    }

    /** A team with the new person and a war room; refused first for a war room that is not a URL. */
    String team(Browser admin, String personId) {
        admin.open(oncall + "/ui/settings/teams");
        admin.clickAndWait(By.cssSelector("a.new-team"));
        type(admin, "name", "Payments " + suffix);
        type(admin, "slackChannel", "#payments-" + suffix);
        type(admin, "warRoomUrl", "meet.google.com/abc");
        admin.driver.findElement(By.cssSelector("input[name=memberIds][value='" + personId + "']")).click();
        admin.driver.findElement(By.cssSelector("input[name=memberIds][value='" + Demo.SATO + "']")).click();
        admin.clickAndWait(By.cssSelector("button.save"));
        admin.waitForText("http または https のアドレスを入力してください");
        assertEquals("meet.google.com/abc", admin.driver.findElement(By.name("warRoomUrl")).getAttribute("value"));
        admin.screenshot("settings-team-refused-ja");
        type(admin, "warRoomUrl", "https://meet.google.com/abc-defg-hij");
        admin.clickAndWait(By.cssSelector("button.save"));
        admin.waitForText("作成しました。");
        String id = idIn(admin.driver.getCurrentUrl());
        type(admin, "slackChannel", "#pay-" + suffix);
        admin.clickAndWait(By.cssSelector("button.save"));
        admin.waitForText("保存しました。");
        assertEquals("#pay-" + suffix, Api.as(KeycloakTokens.ADMIN, toban.oncall).get("/api/teams/" + id).then()
                .statusCode(200).extract().path("slackChannel"));
        assertEquals("https://meet.google.com/abc-defg-hij", Api.as(KeycloakTokens.ADMIN, toban.oncall)
                .get("/api/teams/" + id).then().extract().path("warRoomUrl"));
        admin.screenshot("settings-team-ja");
        noVisibleId(admin);
        return id;
    }

    /** A weekly schedule of sato and the new person, reordered with the arrows, previewed, then saved. */
    String schedule(Browser admin, String teamId, String personId) {
        admin.open(oncall + "/ui/settings/schedules");
        admin.clickAndWait(By.cssSelector("a.new-schedule"));
        admin.select(By.name("teamId"), teamId);
        type(admin, "name", "Payments " + suffix);
        type(admin, "role", "Pay ments");
        type(admin, "timeZone", "Asia/Tokyo");
        type(admin, "layers[0].name", "Weekly");
        admin.select(By.name("layers[0].participantIds[0]"), personId);
        admin.select(By.name("layers[0].participantIds[1]"), Demo.SATO);
        // sato first: the arrow moves the row and renumbers the order fields
        List<WebElement> up = admin.driver.findElements(By.cssSelector("tr.participant button[data-move=up]"));
        up.get(1).click();
        assertEquals(Demo.SATO, new org.openqa.selenium.support.ui.Select(
                admin.driver.findElement(By.cssSelector("tr.participant select"))).getFirstSelectedOption().getAttribute("value"));
        assertEquals("1", admin.driver.findElements(By.cssSelector("tr.participant input.order")).get(0).getAttribute("value"));
        admin.select(By.name("layers[0].restrictions[0].preset"), "office");
        admin.clickAndWait(By.cssSelector("button.preview"));
        admin.waitForText("英小文字、数字、- または _ で入力してください");
        assertEquals("Pay ments", admin.driver.findElement(By.name("role")).getAttribute("value"));
        admin.screenshot("settings-schedule-refused-ja");
        type(admin, "role", "payments-" + suffix);
        admin.clickAndWait(By.cssSelector("button.preview"));
        admin.waitForText("プレビュー：今後4週間 (未保存)");
        List<WebElement> rows = admin.driver.findElements(By.cssSelector("tr.preview-row"));
        assertTrue(rows.size() >= 15, rows.size() + " office-hour stretches in four weeks");
        assertTrue(rows.get(0).getText().contains("Hanako Sato") || rows.get(0).getText().contains("Aoi Kimura"));
        scrollTo(admin, "section.rota-preview");
        admin.screenshot("settings-schedule-preview-ja");
        assertTrue(Api.as(KeycloakTokens.ADMIN, toban.oncall).get("/api/schedules").then().extract().jsonPath()
                .getList("name").stream().noneMatch(n -> ("Payments " + suffix).equals(n)), "a preview saves nothing");
        admin.clickAndWait(By.cssSelector("button.save"));
        admin.waitForText("作成しました。");
        String id = idIn(admin.driver.getCurrentUrl());
        List<String> participants = Api.as(KeycloakTokens.ADMIN, toban.oncall).get("/api/schedules/" + id).then()
                .statusCode(200).extract().jsonPath().getList("layers[0].participantIds");
        assertEquals(List.of(Demo.SATO, personId), participants);
        // edit: a daily rotation
        admin.select(By.name("layers[0].shiftLength.unit"), "DAYS");
        admin.clickAndWait(By.cssSelector("button.save"));
        admin.waitForText("保存しました。");
        // an override: the new person takes sato's shifts tomorrow
        LocalDate tomorrow = LocalDate.now(ZoneId.of("Asia/Tokyo")).plusDays(1);
        admin.select(By.id("o-person"), personId);
        admin.select(By.id("o-replaces"), Demo.SATO);
        dateTime(admin, "o-start", tomorrow + "T09:00");
        dateTime(admin, "o-end", tomorrow + "T18:00");
        admin.clickAndWait(By.cssSelector("button.add-override"));
        admin.waitForText("オーバーライドを追加しました。");
        scrollTo(admin, "section.overrides");
        admin.screenshot("settings-schedule-ja");
        noVisibleId(admin);
        return id;
    }

    /** A policy paging the new schedule, then admin; refused first for a delay of 0. */
    String policy(Browser admin, String scheduleId) {
        admin.open(oncall + "/ui/settings/escalation-policies");
        admin.clickAndWait(By.cssSelector("a.new-policy"));
        type(admin, "name", "Payments policy " + suffix);
        admin.select(By.name("levels[0].targets[0]"), "schedule:" + scheduleId);
        type(admin, "levels[0].delayMinutes", "0");
        admin.clickAndWait(By.cssSelector("button.save"));
        admin.waitForText("1 以上にしてください。");
        assertEquals("0", admin.driver.findElement(By.name("levels[0].delayMinutes")).getAttribute("value"));
        scrollTo(admin, "fieldset.levels");
        admin.screenshot("settings-policy-refused-ja");
        type(admin, "levels[0].delayMinutes", "10");
        admin.driver.findElement(By.cssSelector("details.add-level summary")).click();
        admin.select(By.name("levels[1].targets[0]"), "person:" + Demo.ADMIN);
        type(admin, "levels[1].delayMinutes", "15");
        admin.clickAndWait(By.cssSelector("button.save"));
        admin.waitForText("作成しました。");
        String id = idIn(admin.driver.getCurrentUrl());
        admin.waitForText("このポリシーを使うサービスはありません。");
        type(admin, "repeatCount", "2");
        admin.clickAndWait(By.cssSelector("button.save"));
        admin.waitForText("保存しました。");
        assertEquals(2, (int) Api.as(KeycloakTokens.ADMIN, toban.oncall).get("/api/escalation-policies/" + id).then()
                .statusCode(200).extract().path("repeatCount"));
        admin.screenshot("settings-policy-ja");
        noVisibleId(admin);
        // the demo policy names the services that page through it (asked of incident-service)
        admin.open(oncall + "/ui/settings/escalation-policies/" + Demo.POLICY_SERVER);
        admin.waitForText("News API");
        scrollTo(admin, "section.used-by");
        admin.screenshot("settings-policy-services-ja");
        return id;
    }

    /** Brings a part of the page into the viewport, for its screenshot. */
    static void scrollTo(Browser browser, String css) {
        ((org.openqa.selenium.JavascriptExecutor) browser.driver).executeScript(
                "arguments[0].scrollIntoView({block: 'start'});", browser.waitFor(By.cssSelector(css)));
    }

    static void type(Browser browser, String name, String value) {
        WebElement field = browser.waitFor(By.name(name));
        field.clear();
        field.sendKeys(value);
    }

    /** A datetime-local field set by script (typing into it depends on the browser's locale). */
    static void dateTime(Browser browser, String id, String value) {
        ((org.openqa.selenium.JavascriptExecutor) browser.driver).executeScript(
                "document.getElementById(arguments[0]).value = arguments[1];", id, value);
    }

    static String idIn(String url) {
        Matcher m = UUID_TEXT.matcher(url);
        assertTrue(m.find(), url);
        return m.group();
    }

    static void noVisibleId(Browser browser) {
        Matcher m = UUID_TEXT.matcher(browser.text());
        assertFalse(m.find(), () -> "an id is shown on " + browser.driver.getCurrentUrl() + ": " + m.group());
    }
}

package dev.toban.system;

import static dev.toban.system.SettingsPagesIT.dateTime;
import static dev.toban.system.SettingsPagesIT.idIn;
import static dev.toban.system.SettingsPagesIT.noVisibleId;
import static dev.toban.system.SettingsPagesIT.type;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.toban.plumbing.testing.KeycloakTokens;
import io.restassured.path.json.JsonPath;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;

/**
 * An SRE lead sets up a new team from nothing, through the pages only, as a newcomer would: a person with
 * a contact method and a rule, a team, a schedule with a layer, an escalation policy, a service and an
 * Events API v2 key. Then the curl the page shows is run as it is, in a shell, and the new team's on-call
 * becomes the IC of the incident it opens.
 */
class OnboardingIT extends BrowserIT {

    @Test
    void aNewTeamSetUpThroughThePagesIsPagedWithTheCopiedCurl() throws Exception {
        String oncall = toban.oncall.url();
        String incident = toban.incident.url();
        String suffix = UUID.randomUUID().toString().substring(0, 6);
        String personName = "Ren Ishikawa " + suffix;
        try (Browser admin = new Browser("ja")) {
            admin.open(oncall + "/ui/settings", KeycloakTokens.ADMIN);
            admin.waitForText("サービスと連携");

            // a person reachable by Slack DM at once
            admin.open(oncall + "/ui/settings/people");
            admin.clickAndWait(By.cssSelector("a.new-person"));
            type(admin, "name", personName);
            type(admin, "username", "ishikawa-" + suffix);
            type(admin, "email", "ishikawa-" + suffix + "@toban.example");
            type(admin, "slackUserId", "U0ISHI" + suffix.toUpperCase());
            admin.select(By.name("contactMethods[0].type"), "slack");
            type(admin, "contactMethods[0].address", "U0ISHI" + suffix.toUpperCase());
            String method = admin.driver.findElement(By.name("contactMethods[0].id")).getAttribute("value");
            admin.select(By.name("notificationRules[0].contactMethodId"), method);
            type(admin, "notificationRules[0].delayMinutes", "0");
            admin.clickAndWait(By.cssSelector("button.save"));
            admin.waitForText("作成しました。");
            String personId = idIn(admin.driver.getCurrentUrl());

            // a team with that person
            admin.open(oncall + "/ui/settings/teams");
            admin.clickAndWait(By.cssSelector("a.new-team"));
            type(admin, "name", "Search " + suffix);
            type(admin, "slackChannel", "#search-" + suffix);
            type(admin, "warRoomUrl", "https://meet.google.com/srch-" + suffix);
            admin.driver.findElement(By.cssSelector("input[name=memberIds][value='" + personId + "']")).click();
            admin.clickAndWait(By.cssSelector("button.save"));
            admin.waitForText("作成しました。");
            String teamId = idIn(admin.driver.getCurrentUrl());

            // a schedule whose one layer has had the person on call since yesterday
            admin.open(oncall + "/ui/settings/schedules");
            admin.clickAndWait(By.cssSelector("a.new-schedule"));
            admin.select(By.name("teamId"), teamId);
            type(admin, "name", "Search " + suffix);
            type(admin, "role", "search-" + suffix);
            type(admin, "timeZone", "Asia/Tokyo");
            type(admin, "layers[0].name", "Daily");
            admin.select(By.name("layers[0].participantIds[0]"), personId);
            admin.select(By.name("layers[0].shiftLength.unit"), "DAYS");
            dateTime(admin, "l0-start", LocalDate.now(ZoneId.of("Asia/Tokyo")).minusDays(1).toString());
            admin.clickAndWait(By.cssSelector("button.save"));
            admin.waitForText("作成しました。");
            String scheduleId = idIn(admin.driver.getCurrentUrl());

            // an escalation policy paging that schedule
            admin.open(oncall + "/ui/settings/escalation-policies");
            admin.clickAndWait(By.cssSelector("a.new-policy"));
            type(admin, "name", "Search policy " + suffix);
            admin.select(By.name("levels[0].targets[0]"), "schedule:" + scheduleId);
            type(admin, "levels[0].delayMinutes", "10");
            admin.clickAndWait(By.cssSelector("button.save"));
            admin.waitForText("作成しました。");
            String policyId = idIn(admin.driver.getCurrentUrl());

            // a service owned by the team, paging through the policy (both chosen by name)
            admin.open(incident + "/ui/settings/services");
            admin.clickAndWait(By.id("new-service"));
            admin.driver.findElement(By.id("name")).sendKeys("Search API " + suffix);
            admin.select(By.id("owningTeamId"), teamId);
            admin.select(By.id("escalationPolicyId"), policyId);
            admin.driver.findElement(By.id("slackChannel")).sendKeys("#svc-search-" + suffix);
            admin.clickAndWait(By.id("save-service"));
            admin.waitForText("サービスを作成しました");
            noVisibleId(admin);

            // an Events API v2 key, shown once with the curl to copy
            admin.driver.findElement(By.id("keyName")).sendKeys("Prometheus");
            admin.select(By.id("keyType"), "events_v2");
            admin.clickAndWait(By.id("create-key"));
            String curl = admin.waitFor(By.id("key-snippet")).getText();
            admin.screenshot("onboarding-key-ja");

            // the copied curl, run by a shell as it is
            Process shell = new ProcessBuilder("sh", "-c", curl).redirectErrorStream(true).start();
            assertTrue(shell.waitFor(30, TimeUnit.SECONDS), "curl finished");
            String answer = new String(shell.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertEquals(0, shell.exitValue(), answer);
            assertEquals("success", JsonPath.from(answer).getString("status"), answer);

            // an incident opens on the new service and its on-call is the IC
            String opened = "find { it.service.name == 'Search API " + suffix + "' && it.commander != null }";
            JsonPath incidents = await().atMost(Duration.ofSeconds(60)).until(
                    () -> Api.as(KeycloakTokens.ADMIN, toban.incident).get("/api/incidents").then().statusCode(200)
                            .extract().jsonPath(),
                    json -> json.get(opened) != null);
            assertEquals(personName, incidents.getString(opened + ".commander.name"));
            String incidentId = incidents.getString(opened + ".id");
            admin.open(incident + "/ui/incidents/" + incidentId);
            admin.waitForText(personName);
            admin.screenshot("onboarding-incident-ja");
            noVisibleId(admin);
        }
    }
}

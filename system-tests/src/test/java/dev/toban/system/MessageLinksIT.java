package dev.toban.system;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.toban.plumbing.testing.FakeSlack;
import dev.toban.plumbing.testing.KeycloakTokens;
import io.restassured.http.ContentType;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;

/**
 * Issue 16, bug 1: every link Toban sends opens a page. An alert opens an incident; every link to Toban in
 * what notify-service posted (the parent message's text and buttons, the pages to the on-call, the demo rota's
 * handoff notices) and the API's {@code url} of the incident is opened in a signed-in browser and must be one
 * of Toban's pages, not a 404 (before: {@code /incidents/{id}}). Email, invitation and Markdown links are
 * checked where they are made (notify's and postmortem-service's tests).
 */
class MessageLinksIT extends BrowserIT {

    static final Pattern LINK = Pattern.compile("<(https?://[^|>]+)(?:\\|[^>]*)?>");

    @Test
    void everyLinkInTheIncidentsMessagesOpensATobanPage() {
        String summary = "Search latency above 3 s " + UUID.randomUUID();
        given().baseUri(toban.incident.url()).contentType(ContentType.JSON)
                .body(Map.of("routing_key", TobanSystem.demoIntegrationKey(), "event_action", "trigger",
                        "dedup_key", "links-" + UUID.randomUUID(),
                        "payload", Map.of("summary", summary, "source", "prometheus", "severity", "critical",
                                "timestamp", Instant.now().minusSeconds(120).toString())))
                .post("/v2/enqueue").then().statusCode(202);
        String id = await().atMost(Duration.ofSeconds(30)).until(() -> Api.as(KeycloakTokens.ADMIN, toban.incident)
                .get("/api/incidents").then().statusCode(200).extract().jsonPath()
                .<String>getString("find { it.title == '" + summary + "' }.id"), found -> found != null);

        // the parent in the channel and the page DMs to the on-call (they name the incident's title)
        await().atMost(Duration.ofSeconds(30)).until(() -> messages(summary).size() >= 2);
        Set<String> links = new LinkedHashSet<>();
        // and everything else notify-service has posted so far (handoff notices of the demo rota...)
        for (FakeSlack.Posted m : toban.slack.messages(m -> m.text != null)) {
            Matcher found = LINK.matcher(m.text);
            while (found.find()) {
                links.add(found.group(1).replace("&amp;", "&"));
            }
            if (m.blocks != null) {
                m.blocks.findValuesAsText("url").forEach(links::add);
            }
        }
        // the API's url of the incident is a page too
        links.add(Api.as(KeycloakTokens.ADMIN, toban.incident).get("/api/incidents/" + id).then().statusCode(200)
                .extract().path("url"));
        List<String> tobanLinks = links.stream().filter(MessageLinksIT::isToban).toList();
        assertTrue(tobanLinks.contains(toban.incident.url() + "/ui/incidents/" + id), "the IC console: " + links);

        try (Browser sato = new Browser("ja")) {
            sato.open(toban.incident.url() + "/ui/incidents", KeycloakTokens.SATO);
            for (String link : tobanLinks) {
                sato.open(link);
                assertFalse(sato.driver.findElements(By.cssSelector("header.top")).isEmpty(),
                        link + " is not a Toban page:\n" + sato.text());
                assertFalse(sato.text().contains("Not Found") || sato.text().contains("\"status\":404"), link + ":\n" + sato.text());
            }
            sato.open(toban.incident.url() + "/ui/incidents/" + id);
            sato.waitForText(summary);
            sato.screenshot("links-incident-console-ja");
        }
    }

    static List<FakeSlack.Posted> messages(String text) {
        return toban.slack.messages(m -> m.text != null && m.text.contains(text));
    }

    static boolean isToban(String url) {
        return url.startsWith(toban.oncall.url()) || url.startsWith(toban.incident.url())
                || url.startsWith(toban.notify.url()) || url.startsWith(toban.postmortem.url());
    }
}

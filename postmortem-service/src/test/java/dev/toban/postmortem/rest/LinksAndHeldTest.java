package dev.toban.postmortem.rest;

import static dev.toban.postmortem.testing.Api.as;
import static dev.toban.postmortem.testing.Api.awaitEvent;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.toban.plumbing.testing.BrokerProbe;
import dev.toban.plumbing.testing.KeycloakTokens;
import dev.toban.postmortem.testing.Api;
import dev.toban.postmortem.testing.GreenMailResource;
import dev.toban.postmortem.testing.GreenMailResource.Received;
import dev.toban.postmortem.testing.TestIncident;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Issue 16: every link postmortem-service emits opens a page under the configured public URLs (the
 * snapshot's url and incidentUrl, the invitations' text, HTML and ICS, the Markdown's incident link, the
 * published event's markdownUrl), and a meeting is marked held only once it has started.
 */
@QuarkusTest
@WithTestResource(GreenMailResource.class)
class LinksAndHeldTest {

    static final String PAGES = "https://postmortems.toban.test/ui/postmortems/";
    static final String CONSOLE = "https://incidents.toban.test/ui/incidents/";
    static BrokerProbe broker;

    @BeforeAll
    static void connect() {
        broker = new BrokerProbe(Api.VHOST).watch("toban.postmortem", "toban.postmortem.#");
    }

    @AfterAll
    static void close() {
        broker.close();
    }

    @Test
    void everyLinkOpensAPageUnderThePublicUrls() {
        TestIncident incident = new TestIncident().responders(TestIncident.someone("suzuki"));
        String id = Api.open(broker, incident);
        String page = PAGES + id;
        as(KeycloakTokens.SATO).get("/api/postmortems/" + id).then().statusCode(200)
                .body("url", equalTo(page))
                .body("incidentUrl", equalTo(CONSOLE + incident.id));
        JsonNode opened = awaitEvent(broker, "toban.postmortem.opened", id);
        assertEquals(page, opened.at("/data/postmortem/url").asText(), "before issue 16: http://localhost:8084/postmortems/{id}");
        assertEquals(CONSOLE + incident.id, opened.at("/data/postmortem/incidentUrl").asText(),
                "not the snapshot's http://localhost:8082/incidents/{id}");

        String uid = as(KeycloakTokens.SATO).body("{\"decision\":\"hold\"}").post("/api/postmortems/" + id + "/decision")
                .then().statusCode(200).extract().path("meeting.uid");
        await().atMost(Duration.ofSeconds(40)).until(() -> GreenMailResource.forUid(uid).size() >= 2);
        for (Received mail : GreenMailResource.forUid(uid)) {
            String ics = mail.ics().replace("\r\n ", ""); // unfold RFC 5545 lines
            assertTrue(mail.text().contains(page), mail.text());
            assertTrue(mail.html().contains("href=\"" + page + "\""), mail.html());
            assertTrue(ics.contains("URL:" + page + "\r\n"), ics);
            for (String part : List.of(mail.text(), mail.html(), ics)) {
                assertFalse(part.contains("localhost:8084"), part);
            }
        }

        String markdown = as(KeycloakTokens.SATO).get("/api/postmortems/" + id + "/document.md").then().statusCode(200)
                .extract().asString();
        assertTrue(markdown.contains("](" + CONSOLE + incident.id + ")"), markdown);
        assertFalse(markdown.contains("localhost:8082"), markdown);

        // held only once the meeting has started
        as(KeycloakTokens.SATO).post("/api/postmortems/" + id + "/held").then().statusCode(409)
                .contentType("application/problem+json")
                .body("errors[0].field", equalTo("meeting.start"));
        assertEquals("scheduled", Api.get(id).getString("state"));
        assertTrue(Api.events(broker, "toban.postmortem.held", id).isEmpty(), "nothing announced");
        Api.meetingStarted(id);
        as(KeycloakTokens.SATO).post("/api/postmortems/" + id + "/held").then().statusCode(200).body("state", equalTo("held"));
        as(KeycloakTokens.SATO).post("/api/postmortems/" + id + "/publish").then().statusCode(200);
        JsonNode published = awaitEvent(broker, "toban.postmortem.published", id);
        assertEquals(page + "/document.md", published.at("/data/markdownUrl").asText(),
                "a page people open with their sign-in (the API's copy needs a bearer token)");
    }
}

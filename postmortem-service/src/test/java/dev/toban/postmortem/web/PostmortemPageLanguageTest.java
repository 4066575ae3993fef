package dev.toban.postmortem.web;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.allOf;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.toban.plumbing.testing.BrokerProbe;
import dev.toban.postmortem.model.PostmortemState;
import dev.toban.postmortem.testing.Api;
import dev.toban.postmortem.testing.GreenMailResource;
import dev.toban.postmortem.testing.TestIncident;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.security.TestSecurity;
import io.quarkus.test.security.oidc.Claim;
import io.quarkus.test.security.oidc.OidcSecurity;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Issue 16 on the postmortem pages: a viewer opening an unpublished postmortem is told it is not published
 * yet (not that it does not exist), in the page language; the IC cannot mark a meeting held before it
 * starts and the page says so in its language; the Markdown link opens with the page's sign-in.
 */
@QuarkusTest
@WithTestResource(GreenMailResource.class)
class PostmortemPageLanguageTest {

    static final String CSRF_COOKIE = "toban_csrf_postmortem-service";
    static final String TOKEN = "test-csrf-token-0123456789abcdefghij";
    static BrokerProbe broker;

    @BeforeAll
    static void connect() {
        broker = new BrokerProbe(Api.VHOST).watch("toban.postmortem", "toban.postmortem.#");
    }

    @Inject
    EntityManager em;

    /**
     * Opens a postmortem from an incident event and finds it in the database: these tests run as a TestSecurity
     * user, so the API would answer as that user (a viewer does not see unpublished postmortems).
     */
    String open(TestIncident incident) {
        broker.publish("toban.incident", "toban.incident.resolved", incident.event("toban.incident.resolved"));
        return await().atMost(Duration.ofSeconds(30)).until(() -> QuarkusTransaction.requiringNew().call(() ->
                em.createQuery("select p.id from Postmortem p where p.incidentId = :incident", UUID.class)
                        .setParameter("incident", incident.id).getResultStream().findFirst().map(UUID::toString)
                        .orElse(null)), found -> found != null);
    }

    String stateOf(String id) {
        return QuarkusTransaction.requiringNew().call(() -> em.createQuery(
                "select p.state from Postmortem p where p.id = :id", PostmortemState.class)
                .setParameter("id", UUID.fromString(id)).getSingleResult().wire());
    }

    @AfterAll
    static void close() {
        broker.close();
    }

    @Test
    @TestSecurity(user = "yamada", roles = "viewer")
    @OidcSecurity(claims = @Claim(key = "preferred_username", value = "yamada"))
    void aViewerIsToldAnUnpublishedPostmortemIsNotPublishedYetInThePageLanguage() {
        String unpublished = open(new TestIncident().severity("SEV3"));
        given().header("Accept-Language", "ja").get("/ui/postmortems/" + unpublished).then().statusCode(403)
                .body(allOf(containsString("このポストモーテムはまだ公開されていません。"), not(containsString("does not exist")),
                        not(containsString(unpublished))));
        given().header("Accept-Language", "en").get("/ui/postmortems/" + unpublished).then().statusCode(403)
                .body(allOf(containsString("This postmortem is not published yet."), not(containsString("does not exist"))));
        given().header("Accept-Language", "ja").get("/ui/postmortems/" + unpublished + "/document.md").then().statusCode(403)
                .body(containsString("まだ公開されていません"));
        String unknown = UUID.randomUUID().toString();
        given().header("Accept-Language", "ja").get("/ui/postmortems/" + unknown).then().statusCode(404)
                .body(allOf(containsString("そのポストモーテムはありません。"), not(containsString(unknown)),
                        not(containsString("does not exist"))));
    }

    @Test
    @TestSecurity(user = "sato", roles = {"viewer", "responder"})
    @OidcSecurity(claims = @Claim(key = "preferred_username", value = "sato"))
    void aMeetingCannotBeMarkedHeldBeforeItStartsAndThePageSaysSo() {
        TestIncident scheduledIncident = new TestIncident().severity("SEV3");
        String scheduled = open(scheduledIncident);
        given().cookie(CSRF_COOKIE, TOKEN).formParam("csrf", TOKEN).contentType("application/x-www-form-urlencoded")
                .formParam("decision", "hold").formParam("durationMinutes", "60").redirects().follow(false)
                .post("/ui/postmortems/" + scheduled + "/decision").then().statusCode(303);
        String page = "/ui/postmortems/" + scheduled;
        String html = given().header("Accept-Language", "ja").get(page).then().statusCode(200).extract().asString();
        assertFalse(html.contains("class=\"mark-held\""), "no button before the start");
        assertTrue(html.contains("振り返り会は開始後に実施済みにできます"), html);
        String refused = given().header("Accept-Language", "ja").cookie(CSRF_COOKIE, TOKEN).formParam("csrf", TOKEN)
                .contentType("application/x-www-form-urlencoded").redirects().follow(false).post(page + "/held")
                .then().statusCode(409).extract().asString();
        assertTrue(refused.contains("振り返り会はまだ始まっていません") && refused.contains("(Asia/Tokyo)"), refused);
        assertFalse(refused.contains("has not started") || refused.contains("meeting.start"), "no English on the Japanese page");
        given().header("Accept-Language", "en").cookie(CSRF_COOKIE, TOKEN).formParam("csrf", TOKEN)
                .contentType("application/x-www-form-urlencoded").redirects().follow(false).post(page + "/held")
                .then().statusCode(409).body(containsString("The meeting has not started yet: it starts at"));
        assertEquals("scheduled", stateOf(scheduled));

        Api.meetingStarted(scheduled);
        assertTrue(given().header("Accept-Language", "ja").get(page).then().statusCode(200).extract().asString()
                .contains("class=\"mark-held\""), "the button once the meeting has started");
        given().cookie(CSRF_COOKIE, TOKEN).formParam("csrf", TOKEN).contentType("application/x-www-form-urlencoded")
                .redirects().follow(false).post(page + "/held").then().statusCode(303);
        assertEquals("held", stateOf(scheduled));

        // the Markdown link of the page (and of Slack's "published" message) opens with the page's sign-in
        String markdown = given().get(page + "/document.md").then().statusCode(200)
                .contentType(containsString("text/markdown")).extract().asString();
        assertTrue(markdown.contains("](https://incidents.toban.test/ui/incidents/" + scheduledIncident.id + ")"), markdown);
        assertTrue(given().get(page).asString().contains("href=\"/ui/postmortems/" + scheduled + "/document.md\""));
    }
}

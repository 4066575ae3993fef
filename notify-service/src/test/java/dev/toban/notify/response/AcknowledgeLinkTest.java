package dev.toban.notify.response;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.toban.notify.testing.Events;
import dev.toban.notify.testing.Mailbox;
import dev.toban.notify.testing.NotifyTest;
import dev.toban.notify.testing.NotifyTestResources;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.mail.internet.MimeMessage;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Acknowledging a page from the page email's signed link (issue 18): the link is signed for its delivery and
 * expires, opening it changes nothing, the buttons answer once (a replay publishes nothing), a bare POST (ntfy's
 * http action) acknowledges, and every refusal is a clear 4xx page.
 */
@QuarkusTest
@WithTestResource(NotifyTestResources.class)
class AcknowledgeLinkTest extends NotifyTest {

    private static final Pattern ACK_LINK = Pattern.compile("(?:Acknowledge|確認（Acknowledge）): (https?://\\S+/ack/([A-Za-z0-9_.-]+))");

    @Inject
    AckTokens tokens;

    @Inject
    PageResponses responses;

    @Inject
    EntityManager em;

    @Inject
    AckConfig config;

    /** A person without Slack: paged by email at once. */
    static ObjectNode emailOnly(String name, String locale) {
        return Events.person(name, "ack-" + UUID.randomUUID().toString().substring(0, 8), null, locale);
    }

    /** The ack link of the one page email to {@code address}: [url, token]. */
    static String[] ackLink(String address) throws Exception {
        await().atMost(Duration.ofSeconds(15)).until(() -> Mailbox.to(address).size() == 1);
        MimeMessage mail = Mailbox.to(address).get(0);
        String plain = Mailbox.parts(mail).get("text/plain");
        Matcher m = ACK_LINK.matcher(plain);
        assertTrue(m.find(), plain);
        String html = Mailbox.parts(mail).get("text/html");
        assertTrue(html.contains("<a href=\"" + m.group(1) + "\">"), "the HTML part links it too: " + html);
        return new String[] {m.group(1), m.group(2)};
    }

    static List<JsonNode> responded(String deliveryId) {
        return notifyEvents(PageResponses.RESPONDED).stream()
                .filter(e -> deliveryId.equals(e.path("data").path("deliveryId").asText())).toList();
    }

    long rows(UUID deliveryId) {
        return QuarkusTransaction.requiringNew().call(() -> ((Number) em.createNativeQuery(
                "select count(*) from page_response where delivery_id = ?1").setParameter(1, deliveryId)
                .getSingleResult()).longValue());
    }

    @Test
    void thePageEmailsLinkShowsTheIncidentAndItsButtonAnswersOnceAsThePerson() throws Exception {
        ObjectNode jiro = emailOnly("Jiro Tanaka", "ja");
        UUID id = UUID.randomUUID();
        publishIncident(Events.triggered(UUID.randomUUID().toString(),
                Events.incident(id, 1801, uniqueChannel("ack"), "triggered", 1), jiro));
        String[] link = ackLink(jiro.path("email").asText());
        // under notify-service's public base URL, signed for the email's own delivery
        assertTrue(link[0].startsWith("http://localhost:8083/ack/"), link[0]);
        String deliveryId = (String) deliveries("incidentId=" + id + "&channel=email").get(0).get("id");
        assertEquals(UUID.fromString(deliveryId), tokens.verify(link[1]).orElseThrow());
        String path = "/ack/" + link[1];
        // the delivery log (API and page share its view; responders, admins) shows the message without a working link
        String logged = given().auth().oauth2(admin()).get("/api/deliveries/" + deliveryId).then().statusCode(200)
                .extract().asString();
        assertTrue(logged.contains("/ack/…") && !logged.contains(link[1]), logged);

        // opening it (a mail scanner, a preview) shows the page in the person's language and answers nothing
        String page = given().header("Accept-Language", "en").get(path).then().statusCode(200)
                .header("Content-Security-Policy", containsString("form-action 'self'"))
                .header("Cache-Control", "no-store")
                .extract().asString();
        assertTrue(page.contains("インシデント #1801 API 5xx rate above 5% (#1801)"), page);
        assertTrue(page.contains(">確認（Acknowledge）</button>") && page.contains(">エスカレート</button>"), page);
        assertTrue(page.contains("action=\"" + path + "\""), page);
        assertFalse(page.contains(id.toString()) || page.contains(deliveryId), "no ids on the page: " + page);
        given().get(path).then().statusCode(200);
        assertEquals(0, rows(UUID.fromString(deliveryId)));

        // the button: recorded, event out, back to the page (post/redirect/get)
        given().redirects().follow(false).contentType("application/x-www-form-urlencoded")
                .formParam("action", "acknowledge").post(path).then().statusCode(303)
                .header("Location", endsWith(path + "?done=acknowledge"));
        await().atMost(Duration.ofSeconds(10)).until(() -> responded(deliveryId).size() == 1);
        JsonNode event = responded(deliveryId).get(0);
        assertEquals(id.toString(), event.path("subject").asText());
        JsonNode data = event.path("data");
        assertEquals(id.toString(), data.path("incidentId").asText());
        assertEquals("acknowledge", data.path("action").asText());
        assertEquals("email", data.path("channel").asText(), "the link came in the email");
        assertEquals(jiro.path("id").asText(), data.path("person").path("id").asText());
        assertEquals("Jiro Tanaka", data.path("person").path("name").asText());
        assertTrue(Instant.parse(data.path("at").asText()).isAfter(Instant.now().minusSeconds(60)), data.toString());

        given().get(path + "?done=acknowledge").then().statusCode(200)
                .body(containsString("確認（Acknowledge）を記録しました"))
                .body(containsString("この呼び出しを確認しました（メール）"));

        // pressed again (or the link replayed): recorded already, no second event
        given().redirects().follow(false).formParam("action", "acknowledge").post(path).then().statusCode(303);
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(4)).until(() -> responded(deliveryId).size() == 1);
        assertEquals(1, rows(UUID.fromString(deliveryId)));
        assertEquals(PageResponses.Result.ALREADY, responses.record(UUID.fromString(deliveryId), "acknowledge", "sms"),
                "an SMS reply to the same page after the link");
    }

    @Test
    void aBarePostAcknowledgesAndEscalateIsItsOwnAnswer() throws Exception {
        ObjectNode ken = emailOnly("Ken Mori", "en");
        UUID id = UUID.randomUUID();
        publishIncident(Events.triggered(UUID.randomUUID().toString(),
                Events.incident(id, 1802, uniqueChannel("ack"), "triggered", 1), ken));
        String[] link = ackLink(ken.path("email").asText());
        String deliveryId = tokens.verify(link[1]).orElseThrow().toString();
        String path = "/ack/" + link[1];

        given().header("Accept-Language", "ja").get(path).then().statusCode(200)
                .body(containsString("Incident #1802 API 5xx rate above 5% (#1802)"))
                .body(containsString(">Acknowledge</button>")).body(containsString(">Escalate</button>"));
        // ntfy's http action: a POST with no body and no content type
        given().redirects().follow(false).post(path).then().statusCode(303)
                .header("Location", endsWith("?done=acknowledge"));
        await().atMost(Duration.ofSeconds(10)).until(() -> responded(deliveryId).size() == 1);
        assertEquals("acknowledge", responded(deliveryId).get(0).path("data").path("action").asText());

        given().redirects().follow(false).formParam("action", "escalate").post(path).then().statusCode(303)
                .header("Location", endsWith("?done=escalate"));
        await().atMost(Duration.ofSeconds(10)).until(() -> responded(deliveryId).size() == 2);
        given().get(path + "?done=escalate").then().statusCode(200)
                .body(containsString("Your escalation is recorded"))
                .body(containsString("You acknowledged this page")).body(containsString("You escalated this page"));

        // an action that is neither: 400 naming the field, nothing recorded
        given().formParam("action", "explode").post(path).then().statusCode(400)
                .body(containsString("action: must be acknowledge or escalate"));
        assertEquals(2, rows(UUID.fromString(deliveryId)));

        // once notify-service hears the incident was acknowledged, the page says so
        publishIncident(Events.incidentEvent(UUID.randomUUID().toString(), "acknowledged",
                Events.incident(id, 1802, uniqueChannel("ack"), "acknowledged", 2), null));
        await().atMost(Duration.ofSeconds(10)).until(() -> given().get(path).then().extract().asString()
                .contains("The incident has been acknowledged already."));
    }

    @Test
    void aTamperedOrExpiredLinkIsAClear404AndAnswersNothing() throws Exception {
        ObjectNode aya = emailOnly("Aya Ito", "ja");
        UUID id = UUID.randomUUID();
        publishIncident(Events.triggered(UUID.randomUUID().toString(),
                Events.incident(id, 1803, uniqueChannel("ack"), "triggered", 1), aya));
        String[] link = ackLink(aya.path("email").asText());
        UUID deliveryId = tokens.verify(link[1]).orElseThrow();
        String token = link[1];

        // one signature character changed: the first, since the last one's low bits are padding the decoder ignores
        // (changing 'B' to 'A' there can leave the signature as it was)
        int sig = token.indexOf('.') + 1;
        String flipped = token.substring(0, sig) + (token.charAt(sig) == 'A' ? 'B' : 'A') + token.substring(sig + 1);
        String otherDelivery = tokens.token(UUID.randomUUID(), Instant.now().plusSeconds(600));
        String forged = otherDelivery.substring(0, otherDelivery.indexOf('.')) + token.substring(token.indexOf('.'));
        String expired = tokens.token(deliveryId, Instant.now().minusSeconds(1));
        for (String bad : List.of(flipped, forged, expired, "x", "a.b", token + "." + token)) {
            given().header("Accept-Language", "en").get("/ack/" + bad).then().statusCode(404)
                    .body(containsString("This link is not valid or has expired (links work for 24 hours)"))
                    .body(not(containsString("<button")));
            given().redirects().follow(false).formParam("action", "acknowledge").post("/ack/" + bad).then()
                    .statusCode(404);
            given().redirects().follow(false).post("/ack/" + bad).then().statusCode(404);
        }
        given().header("Accept-Language", "ja").get("/ack/" + expired).then().statusCode(404)
                .body(containsString("このリンクは無効か、期限が切れています"));
        // a path the hygiene rules refuse before any resource sees it
        given().urlEncodingEnabled(false).get("/ack/" + token + ";x=1").then().statusCode(400);
        given().urlEncodingEnabled(false).post("/ack/" + token + ";x=1").then().statusCode(400);
        assertEquals(0, rows(deliveryId));
        assertTrue(responded(deliveryId.toString()).isEmpty());
        // the real link still works
        given().get("/ack/" + token).then().statusCode(200);
    }

    @Test
    void tokensRoundTripOnlyWithTheirSecretAndRecordKnowsWhatIsNoPage() {
        UUID delivery = UUID.randomUUID();
        String link = tokens.link(delivery);
        String token = link.substring(link.lastIndexOf('/') + 1);
        assertEquals(delivery, tokens.verify(token).orElseThrow());
        // the same signature spelled another way (the last character's unused low bit, or padding) is refused
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
        char last = token.charAt(token.length() - 1);
        String respelled = token.substring(0, token.length() - 1) + alphabet.charAt(alphabet.indexOf(last) ^ 1);
        assertEquals(java.util.Arrays.toString(java.util.Base64.getUrlDecoder().decode(token.substring(token.indexOf('.') + 1))),
                java.util.Arrays.toString(java.util.Base64.getUrlDecoder().decode(respelled.substring(respelled.indexOf('.') + 1))),
                "the respelling decodes to the same signature");
        assertTrue(tokens.verify(respelled).isEmpty(), respelled);
        assertTrue(tokens.verify(token + "=").isEmpty(), "padded");
        java.time.Clock clock = java.time.Clock.systemUTC();
        AckTokens other = new AckTokens("another-secret", Duration.ofHours(24), "http://x", clock);
        assertTrue(other.verify(token).isEmpty(), "signed with another secret");
        AckTokens none = new AckTokens(null, Duration.ofHours(24), "http://x", clock);
        assertFalse(none.enabled());
        assertTrue(none.verify(token).isEmpty(), "no secret: every token refused");
        AckTokens later = new AckTokens(config.secret().orElseThrow(), Duration.ofHours(24), "http://x",
                java.time.Clock.offset(clock, Duration.ofHours(25)));
        assertTrue(later.verify(token).isEmpty(), "expired after the ttl");
        AckTokens earlier = new AckTokens(config.secret().orElseThrow(), Duration.ofHours(24), "http://x",
                java.time.Clock.offset(clock, Duration.ofHours(23)));
        assertEquals(delivery, earlier.verify(token).orElseThrow(), "valid within the ttl, with the same secret");

        assertEquals(PageResponses.Result.UNKNOWN_DELIVERY, responses.record(delivery, "acknowledge", "sms"));
        try {
            responses.record(delivery, "explode", "sms");
            throw new AssertionError("an unknown action is refused");
        } catch (dev.toban.plumbing.problem.ProblemException e) {
            assertEquals(400, e.status());
        }
    }

    @Test
    void aHandoffNoticeIsNoPageToAcknowledge() {
        String slackId = "U" + UUID.randomUUID().toString().replace("-", "").substring(0, 9).toUpperCase();
        ObjectNode person = Events.person("Goro Shift", "shift-" + slackId, slackId, "en");
        publishOnCall(Events.shift(UUID.randomUUID().toString(), "started", person,
                Events.team("Server", uniqueChannel("ackteam"))));
        await().atMost(Duration.ofSeconds(15)).until(() -> !deliveries("target=" + slackId).isEmpty());
        Map<String, Object> notice = deliveries("target=" + slackId).get(0);
        UUID deliveryId = UUID.fromString((String) notice.get("id"));
        assertEquals(PageResponses.Result.NO_INCIDENT, responses.record(deliveryId, "acknowledge", "link"));
        String path = "/ack/" + tokens.token(deliveryId, Instant.now().plusSeconds(600));
        given().header("Accept-Language", "en").get(path).then().statusCode(409)
                .body(containsString("This message was not a page for an incident"));
        given().redirects().follow(false).post(path).then().statusCode(409);
        assertEquals(0, rows(deliveryId));
    }
}

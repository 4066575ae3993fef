package dev.toban.notify.dispatch;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.toban.notify.testing.Events;
import dev.toban.notify.testing.Mailbox;
import dev.toban.notify.testing.NotifyTest;
import dev.toban.notify.testing.NotifyTestResources;
import dev.toban.notify.testing.WebhookReceiver;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.mail.internet.MimeMessage;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Pages by DM and email (and their cancellation by an acknowledgement), and signed outgoing webhooks. */
@QuarkusTest
@WithTestResource(NotifyTestResources.class)
class EmailAndWebhookTest extends NotifyTest {

    /** The receiver the test run's egress allowlist lets through. */
    static WebhookReceiver receiver;

    @BeforeAll
    static void receiver() {
        receiver = NotifyTestResources.hooks();
    }

    @Test
    void aPageIsADmNowAndAnEmailLaterUnlessSomeoneAcknowledges() {
        String userId = "U" + UUID.randomUUID().toString().replace("-", "").substring(0, 9).toUpperCase();
        ObjectNode target = Events.person("Ichiro Suzuki", "suzuki-" + userId, userId, "en");
        String address = target.path("email").asText();
        UUID id = UUID.randomUUID();
        String channel = uniqueChannel("page");
        publishIncident(Events.triggered(UUID.randomUUID().toString(), Events.incident(id, 501, channel, "triggered", 1), target));

        // oncall-service is not reachable here: the fallback is a Slack DM now, email after the delay (4 s in tests)
        await().atMost(Duration.ofSeconds(15)).until(() -> slack().messages(userId).size() == 1);
        String dm = slack().messages(userId).get(0).text;
        assertTrue(dm.contains("*Page: #501") && dm.contains("<@" + userId + ">, you are paged"), dm);
        Map<String, Object> email = deliveries("incidentId=" + id + "&purpose=page&channel=email").get(0);
        assertEquals("pending", email.get("state"));
        Instant due = Instant.parse((String) email.get("dueAt"));

        publishIncident(Events.incidentEvent(UUID.randomUUID().toString(), "acknowledged",
                Events.incident(id, 501, channel, "acknowledged", 2), null));
        await().atMost(Duration.ofSeconds(10)).until(() -> "cancelled".equals(
                deliveries("incidentId=" + id + "&purpose=page&channel=email").get(0).get("state")));
        assertTrue(Instant.now().isBefore(due), "the acknowledgement came before the email step was due");
        // past the due time the email still has not gone
        await().during(Duration.between(Instant.now(), due).plusSeconds(1)).atMost(Duration.ofSeconds(10))
                .until(() -> Mailbox.to(address).isEmpty());
        Map<String, Object> cancelled = deliveries("incidentId=" + id + "&purpose=page&channel=email").get(0);
        assertEquals(0, cancelled.get("attempts"));
        assertTrue(String.valueOf(cancelled.get("lastError")).contains("acknowledged"));
    }

    @Test
    void someoneWithoutSlackIsPagedByEmailAtOnceWithTextAndHtmlParts() throws Exception {
        ObjectNode target = Events.person("Jiro Tanaka", "tanaka-" + UUID.randomUUID().toString().substring(0, 8), null, "ja");
        String address = target.path("email").asText();
        UUID id = UUID.randomUUID();
        publishIncident(Events.triggered(UUID.randomUUID().toString(),
                Events.incident(id, 502, uniqueChannel("page"), "triggered", 1), target));

        await().atMost(Duration.ofSeconds(15)).until(() -> Mailbox.to(address).size() == 1);
        MimeMessage mail = Mailbox.to(address).get(0);
        assertEquals("呼び出し: #502 API 5xx rate above 5% (#502)", mail.getSubject());
        Map<String, String> parts = Mailbox.parts(mail);
        assertEquals(List.of("text/plain", "text/html"), List.copyOf(parts.keySet()));
        assertTrue(parts.get("text/plain").contains("Jiro Tanaka さん、あなたが呼び出されています"), parts.get("text/plain"));
        // the link is the IC console under the configured public URL, not the snapshot's url (a 404 before issue 16)
        assertTrue(parts.get("text/plain").contains("Toban で開く (https://incidents.toban.test/ui/incidents/" + id + ")"),
                parts.get("text/plain"));
        assertTrue(parts.get("text/html").contains("<a href=\"https://incidents.toban.test/ui/incidents/" + id + "\">Toban で開く</a>"),
                parts.get("text/html"));
        // the SMTP server has the mail a moment before the dispatcher records the answer
        await().atMost(Duration.ofSeconds(5)).until(() -> "sent".equals(deliveries("incidentId=" + id + "&channel=email").get(0).get("state")));
        Map<String, Object> delivery = deliveries("incidentId=" + id + "&channel=email").get(0);
        assertEquals("<" + delivery.get("id") + "@toban.test>", mail.getMessageID());
        assertEquals(delivery.get("id"), mail.getHeader("X-Toban-Delivery")[0]);
    }

    @Test
    void webhookCallsAreSignedSoTheReceiverCanVerifyThemAndFailedCallsAreRetried() throws Exception {
        String secret = "s3cret-" + UUID.randomUUID();
        String hookId = given().auth().oauth2(admin()).contentType(ContentType.JSON)
                .body(Map.of("name", "bridge-" + UUID.randomUUID(), "url", receiver.url("/signed"), "secret", secret,
                        "eventTypes", List.of("toban.incident.*")))
                .post("/api/webhooks").then().statusCode(201)
                .body("secret", equalTo(secret))
                .body("webhook.secretHint", equalTo("…" + secret.substring(secret.length() - 4)))
                .extract().path("webhook.id");
        try {
            given().auth().oauth2(admin()).get("/api/webhooks").then().statusCode(200)
                    .body("find { it.id == '" + hookId + "' }.secret", equalTo(null));
            receiver.failNext(1, 503);
            UUID id = UUID.randomUUID();
            publishIncident(Events.triggered(UUID.randomUUID().toString(),
                    Events.incident(id, 503, uniqueChannel("hook"), "triggered", 1)));

            await().atMost(Duration.ofSeconds(15)).until(() -> receiver.received("/signed").stream()
                    .anyMatch(r -> r.body().contains(id.toString())));
            WebhookReceiver.Received call = receiver.received("/signed").stream()
                    .filter(r -> r.body().contains(id.toString())).findFirst().orElseThrow();
            String timestamp = call.header("X-Toban-Timestamp");
            assertEquals("sha256=" + hmac(secret, timestamp + "." + call.body()), call.header("X-Toban-Signature"),
                    "the signature verifies with the shared secret");
            assertTrue(Math.abs(Instant.now().getEpochSecond() - Long.parseLong(timestamp)) < 300);
            assertEquals("toban.incident.triggered", call.header("X-Toban-Event"));
            assertTrue(call.header("content-type").startsWith("application/json"));
            JsonNode body = Events.JSON.readTree(call.body());
            assertEquals("1.0", body.path("specversion").asText());
            assertEquals("toban.incident.triggered", body.path("type").asText());
            assertEquals(id.toString(), body.path("data").path("incident").path("id").asText());
            assertTrue(body.path("text").asText().contains("#503 API 5xx rate above 5% (#503)"), body.path("text").asText());
            await().atMost(Duration.ofSeconds(5)).until(() -> "sent".equals(deliveries("incidentId=" + id + "&channel=webhook").get(0).get("state")));
            Map<String, Object> delivery = deliveries("incidentId=" + id + "&channel=webhook").get(0);
            assertEquals(2, delivery.get("attempts"), "the 503 was retried");
            assertEquals(call.header("X-Toban-Delivery"), delivery.get("id"));
        } finally {
            given().auth().oauth2(admin()).delete("/api/webhooks/" + hookId).then().statusCode(204);
        }
        given().auth().oauth2(admin()).get("/api/webhooks/" + hookId).then().statusCode(404);
    }

    @Test
    void webhookSettingsAreValidatedAndOnlyAdminsManageThem() {
        String name = "hook-" + UUID.randomUUID();
        Map<String, Object> good = Map.of("name", name, "url", receiver.url("/settings"),
                "eventTypes", List.of("toban.postmortem.#", "toban.oncall.shift.started"));
        given().auth().oauth2(responder()).contentType(ContentType.JSON).body(good).post("/api/webhooks").then().statusCode(403);
        given().auth().oauth2(admin()).contentType(ContentType.JSON)
                .body(Map.of("name", "x", "url", "ftp://example.com/x", "eventTypes", List.of("toban.incident.*")))
                .post("/api/webhooks").then().statusCode(400).contentType("application/problem+json")
                .body("errors[0].field", equalTo("url"));
        given().auth().oauth2(admin()).contentType(ContentType.JSON)
                .body(Map.of("name", "x", "url", "https://example.com/x", "eventTypes", List.of("toban..incident")))
                .post("/api/webhooks").then().statusCode(400).body("errors[0].field", equalTo("eventTypes[0]"));
        given().auth().oauth2(admin()).contentType(ContentType.JSON)
                .body(Map.of("name", "x", "url", "https://example.com/x", "secret", "short", "eventTypes", List.of("#")))
                .post("/api/webhooks").then().statusCode(400).body("errors.field", hasItem("secret"));
        given().auth().oauth2(admin()).contentType(ContentType.JSON)
                .body(Map.of("url", "https://example.com/x", "eventTypes", List.of())).post("/api/webhooks")
                .then().statusCode(400).body("errors.field", hasItem("name")).body("errors.field", hasItem("eventTypes"));

        Map<String, Object> created = given().auth().oauth2(admin()).contentType(ContentType.JSON).body(good)
                .post("/api/webhooks").then().statusCode(201).extract().jsonPath().getMap("webhook");
        String id = (String) created.get("id");
        try {
            given().auth().oauth2(admin()).contentType(ContentType.JSON).body(Map.of("name", name.toUpperCase(),
                            "url", receiver.url("/settings"), "eventTypes", List.of("#")))
                    .post("/api/webhooks").then().statusCode(409).body("errors[0].field", equalTo("name"));
            given().auth().oauth2(admin()).contentType(ContentType.JSON)
                    .body(Map.of("name", name, "url", receiver.url("/settings"), "eventTypes", List.of("toban.incident.*"),
                            "enabled", true))
                    .put("/api/webhooks/" + id).then().statusCode(200)
                    .body("eventTypes", equalTo(List.of("toban.incident.*")))
                    .body("secretHint", equalTo(created.get("secretHint")));
            given().auth().oauth2(admin()).post("/api/webhooks/" + id + "/test").then().statusCode(200)
                    .body("eventType", equalTo("toban.notify.webhook.test"));
            await().atMost(Duration.ofSeconds(10)).until(() -> receiver.received("/settings").stream()
                    .anyMatch(r -> "toban.notify.webhook.test".equals(r.header("X-Toban-Event"))
                            && r.header("X-Toban-Signature").startsWith("sha256=")));
        } finally {
            given().auth().oauth2(admin()).delete("/api/webhooks/" + id).then().statusCode(204);
        }
    }

    @Test
    void aDeadWebhookCallIsReplayedInBulk() {
        String hookId = given().auth().oauth2(admin()).contentType(ContentType.JSON)
                .body(Map.of("name", "gone-" + UUID.randomUUID(), "url", receiver.url("/bulk"),
                        "eventTypes", List.of("toban.postmortem.#")))
                .post("/api/webhooks").then().statusCode(201).extract().path("webhook.id");
        try {
            receiver.failNext(1, 410);
            String eventId = UUID.randomUUID().toString();
            ObjectNode data = Events.JSON.createObjectNode();
            ObjectNode pm = data.putObject("postmortem");
            pm.put("id", UUID.randomUUID().toString());
            pm.put("incidentId", UUID.randomUUID().toString());
            pm.put("incidentNumber", 504);
            pm.put("title", "Postmortem: bulk");
            pm.put("url", "http://localhost:8084/postmortems/x");
            pm.put("required", true);
            pm.put("severity", "SEV2");
            pm.set("owningTeam", Events.team("Server", uniqueChannel("pm")));
            publishPostmortem(Events.envelope(eventId, "/toban/postmortem-service", "toban.postmortem.held",
                    pm.path("id").asText(), data).toString());

            await().atMost(Duration.ofSeconds(15)).until(() -> deliveries("eventId=" + eventId + "&channel=webhook").stream()
                    .anyMatch(d -> "dead".equals(d.get("state"))));
            assertEquals("HTTP 410", deliveries("eventId=" + eventId + "&channel=webhook").get(0).get("lastError"));
            given().auth().oauth2(responder()).contentType(ContentType.JSON).body(Map.of("channel", "webhook"))
                    .post("/api/deliveries/replay").then().statusCode(403);
            given().auth().oauth2(admin()).contentType(ContentType.JSON).body(Map.of("channel", "fax"))
                    .post("/api/deliveries/replay").then().statusCode(400).body("errors[0].field", equalTo("channel"));
            String deliveryId = (String) deliveries("eventId=" + eventId + "&channel=webhook").get(0).get("id");
            given().auth().oauth2(admin()).contentType(ContentType.JSON)
                    .body(Map.of("channel", "webhook", "eventType", "toban.postmortem.held"))
                    .post("/api/deliveries/replay").then().statusCode(200).body("ids", hasItem(deliveryId));
            await().atMost(Duration.ofSeconds(10)).until(() -> receiver.received("/bulk").stream()
                    .anyMatch(r -> r.body().contains(eventId)));
            given().auth().oauth2(admin()).get("/api/deliveries?state=dead&channel=webhook").then().statusCode(200)
                    .body("items.id", not(hasItem(deliveryId)));
        } finally {
            given().auth().oauth2(admin()).delete("/api/webhooks/" + hookId).then().statusCode(204);
        }
    }

    @Test
    void theDeliveryLogFiltersAndRefusesUnknownFilterValues() {
        given().auth().oauth2(admin()).get("/api/deliveries?state=lost").then().statusCode(400)
                .contentType("application/problem+json").body("errors[0].field", equalTo("state"));
        given().auth().oauth2(admin()).get("/api/deliveries?channel=pigeon").then().statusCode(400)
                .body("errors[0].field", equalTo("channel"));
        given().auth().oauth2(admin()).get("/api/deliveries?limit=0").then().statusCode(400);
        given().auth().oauth2(admin()).get("/api/deliveries?incidentId=not-a-uuid").then().statusCode(400)
                .body("errors[0].field", equalTo("incidentId"));
        given().auth().oauth2(admin()).get("/api/deliveries/" + UUID.randomUUID()).then().statusCode(404);
        given().auth().oauth2(dev.toban.plumbing.testing.KeycloakTokens.of(dev.toban.plumbing.testing.KeycloakTokens.YAMADA))
                .get("/api/deliveries").then().statusCode(403);
        given().auth().oauth2(responder()).get("/api/deliveries?channel=slack&state=sent&limit=5").then().statusCode(200)
                .body("items.size()", org.hamcrest.Matchers.lessThanOrEqualTo(5));
    }

    private static String hmac(String secret, String payload) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        return HexFormat.of().formatHex(mac.doFinal(payload.getBytes(StandardCharsets.UTF_8)));
    }
}

package dev.toban.notify.dispatch;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.toban.notify.client.OnCallApi;
import dev.toban.notify.client.PersonDetails;
import dev.toban.notify.dispatch.channel.SendResult;
import dev.toban.notify.testing.Events;
import dev.toban.notify.testing.NotifyTest;
import dev.toban.notify.testing.NotifyTestResources;
import dev.toban.notify.testing.WebhookReceiver;
import dev.toban.notify.webhook.WebhookFanout;
import dev.toban.plumbing.input.Text;
import dev.toban.plumbing.testing.RawTcpServer;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusMock;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.eclipse.microprofile.rest.client.inject.RestClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Webhooks and the egress policy: internal destinations are refused and never connected to,
 * responders see only "refused by egress policy" or "failed", unapproved contact methods are never
 * called, redirects are not followed, and a receiver answering garbage ends dead-lettered.
 */
@QuarkusTest
@WithTestResource(NotifyTestResources.class)
class EgressTest extends NotifyTest {

    static RawTcpServer trap;
    static RawTcpServer trap6;
    static WebhookReceiver receiver;

    @Inject
    EntityManager em;

    @Inject
    Dispatcher dispatcher;

    @Inject
    WebhookFanout fanout;

    @Inject
    io.smallrye.faulttolerance.api.CircuitBreakerMaintenance circuitBreakers;

    @BeforeAll
    static void traps() throws IOException {
        trap = RawTcpServer.trap();
        trap6 = RawTcpServer.trap("::1");
        receiver = NotifyTestResources.hooks();
    }

    @AfterAll
    static void closeTraps() {
        trap.close();
        trap6.close();
    }

    /** Internal destinations in the spellings an attacker tries; traps listen where a connection would land. */
    static List<String> internalUrls() {
        return List.of(
                "http://127.0.0.1:" + trap.port() + "/admin/realms",
                "http://[::1]:" + trap6.port() + "/q/metrics",
                "http://2130706433:" + trap.port() + "/",
                "http://0x7f.1:" + trap.port() + "/",
                "http://localhost:" + trap.port() + "/",
                "http://10.0.0.1/",
                "http://169.254.169.254/latest/meta-data/");
    }

    static void assertNeverConnected() {
        assertEquals(0, trap.connections(), "never connected to 127.0.0.1");
        assertEquals(0, trap6.connections(), "never connected to ::1");
    }

    @Test
    void personWebhooksToInternalAddressesAreRefusedUnapprovedOnesNeverCalledAndRespondersSeeOnlyThat() {
        ObjectNode target = Events.person("Saburo Webhook", "hooked-" + UUID.randomUUID().toString().substring(0, 8), null, "en");
        UUID personId = UUID.fromString(target.path("id").asText());
        List<PersonDetails.ContactMethod> methods = new ArrayList<>();
        List<PersonDetails.NotificationRule> rules = new ArrayList<>();
        for (String url : internalUrls()) {
            UUID m = UUID.randomUUID();
            methods.add(new PersonDetails.ContactMethod(m, "webhook", url, "internal", true));
            rules.add(new PersonDetails.NotificationRule(UUID.randomUUID(), m, 0));
        }
        String ok = "/person-ok-" + personId;
        String unapproved = "/person-unapproved-" + personId;
        UUID approvedMethod = UUID.randomUUID();
        UUID unapprovedMethod = UUID.randomUUID();
        UUID unsaidMethod = UUID.randomUUID();
        methods.add(new PersonDetails.ContactMethod(approvedMethod, "webhook", receiver.url(ok), "bridge", true));
        methods.add(new PersonDetails.ContactMethod(unapprovedMethod, "webhook", receiver.url(unapproved), "new", false));
        methods.add(new PersonDetails.ContactMethod(unsaidMethod, "webhook", receiver.url(unapproved), "older", null));
        rules.add(new PersonDetails.NotificationRule(UUID.randomUUID(), approvedMethod, 0));
        rules.add(new PersonDetails.NotificationRule(UUID.randomUUID(), unapprovedMethod, 0));
        rules.add(new PersonDetails.NotificationRule(UUID.randomUUID(), unsaidMethod, 0));
        PersonDetails details = new PersonDetails(personId, "Saburo Webhook", "hooked", null, null, "Asia/Tokyo", "en",
                methods, rules);
        QuarkusMock.installMockForType(new OnCallApi() {
            @Override
            public PersonDetails person(UUID id) {
                return personId.equals(id) ? details : null;
            }

            @Override
            public java.util.List<PersonDetails> people() {
                return null;
            }

            @Override
            public com.fasterxml.jackson.databind.JsonNode now() {
                return null;
            }
        }, OnCallApi.class, RestClient.LITERAL);
        // earlier pages in this run called the unreachable oncall-service: close its circuit so the mock is asked
        circuitBreakers.resetAll();

        UUID incident = UUID.randomUUID();
        publishIncident(Events.triggered(UUID.randomUUID().toString(),
                Events.incident(incident, 601, uniqueChannel("egress"), "triggered", 1), target));

        String query = "incidentId=" + incident + "&channel=webhook";
        await().atMost(Duration.ofSeconds(15)).until(() -> deliveries(query).size() == internalUrls().size() + 1
                && deliveries(query).stream().allMatch(d -> "dead".equals(d.get("state")) || "sent".equals(d.get("state"))));
        assertEquals(1, receiver.received(ok).size(), "the approved, allowed contact method works");
        assertEquals(List.of(), receiver.received(unapproved), "unapproved contact methods are never called");
        assertNeverConnected();

        for (Map<String, Object> d : deliveries(query)) {
            if ("sent".equals(d.get("state"))) {
                assertEquals(receiver.url(ok), d.get("target"));
                continue;
            }
            assertEquals(1, d.get("attempts"), "a refusal is final: " + d);
            assertTrue(String.valueOf(d.get("lastError")).startsWith("refused by egress policy: "), "admins see why: " + d);
        }
        // a responder sees that, and nothing of what a receiver answered
        List<Map<String, Object>> seen = given().auth().oauth2(responder()).get("/api/deliveries?limit=50&" + query)
                .then().statusCode(200).extract().jsonPath().getList("items");
        for (Map<String, Object> d : seen) {
            assertNull(d.get("target"), "a person's webhook URL is for admins: " + d);
            if ("sent".equals(d.get("state"))) {
                assertNull(d.get("providerMessageId"), "no HTTP status for responders");
                assertNull(d.get("lastError"));
            } else {
                assertEquals("refused by egress policy", d.get("lastError"));
            }
        }
        String dead = (String) seen.stream().filter(d -> "dead".equals(d.get("state"))).findFirst().orElseThrow().get("id");
        given().auth().oauth2(responder()).get("/api/deliveries/" + dead).then().statusCode(200)
                .body("lastError", equalTo("refused by egress policy"))
                .body("attemptLog[0].error", equalTo("refused by egress policy"));
        given().auth().oauth2(admin()).get("/api/deliveries/" + dead).then().statusCode(200)
                .body("attemptLog[0].error", startsWith("refused by egress policy: "));
    }

    @Test
    void adminWebhooksToInternalAddressesAreRefusedWhenSavedTestedOrCalled() {
        for (String url : internalUrls()) {
            if (url.contains("localhost")) {
                continue; // a name: judged when called, below
            }
            given().auth().oauth2(admin()).contentType(ContentType.JSON)
                    .body(Map.of("name", "inside-" + UUID.randomUUID(), "url", url, "eventTypes", List.of("#")))
                    .post("/api/webhooks").then().statusCode(400).body("errors[0].field", equalTo("url"));
        }
        given().auth().oauth2(admin()).contentType(ContentType.JSON)
                .body(Map.of("name", "inside-" + UUID.randomUUID(), "url", "http://127.0.0.1:" + trap.port() + "/",
                        "eventTypes", List.of("#")))
                .post("/api/webhooks").then().statusCode(400)
                .body("errors[0].message", equalTo("refused by egress policy: loopback address 127.0.0.1"));

        // a host name that resolves inside: saved, but /test answers the refusal and queues nothing
        String eventType = "toban.postmortem.egress_" + UUID.randomUUID().toString().substring(0, 8);
        String named = given().auth().oauth2(admin()).contentType(ContentType.JSON)
                .body(Map.of("name", "named-" + UUID.randomUUID(), "url", "http://localhost:" + trap.port() + "/hook",
                        "eventTypes", List.of(eventType)))
                .post("/api/webhooks").then().statusCode(201).extract().path("webhook.id");
        // one saved before the policy existed, pointing at a loopback literal
        String old = given().auth().oauth2(admin()).contentType(ContentType.JSON)
                .body(Map.of("name", "old-" + UUID.randomUUID(), "url", receiver.url("/old"), "eventTypes", List.of(eventType)))
                .post("/api/webhooks").then().statusCode(201).extract().path("webhook.id");
        QuarkusTransaction.requiringNew().run(() -> em.createNativeQuery("update webhook set url = ?1 where id = ?2")
                .setParameter(1, "http://127.0.0.1:" + trap.port() + "/old").setParameter(2, UUID.fromString(old))
                .executeUpdate());
        fanout.invalidate();
        try {
            given().auth().oauth2(admin()).post("/api/webhooks/" + named + "/test").then().statusCode(409)
                    .contentType("application/problem+json").body("title", equalTo("Refused by egress policy"))
                    .body("detail", equalTo("refused by egress policy: localhost resolves to loopback address 127.0.0.1"));
            given().auth().oauth2(admin()).post("/api/webhooks/" + old + "/test").then().statusCode(409)
                    .body("detail", equalTo("refused by egress policy: loopback address 127.0.0.1"));

            String eventId = UUID.randomUUID().toString();
            ObjectNode data = Events.JSON.createObjectNode();
            data.putObject("postmortem").put("id", UUID.randomUUID().toString()).put("title", "egress");
            publishPostmortem(Events.envelope(eventId, "/toban/postmortem-service", eventType, "pm", data).toString());
            await().atMost(Duration.ofSeconds(15)).until(() -> deliveries("eventId=" + eventId + "&channel=webhook").size() == 2
                    && deliveries("eventId=" + eventId + "&channel=webhook").stream().allMatch(d -> "dead".equals(d.get("state"))));
            for (Map<String, Object> d : deliveries("eventId=" + eventId + "&channel=webhook")) {
                assertEquals(1, d.get("attempts"), "never retried");
                assertTrue(String.valueOf(d.get("lastError")).startsWith("refused by egress policy: "), d.toString());
            }
            assertNeverConnected();
        } finally {
            given().auth().oauth2(admin()).delete("/api/webhooks/" + named).then().statusCode(204);
            given().auth().oauth2(admin()).delete("/api/webhooks/" + old).then().statusCode(204);
        }
    }

    @Test
    void redirectsAreNotFollowed() {
        String moved = "/moved-" + UUID.randomUUID();
        String landing = "/landing-" + UUID.randomUUID();
        receiver.redirect(moved, receiver.url(landing));
        String hook = given().auth().oauth2(admin()).contentType(ContentType.JSON)
                .body(Map.of("name", "moved-" + UUID.randomUUID(), "url", receiver.url(moved), "eventTypes", List.of("x.y")))
                .post("/api/webhooks").then().statusCode(201).extract().path("webhook.id");
        try {
            String delivery = given().auth().oauth2(admin()).post("/api/webhooks/" + hook + "/test").then().statusCode(200)
                    .extract().path("id");
            await().atMost(Duration.ofSeconds(10)).until(() -> "dead".equals(given().auth().oauth2(admin())
                    .get("/api/deliveries/" + delivery).then().extract().path("state")));
            given().auth().oauth2(admin()).get("/api/deliveries/" + delivery).then().body("lastError", equalTo("HTTP 307"));
            given().auth().oauth2(responder()).get("/api/deliveries/" + delivery).then()
                    .body("lastError", equalTo("failed")).body("attemptLog[0].error", equalTo("failed"));
            assertEquals(1, receiver.received(moved).size());
            assertEquals(List.of(), receiver.received(landing), "the redirect was not followed");
        } finally {
            given().auth().oauth2(admin()).delete("/api/webhooks/" + hook).then().statusCode(204);
        }
    }

    @Test
    void aReceiverAnsweringBytesThatAreNotHttpEndsDeadLetteredWithACleanError() {
        int before = NotifyTestResources.notHttp().connections();
        String hook = given().auth().oauth2(admin()).contentType(ContentType.JSON)
                .body(Map.of("name", "vnc-" + UUID.randomUUID(),
                        "url", "http://127.0.0.1:" + NotifyTestResources.notHttp().port() + "/", "eventTypes", List.of("x.y")))
                .post("/api/webhooks").then().statusCode(201).extract().path("webhook.id");
        try {
            String delivery = given().auth().oauth2(admin()).post("/api/webhooks/" + hook + "/test").then().statusCode(200)
                    .extract().path("id");
            // max-attempts is 6 in tests, with 100-400 ms between attempts
            await().atMost(Duration.ofSeconds(20)).until(() -> "dead".equals(given().auth().oauth2(admin())
                    .get("/api/deliveries/" + delivery).then().extract().path("state")));
            Map<String, Object> d = given().auth().oauth2(admin()).get("/api/deliveries/" + delivery).then()
                    .extract().jsonPath().getMap("$");
            assertEquals(6, d.get("attempts"));
            String lastError = (String) d.get("lastError");
            assertTrue(lastError.endsWith("(after 6 attempts)"), lastError);
            assertNull(Text.problem(lastError, false), "stored clean: " + lastError);
            List<String> errors = given().auth().oauth2(admin()).get("/api/deliveries/" + delivery).then()
                    .extract().jsonPath().getList("attemptLog.error");
            assertEquals(6, errors.size());
            errors.forEach(e -> assertNull(Text.problem(e, false), e));
            assertEquals(6, NotifyTestResources.notHttp().connections() - before);
        } finally {
            given().auth().oauth2(admin()).delete("/api/webhooks/" + hook).then().statusCode(204);
        }
    }

    /** A webhook delivery in flight (claimed, attempt {@code attempts}), as the dispatcher leaves it before recording. */
    UUID sending(int attempts) {
        UUID id = UUID.randomUUID();
        QuarkusTransaction.requiringNew().run(() -> em.createNativeQuery("""
                        insert into delivery (id, event_id, event_type, event_time, purpose, channel, kind, target, message_key,
                            locale, payload, state, attempts, due_at, sending_since, created_at, updated_at)
                        values (?1, ?2, 'toban.incident.triggered', now(), 'webhook', 'webhook', 'webhook', ?3, 'egress-test',
                            'en', '{"body":{"test":true}}', 'sending', ?4, now(), now(), now(), now())""")
                .setParameter(1, id).setParameter(2, "evt-" + id).setParameter(3, UUID.randomUUID().toString())
                .setParameter(4, attempts).executeUpdate());
        return id;
    }

    Object[] row(UUID id) {
        return (Object[]) QuarkusTransaction.requiringNew().call(() -> em.createNativeQuery(
                "select state, last_error, attempts from delivery where id = ?1").setParameter(1, id).getSingleResult());
    }

    @SuppressWarnings("unchecked")
    List<Object[]> attempts(UUID id) {
        return QuarkusTransaction.requiringNew().call(() -> em.createNativeQuery(
                "select outcome, error from delivery_attempt where delivery_id = ?1 order by attempt").setParameter(1, id)
                .getResultList());
    }

    @Test
    void providerTextIsStoredCleanAndAnOutcomeTheDatabaseRefusesStillCountsAnAttempt() {
        // a NUL and a bell in a provider's error: stored without them
        UUID retried = sending(2);
        dispatcher.record(new Dispatcher.Claim(retried, "webhook", 2, Instant.now(), false, null, null),
                SendResult.retry("IOException: bad\0 answer\u0007"), false, Instant.now());
        Object[] r = row(retried);
        assertEquals("pending", r[0]);
        assertEquals("IOException: bad answer", r[1]);
        assertEquals("IOException: bad answer", attempts(retried).get(0)[1]);
        QuarkusTransaction.requiringNew().run(() -> em.createNativeQuery("update delivery set state = 'cancelled' where id = ?1")
                .setParameter(1, retried).executeUpdate());

        // a provider id too long for its column: the attempt still counts, and the last one dead-letters
        UUID unstorable = sending(6);
        dispatcher.record(new Dispatcher.Claim(unstorable, "webhook", 6, Instant.now(), false, null, null),
                SendResult.sent("x".repeat(600), null, null), false, Instant.now());
        Object[] u = row(unstorable);
        assertEquals("dead", u[0]);
        assertTrue(String.valueOf(u[1]).startsWith("the outcome could not be recorded ("), String.valueOf(u[1]));
        assertTrue(String.valueOf(u[1]).endsWith("(after 6 attempts)"), String.valueOf(u[1]));
        assertEquals("failed", attempts(unstorable).get(0)[0]);
    }
}

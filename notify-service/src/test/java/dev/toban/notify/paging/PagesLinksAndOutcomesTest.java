package dev.toban.notify.paging;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.toban.notify.client.OnCallApi;
import dev.toban.notify.client.PersonDetails;
import dev.toban.notify.dispatch.DeliveryOutcome;
import dev.toban.notify.testing.Events;
import dev.toban.notify.testing.NotifyTest;
import dev.toban.notify.testing.NotifyTestResources;
import dev.toban.plumbing.testing.FakeSlack;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusMock;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.faulttolerance.api.CircuitBreakerMaintenance;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.eclipse.microprofile.rest.client.inject.RestClient;
import org.junit.jupiter.api.Test;

/**
 * Issue 16 in what notify-service sends: only the IC is told to act as IC (the others are paged as
 * responders); every link goes to the page under the configured public URL; and each delivery of an
 * incident to a person, and every failed one, announces how it ended ({@code toban.notify.delivery.sent} /
 * {@code .failed}) for the timeline.
 */
@QuarkusTest
@WithTestResource(NotifyTestResources.class)
class PagesLinksAndOutcomesTest extends NotifyTest {

    @Inject
    CircuitBreakerMaintenance circuitBreakers;

    static String slackId() {
        return "U" + UUID.randomUUID().toString().replace("-", "").substring(0, 9).toUpperCase();
    }

    static Optional<JsonNode> outcome(String type, String deliveryOrPredicateField, String value) {
        return notifyEvents(type).stream().map(e -> e.path("data"))
                .filter(d -> value.equals(d.path(deliveryOrPredicateField).asText())).findFirst();
    }

    @Test
    void onlyTheIcIsToldToLeadTheOthersArePagedAsRespondersAndEveryLinkIsThePublicPage() {
        String icSlack = slackId();
        String responderSlack = slackId();
        ObjectNode ic = Events.person("Hanako Commander", "ic-" + icSlack, icSlack, "ja");
        ObjectNode responder = Events.person("Ichiro Responder", "rs-" + responderSlack, responderSlack, "en");
        ObjectNode responderJa = Events.person("Jiro Responder", "rj-" + responderSlack, slackId(), "ja");
        String channel = uniqueChannel("page16");
        UUID id = UUID.randomUUID();
        ObjectNode incident = Events.incident(id, 701, channel, "triggered", 1);
        incident.set("commander", ic);
        publishIncident(Events.triggered(UUID.randomUUID().toString(), incident, ic, responder, responderJa));

        String jaSlack = responderJa.path("slackUserId").asText();
        await().atMost(Duration.ofSeconds(15)).until(() -> slack().messages(icSlack).size() == 1
                && slack().messages(responderSlack).size() == 1 && slack().messages(jaSlack).size() == 1
                && slack().parents(channel).size() == 1);
        String toIc = slack().messages(icSlack).get(0).text;
        String toResponder = slack().messages(responderSlack).get(0).text;
        String toResponderJa = slack().messages(jaSlack).get(0).text;
        assertTrue(toIc.contains("*あなたがこのインシデントの IC です。*") && toIc.contains("運用当番として IC を担ってください"), toIc);
        assertTrue(toResponder.contains("*You are paged as a responder.* The IC is <@" + icSlack + ">."), toResponder);
        assertFalse(toResponder.contains("act as the IC") || toResponder.contains("You are the IC"), toResponder);
        assertTrue(toResponderJa.contains("*対応者（レスポンダー）として呼び出されています。* IC は <@" + icSlack + "> さんです。"),
                toResponderJa);
        assertFalse(toResponderJa.contains("IC を担って"), toResponderJa);

        // links: the IC console under the configured public URL (the snapshot says http://localhost:8082/incidents/{id})
        String console = "https://incidents.toban.test/ui/incidents/" + id;
        for (String text : List.of(toIc, toResponder, toResponderJa)) {
            assertTrue(text.contains("<" + console + "|"), text);
            assertFalse(text.contains("localhost:8082"), text);
        }
        FakeSlack.Posted parent = slack().parents(channel).get(0);
        assertEquals(console, dev.toban.notify.messaging.ParentMessageTest.button(parent, "toban.open").path("url").asText(),
                "the parent's Open in Toban button");

        // how the pages ended, for the incident's timeline: delivered, with the person and no secret
        await().atMost(Duration.ofSeconds(15)).until(() -> notifyEvents(DeliveryOutcome.SENT).stream()
                .map(e -> e.path("data")).filter(d -> d.path("incidentId").asText().equals(id.toString())).count() >= 3);
        List<JsonNode> sent = notifyEvents(DeliveryOutcome.SENT).stream()
                .filter(e -> e.path("data").path("incidentId").asText().equals(id.toString())).toList();
        JsonNode icPage = sent.stream().map(e -> e.path("data"))
                .filter(d -> d.path("person").path("slackUserId").asText().equals(icSlack)).findFirst().orElseThrow();
        assertEquals("Hanako Commander", icPage.path("person").path("name").asText());
        assertEquals("slack", icPage.path("channel").asText());
        assertEquals("page", icPage.path("purpose").asText());
        assertEquals("delivered", icPage.path("outcome").asText());
        assertTrue(icPage.path("detail").isNull(), icPage.toString());
        Instant at = Instant.parse(icPage.path("at").asText());
        assertTrue(at.isAfter(Instant.now().minusSeconds(60)), icPage.toString());
        // the parent post that went out is no timeline line: it is not announced (slack_thread.created says it)
        assertEquals(3, sent.size(), sent.toString());
        assertTrue(sent.stream().allMatch(e -> e.path("data").path("person").has("name")), sent.toString());
        // the event's subject is the delivery; its data names it too
        JsonNode event = sent.stream().filter(e -> e.path("data").path("person").path("slackUserId").asText().equals(icSlack))
                .findFirst().orElseThrow();
        assertEquals(event.path("subject").asText(), event.path("data").path("deliveryId").asText());
        assertEquals("/toban/notify-service", event.path("source").asText());
    }

    @Test
    void aFailedOrRefusedPageIsAnnouncedWithASafeDetail() {
        String goneSlack = slackId();
        slack().failAlways(goneSlack, "user_not_found");
        ObjectNode gone = Events.person("Saburo Gone", "gone-" + goneSlack, goneSlack, "ja");
        ObjectNode hooked = Events.person("Shiro Hooked", "hooked-" + goneSlack, null, "en");
        UUID hookedId = UUID.fromString(hooked.path("id").asText());
        UUID method = UUID.randomUUID();
        PersonDetails details = new PersonDetails(hookedId, "Shiro Hooked", "hooked", null, null, "Asia/Tokyo", "en",
                List.of(new PersonDetails.ContactMethod(method, "webhook", "http://10.0.0.1/secret-token-123", "bridge", true)),
                List.of(new PersonDetails.NotificationRule(UUID.randomUUID(), method, 0)));
        QuarkusMock.installMockForType(new OnCallApi() {
            @Override
            public PersonDetails person(UUID id) {
                return hookedId.equals(id) ? details : null;
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

        UUID id = UUID.randomUUID();
        publishIncident(Events.triggered(UUID.randomUUID().toString(),
                Events.incident(id, 702, uniqueChannel("fail16"), "triggered", 1), gone, hooked));

        await().atMost(Duration.ofSeconds(20)).until(() -> notifyEvents(DeliveryOutcome.FAILED).stream()
                .map(e -> e.path("data")).filter(d -> d.path("incidentId").asText().equals(id.toString())).count() >= 2);
        List<JsonNode> failed = notifyEvents(DeliveryOutcome.FAILED).stream().map(e -> e.path("data"))
                .filter(d -> d.path("incidentId").asText().equals(id.toString())).toList();
        JsonNode slackFailure = failed.stream().filter(d -> d.path("channel").asText().equals("slack")).findFirst().orElseThrow();
        assertEquals("failed", slackFailure.path("outcome").asText());
        assertEquals("Slack: user_not_found", slackFailure.path("detail").asText());
        assertEquals("Saburo Gone", slackFailure.path("person").path("name").asText());
        JsonNode refused = failed.stream().filter(d -> d.path("channel").asText().equals("webhook")).findFirst().orElseThrow();
        assertEquals("refused", refused.path("outcome").asText());
        assertEquals("refused by egress policy", refused.path("detail").asText(), "no address, no reason: " + refused);
        assertEquals("Shiro Hooked", refused.path("person").path("name").asText());
        assertFalse(failed.toString().contains("secret-token-123") || failed.toString().contains("10.0.0.1"), failed.toString());
        slack().stopFailing(goneSlack);
    }

    @Test
    void deliveriesOfNoIncidentAnnounceNothing() {
        String slackId = slackId();
        ObjectNode person = Events.person("Goro Shift", "shift-" + slackId, slackId, "ja");
        publishOnCall(Events.shift(UUID.randomUUID().toString(), "started", person, Events.team("Server", uniqueChannel("team16"))));
        await().atMost(Duration.ofSeconds(15)).until(() -> slack().messages(slackId).size() == 1);
        String notice = slack().messages(slackId).get(0).text;
        // the handoff notice links the schedule's page and the board under the configured public URL
        assertTrue(notice.contains("<https://oncall.toban.test/ui/schedules/33333333-0000-4000-8000-000000000001|Server>")
                && notice.contains("<https://oncall.toban.test/ui/oncall|"), notice);
        String deliveryId = (String) deliveries("target=" + slackId).get(0).get("id");
        await().atMost(Duration.ofSeconds(5)).until(() -> "sent".equals(deliveries("target=" + slackId).get(0).get("state")));
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(4))
                .until(() -> outcome(DeliveryOutcome.SENT, "deliveryId", deliveryId).isEmpty());
    }
}

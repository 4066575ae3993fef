package dev.toban.notify.dispatch;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.toban.notify.model.Delivery;
import dev.toban.notify.model.DeliveryRepository;
import dev.toban.notify.testing.Events;
import dev.toban.plumbing.testing.FakeSlack;
import dev.toban.plumbing.testing.FakeSlack.Scripted;
import dev.toban.notify.testing.NotifyTest;
import dev.toban.notify.testing.NotifyTestResources;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** Retries, rate limits, outages, dead letters, replays, crash recovery, pacing and order under a storm. */
@QuarkusTest
@WithTestResource(NotifyTestResources.class)
class DeliveryGuaranteesTest extends NotifyTest {

    @Inject
    DeliveryService service;

    @Inject
    DeliveryRepository repository;

    @Inject
    EntityManager em;

    @Test
    void slacksRetryAfterIsHonouredAndDoesNotCountAsAFailure() {
        String channel = uniqueChannel("rl");
        slack().script(channel, Scripted.rateLimited(2));
        UUID id = UUID.randomUUID();
        publishIncident(Events.triggered(UUID.randomUUID().toString(), Events.incident(id, 201, channel, "triggered", 1)));

        await().atMost(Duration.ofSeconds(15)).until(() -> slack().parents(channel).size() == 1);
        List<FakeSlack.Call> posts = slack().calls("chat.postMessage", channel);
        assertEquals(2, posts.size(), "one 429, then the post");
        assertEquals(429, posts.get(0).status());
        assertEquals(200, posts.get(1).status());
        long waitedMillis = (posts.get(1).receivedAtNanos() - posts.get(0).receivedAtNanos()) / 1_000_000;
        assertTrue(waitedMillis >= 1900, "waited " + waitedMillis + " ms for Retry-After: 2");

        await().atMost(Duration.ofSeconds(5)).until(() -> "sent".equals(parentDelivery(id).get("state")));
        Map<String, Object> parent = parentDelivery(id);
        assertEquals(1, parent.get("attempts"), "a 429 is not a failed attempt");
        List<String> outcomes = given().auth().oauth2(admin()).get("/api/deliveries/" + parent.get("id"))
                .then().statusCode(200).extract().jsonPath().getList("attemptLog.outcome");
        assertEquals(List.of("rate_limited", "sent"), outcomes);
    }

    @Test
    void aSlackOutageLosesNothingAndTheThreadKeepsItsOrder() {
        String channel = uniqueChannel("outage");
        slack().outage(channel, Scripted.serverError(503));
        UUID id = UUID.randomUUID();
        publishIncident(Events.triggered(UUID.randomUUID().toString(), Events.incident(id, 202, channel, "triggered", 1)));
        for (int v = 2; v <= 6; v++) {
            publishIncident(Events.incidentEvent(UUID.randomUUID().toString(), "status_updated",
                    Events.incident(id, 202, channel, "acknowledged", v),
                    Events.JSON.createObjectNode().put("message", "update " + v)));
        }
        // three failed attempts at the parent; the replies wait behind it
        await().atMost(Duration.ofSeconds(15)).until(() -> slack().calls("chat.postMessage", channel).size() >= 3);
        Map<String, Object> parent = parentDelivery(id);
        assertEquals("pending", parent.get("state"));
        assertTrue(String.valueOf(parent.get("lastError")).contains("503"), String.valueOf(parent.get("lastError")));
        assertTrue(slack().messages(channel).isEmpty());

        slack().recover(channel);
        await().atMost(Duration.ofSeconds(20)).until(() -> !slack().parents(channel).isEmpty()
                && slack().replies(channel, slack().parents(channel).get(0).ts).size() == 5);
        List<String> texts = slack().replies(channel, slack().parents(channel).get(0).ts).stream().map(m -> m.text).toList();
        for (int i = 0; i < 5; i++) {
            assertTrue(texts.get(i).contains("update " + (i + 2)), texts.toString());
        }
        assertEquals(1, slack().parents(channel).size());
        assertEquals(List.of(), slack().violations());
    }

    @Test
    void aPermanentErrorIsDeadAtOnceAndAnAdminReplaysItWithItsThread() {
        String channel = uniqueChannel("gone");
        slack().failAlways(channel, "channel_not_found");
        UUID id = UUID.randomUUID();
        publishIncident(Events.triggered(UUID.randomUUID().toString(), Events.incident(id, 203, channel, "triggered", 1)));
        publishIncident(Events.incidentEvent(UUID.randomUUID().toString(), "acknowledged",
                Events.incident(id, 203, channel, "acknowledged", 2), null));

        await().atMost(Duration.ofSeconds(15)).until(() -> deliveries("incidentId=" + id + "&channel=slack").stream()
                .filter(d -> "dead".equals(d.get("state"))).count() == 3);
        Map<String, Object> parent = parentDelivery(id);
        assertEquals("Slack: channel_not_found", parent.get("lastError"));
        assertEquals(1, parent.get("attempts"));
        deliveries("incidentId=" + id + "&channel=slack").stream().filter(d -> !"slack_parent".equals(d.get("kind")))
                .forEach(d -> assertTrue(String.valueOf(d.get("lastError")).contains("was not posted"), d.toString()));
        assertTrue(deliveries("state=dead&channel=slack").stream().anyMatch(d -> parent.get("id").equals(d.get("id"))),
                "admins list dead deliveries");
        await().atMost(Duration.ofSeconds(10)).until(() -> notifyEvents("toban.notify.delivery.dead").stream()
                .anyMatch(e -> parent.get("id").equals(e.path("data").path("deliveryId").asText())));

        given().auth().oauth2(responder()).post("/api/deliveries/" + parent.get("id") + "/replay").then().statusCode(403);
        slack().stopFailing(channel);
        given().auth().oauth2(admin()).post("/api/deliveries/" + parent.get("id") + "/replay")
                .then().statusCode(200).body("state", equalTo("pending")).body("attempts", equalTo(0));

        await().atMost(Duration.ofSeconds(15)).until(() -> slack().parents(channel).size() == 1
                && slack().replies(channel, slack().parents(channel).get(0).ts).size() == 1);
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertEquals(List.of(),
                deliveries("incidentId=" + id + "&channel=slack").stream()
                        .filter(d -> !"sent".equals(d.get("state"))).toList()));
        given().auth().oauth2(admin()).post("/api/deliveries/" + parent.get("id") + "/replay")
                .then().statusCode(409).contentType("application/problem+json").body("errors[0].field", equalTo("state"));
        given().auth().oauth2(admin()).post("/api/deliveries/" + UUID.randomUUID() + "/replay").then().statusCode(404);
    }

    @Test
    void retriesEndInADeadLetterAfterTheLastAttempt() {
        String channel = uniqueChannel("down");
        slack().outage(channel, Scripted.serverError(500));
        UUID id = UUID.randomUUID();
        publishIncident(Events.triggered(UUID.randomUUID().toString(), Events.incident(id, 204, channel, "triggered", 1)));

        await().atMost(Duration.ofSeconds(20)).until(() -> "dead".equals(parentDelivery(id).get("state")));
        Map<String, Object> parent = parentDelivery(id);
        assertEquals(6, parent.get("attempts"));
        assertTrue(String.valueOf(parent.get("lastError")).contains("after 6 attempts"), String.valueOf(parent.get("lastError")));
        List<String> outcomes = given().auth().oauth2(admin()).get("/api/deliveries/" + parent.get("id"))
                .then().statusCode(200).extract().jsonPath().getList("attemptLog.outcome");
        // other tests' posts getting through may wake it early: those tries are logged and do not count
        List<String> counted = outcomes.stream().filter(o -> !"early_retry".equals(o)).toList();
        assertEquals(List.of("retry", "retry", "retry", "retry", "retry", "failed"), counted);
        assertEquals(outcomes.size(), slack().calls("chat.postMessage", channel).size());
        slack().recover(channel);
    }

    @Test
    void aLostAnswerIsCheckedInTheThreadBeforeTryingAgain() {
        String channel = uniqueChannel("lost");
        UUID id = UUID.randomUUID();
        publishIncident(Events.triggered(UUID.randomUUID().toString(), Events.incident(id, 205, channel, "triggered", 1)));
        await().atMost(Duration.ofSeconds(15)).until(() -> slack().parents(channel).size() == 1);
        String ts = slack().parents(channel).get(0).ts;
        // the parent's permalink call is done once the thread event is out; only then script the next post
        await().atMost(Duration.ofSeconds(10)).until(() -> notifyEvents("toban.notify.slack_thread.created").stream()
                .anyMatch(e -> id.toString().equals(e.path("data").path("incidentId").asText())));

        slack().script(channel, Scripted.lostAnswer(502));
        publishIncident(Events.incidentEvent(UUID.randomUUID().toString(), "acknowledged",
                Events.incident(id, 205, channel, "acknowledged", 2), null));

        await().atMost(Duration.ofSeconds(15)).until(() -> deliveries("incidentId=" + id + "&channel=slack").stream()
                .anyMatch(d -> "slack_reply".equals(d.get("kind")) && "sent".equals(d.get("state"))));
        assertEquals(1, slack().replies(channel, ts).size(), "posted once although the first answer was lost");
        Map<String, Object> reply = deliveries("incidentId=" + id + "&channel=slack").stream()
                .filter(d -> "slack_reply".equals(d.get("kind"))).findFirst().orElseThrow();
        assertEquals(slack().replies(channel, ts).get(0).ts, reply.get("providerMessageId"));
        List<String> outcomes = given().auth().oauth2(admin()).get("/api/deliveries/" + reply.get("id"))
                .then().statusCode(200).extract().jsonPath().getList("attemptLog.outcome");
        assertEquals(List.of("retry", "recovered"), outcomes);
        assertTrue(slack().calls("conversations.replies", channel).size() >= 1);
    }

    @Test
    void aDeliveryLeftSendingByAStoppedInstanceIsFoundInSlackOrSentOnce() throws Exception {
        String channel = uniqueChannel("crash");
        UUID id = UUID.randomUUID();
        publishIncident(Events.triggered(UUID.randomUUID().toString(), Events.incident(id, 206, channel, "triggered", 1)));
        await().atMost(Duration.ofSeconds(15)).until(() -> slack().parents(channel).size() == 1);

        // two posts a crashed instance had claimed: the first reached Slack before the crash, the second did not
        UUID arrived = stuckSending(channel, "crash-arrived");
        UUID lost = stuckSending(channel, "crash-lost");
        postAsTheCrashedInstance(channel, arrived);

        await().atMost(Duration.ofSeconds(20)).until(() -> Delivery.SENT.equals(state(arrived)) && Delivery.SENT.equals(state(lost)));
        assertEquals(1, slack().messages(m -> arrived.toString().equals(m.deliveryId())).size(), "not posted twice");
        assertEquals(1, slack().messages(m -> lost.toString().equals(m.deliveryId())).size(), "posted once");
        List<String> outcomes = given().auth().oauth2(admin()).get("/api/deliveries/" + arrived)
                .then().statusCode(200).extract().jsonPath().getList("attemptLog.outcome");
        assertEquals(List.of("recovered"), outcomes);
    }

    @Test
    void aStormArrivesCompleteAndInOrderWithinEachThreadAndPostsArePaced() {
        int perIncident = 40;
        List<String> channels = List.of(uniqueChannel("storm"), uniqueChannel("storm"), uniqueChannel("storm"));
        List<UUID> incidents = new ArrayList<>();
        List<String> channelOf = new ArrayList<>();
        for (String channel : channels) {
            for (int k = 0; k < 2; k++) {
                incidents.add(UUID.randomUUID());
                channelOf.add(channel);
            }
        }
        for (int i = 0; i < incidents.size(); i++) {
            publishIncident(Events.triggered(UUID.randomUUID().toString(),
                    Events.incident(incidents.get(i), 300 + i, channelOf.get(i), "triggered", 1)));
        }
        for (int v = 2; v <= perIncident; v++) {
            for (int i = 0; i < incidents.size(); i++) {
                // v30 and v31 reach the broker swapped: the thread still shows them in version order
                int version = v == 30 ? 31 : v == 31 ? 30 : v;
                publishIncident(Events.incidentEvent(UUID.randomUUID().toString(), "status_updated",
                        Events.incident(incidents.get(i), 300 + i, channelOf.get(i), "acknowledged", version),
                        Events.JSON.createObjectNode().put("message", "n=" + version + ";")));
            }
        }
        int total = incidents.size() * perIncident;

        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500)).until(() -> channels.stream()
                .mapToInt(c -> slack().messages(c).size()).sum() == total);
        Pattern n = Pattern.compile("n=(\\d+);");
        for (int i = 0; i < incidents.size(); i++) {
            UUID incident = incidents.get(i);
            FakeSlack.Posted parent = slack().parents(channelOf.get(i)).stream()
                    .filter(p -> incident.toString().equals(p.incidentId())).findFirst().orElseThrow();
            List<Integer> versions = slack().replies(channelOf.get(i), parent.ts).stream().map(m -> {
                Matcher matcher = n.matcher(m.text);
                assertTrue(matcher.find(), m.text);
                return Integer.parseInt(matcher.group(1));
            }).toList();
            List<Integer> expected = java.util.stream.IntStream.rangeClosed(2, perIncident).boxed().toList();
            assertEquals(expected, versions, "thread of incident " + (300 + i) + " is complete and in order");
        }
        for (String channel : channels) {
            List<FakeSlack.Call> posts = slack().calls("chat.postMessage", channel).stream()
                    .filter(c -> c.status() == 200)
                    .sorted(Comparator.comparingLong(FakeSlack.Call::receivedAtNanos)).toList();
            assertEquals(2 * perIncident, posts.size());
            // each send starts at least 100 ms after the previous one in the channel; arrival at the fake
            // adds scheduling jitter on a busy machine, so the rate is checked over windows of ten posts
            for (int k = 10; k < posts.size(); k++) {
                long span = millisBetween(posts.get(k - 10), posts.get(k));
                assertTrue(span >= 900, "11 posts to " + channel + " within " + span + " ms; the pacing is 100 ms");
            }
        }
        assertEquals(List.of(), slack().violations());
    }

    // ------------------------------------------------------------------ helpers

    private static long millisBetween(FakeSlack.Call a, FakeSlack.Call b) {
        return (b.receivedAtNanos() - a.receivedAtNanos()) / 1_000_000;
    }

    @Test
    void whenSlackAnswersAgainDeliveriesWaitingOutALongBackoffGoAtOnce() {
        String down = uniqueChannel("backoff");
        slack().outage(down, Scripted.serverError(503));
        UUID waiting = UUID.randomUUID();
        publishIncident(Events.triggered(UUID.randomUUID().toString(), Events.incident(waiting, 205, down, "triggered", 1)));
        await().atMost(Duration.ofSeconds(15)).until(() -> slack().calls("chat.postMessage", down).size() >= 1);
        UUID parent = UUID.fromString(String.valueOf(parentDelivery(waiting).get("id")));
        // as after minutes of failures: the next try an hour away (only while it is not being sent), in the
        // state a failed try leaves (not woken: the test profile's reminder posts every 3 s and each success
        // elsewhere may wake it early)
        await().atMost(Duration.ofSeconds(15)).until(() -> QuarkusTransaction.requiringNew().call(() -> em.createNativeQuery(
                "update delivery set due_at = now() + interval '1 hour', woken = false"
                        + " where id = ?1 and state = 'pending' and attempts > 0")
                .setParameter(1, parent).executeUpdate()) == 1);
        // one more failure while Slack is down, that of the next incident's own post, then Slack answers again
        UUID next = UUID.randomUUID();
        publishIncident(Events.triggered(UUID.randomUUID().toString(), Events.incident(next, 206, down, "triggered", 1)));
        await().atMost(Duration.ofSeconds(15)).until(() -> deliveries("incidentId=" + next + "&channel=slack").stream()
                .anyMatch(d -> "slack_parent".equals(d.get("kind")) && ((Number) d.get("attempts")).intValue() > 0
                        && "pending".equals(d.get("state"))));
        slack().recover(down);

        // the first post that goes through brings the waiting parent forward, instead of an hour later
        await().atMost(Duration.ofSeconds(20)).until(() -> slack().parents(down).size() == 2);
        // the fake has the post a moment before the dispatcher records the answer
        await().atMost(Duration.ofSeconds(5)).until(() -> "sent".equals(state(parent)));
        assertEquals(List.of(), slack().violations());
    }

    private Map<String, Object> parentDelivery(UUID incidentId) {
        return deliveries("incidentId=" + incidentId + "&channel=slack").stream()
                .filter(d -> "slack_parent".equals(d.get("kind"))).findFirst().orElseThrow();
    }

    private String state(UUID delivery) {
        return QuarkusTransaction.requiringNew().call(() -> repository.findById(delivery).state);
    }

    /** A post that a crashed instance claimed and never finished. */
    private UUID stuckSending(String channel, String key) {
        return QuarkusTransaction.requiringNew().call(() -> {
            EventRef ref = new EventRef(UUID.randomUUID().toString(), "toban.oncall.shift.started", Instant.now(), key);
            Delivery d = service.create(NewDelivery.slackPost(ref, "handoff", channel, key, "ja",
                    Message.slack(key + " from the crashed instance", null, null))).orElseThrow();
            // claimed as the dispatcher claims: the claim is fresh, and goes stale (sending-timeout, 5 s in tests)
            // after the post below
            em.createNativeQuery("update delivery set state = 'sending', attempts = 1, sending_since = now() where id = ?1")
                    .setParameter(1, d.id).executeUpdate();
            return d.id;
        });
    }

    /** What the crashed instance managed to do: the post is in Slack, with its delivery id in the metadata. */
    private static void postAsTheCrashedInstance(String channel, UUID delivery) throws Exception {
        ObjectNode metadata = Events.JSON.createObjectNode().put("event_type", "toban_delivery");
        metadata.putObject("event_payload").put("delivery_id", delivery.toString());
        String form = "channel=" + URLEncoder.encode(channel, StandardCharsets.UTF_8)
                + "&text=" + URLEncoder.encode("posted before the crash", StandardCharsets.UTF_8)
                + "&metadata=" + URLEncoder.encode(metadata.toString(), StandardCharsets.UTF_8);
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create(slack().apiUrl() + "chat.postMessage"))
                .header("Authorization", "Bearer " + NotifyTestResources.TOKEN)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.ofString());
        assertTrue(response.body().contains("\"ok\":true"), response.body());
    }
}

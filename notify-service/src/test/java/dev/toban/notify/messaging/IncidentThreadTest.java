package dev.toban.notify.messaging;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.toban.notify.testing.Events;
import dev.toban.plumbing.testing.FakeSlack;
import dev.toban.notify.testing.NotifyTest;
import dev.toban.notify.testing.NotifyTestResources;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** An incident's Slack thread: the parent, replies in event order, chat.update, and the ts back to incident-service. */
@QuarkusTest
@WithTestResource(NotifyTestResources.class)
class IncidentThreadTest extends NotifyTest {

    @Test
    void triggeredPostsTheParentThenEveryEventIsAReplyAndTheParentStaysCurrent() {
        String channel = uniqueChannel("svc");
        UUID id = UUID.randomUUID();
        publishIncident(Events.triggered(UUID.randomUUID().toString(), Events.incident(id, 101, channel, "triggered", 1)));

        await().atMost(Duration.ofSeconds(15)).until(() -> slack().parents(channel).size() == 1);
        FakeSlack.Posted parent = slack().parents(channel).get(0);
        assertTrue(parent.text.contains("#101 API 5xx rate above 5% (#101)"), parent.text);
        assertTrue(parent.text.contains("SEV2"), parent.text);
        assertTrue(parent.text.contains("<@U024BE7LH>"), "the IC is mentioned: " + parent.text);
        assertTrue(parent.text.contains("Server"), "the owning team: " + parent.text);
        assertTrue(parent.text.contains("<https://runbooks.example/news-api|"), "the runbook: " + parent.text);
        assertTrue(parent.text.contains("<https://meet.example/toban-101|"), "the war room: " + parent.text);
        assertTrue(parent.text.contains("発生中"), "the state, in the channel locale (ja): " + parent.text);
        assertEquals(id.toString(), parent.incidentId(), "metadata names the incident");
        assertNotNull(parent.deliveryId(), "metadata names the delivery");
        JsonNode actions = parent.blocks.get(1);
        assertEquals("actions", actions.path("type").asText());
        assertEquals("https://incidents.toban.test/ui/incidents/" + id,
                ParentMessageTest.button(parent, "toban.open").path("url").asText());

        // the thread reference goes back to incident-service
        await().atMost(Duration.ofSeconds(10)).until(() -> threadEvent(id) != null);
        JsonNode data = threadEvent(id).path("data");
        assertEquals(parent.channelId, data.path("channel").asText());
        assertEquals(parent.ts, data.path("ts").asText());
        assertEquals(channel, data.path("channelName").asText(), "the name it was posted to, for the timeline");
        assertTrue(data.path("permalink").asText().contains(parent.ts.replace(".", "")), data.toString());
        assertEquals(id.toString(), threadEvent(id).path("subject").asText());

        publishIncident(Events.incidentEvent(UUID.randomUUID().toString(), "acknowledged",
                Events.incident(id, 101, channel, "acknowledged", 2), null));
        publishIncident(Events.incidentEvent(UUID.randomUUID().toString(), "status_updated",
                Events.incident(id, 101, channel, "acknowledged", 3),
                Events.JSON.createObjectNode().put("message", "DB pool exhausted; restarting api-3")));
        publishIncident(Events.incidentEvent(UUID.randomUUID().toString(), "mitigated",
                Events.incident(id, 101, channel, "mitigated", 4),
                Events.JSON.createObjectNode().put("note", "Rolled back the deploy")));

        await().atMost(Duration.ofSeconds(15)).until(() -> slack().replies(channel, parent.ts).size() == 3);
        List<FakeSlack.Posted> replies = slack().replies(channel, parent.ts);
        assertTrue(replies.get(0).text.contains("確認しました"), replies.get(0).text);
        assertTrue(replies.get(1).text.contains("DB pool exhausted; restarting api-3"), replies.get(1).text);
        assertTrue(replies.get(2).text.contains("Rolled back the deploy"), replies.get(2).text);

        // the parent shows the newest state through chat.update
        await().atMost(Duration.ofSeconds(10)).until(() -> parent.text.contains("暫定復旧"));
        assertTrue(!parent.edits.isEmpty());
        slack().calls("chat.update", channel).forEach(c -> {
            assertEquals(parent.channelId, c.params().get("channel"), "chat.update uses the channel id");
            assertEquals(parent.ts, c.params().get("ts"));
        });

        await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> assertEquals(List.of(),
                deliveries("incidentId=" + id).stream()
                        .filter(d -> !"sent".equals(d.get("state")) && !"skipped".equals(d.get("state"))).toList()));
        Map<String, Object> parentDelivery = deliveries("incidentId=" + id).stream()
                .filter(d -> "slack_parent".equals(d.get("kind"))).findFirst().orElseThrow();
        assertEquals(parent.ts, parentDelivery.get("providerMessageId"));
        assertEquals(parent.channelId, parentDelivery.get("providerChannel"));
        assertEquals(List.of(), slack().violations());
    }

    /** Slack's permalinks have one shape: once Slack gave one for a channel, the channel's next parents need no call. */
    @Test
    void aChannelsNextParentsGetTheirPermalinksWithoutAskingSlack() {
        String channel = uniqueChannel("svc");
        List<UUID> ids = List.of(UUID.randomUUID(), UUID.randomUUID(), UUID.randomUUID());
        for (int i = 0; i < ids.size(); i++) {
            publishIncident(Events.triggered(UUID.randomUUID().toString(), Events.incident(ids.get(i), 201 + i, channel, "triggered", 1)));
            UUID id = ids.get(i);
            await().atMost(Duration.ofSeconds(15)).until(() -> threadEvent(id) != null);
        }
        for (UUID id : ids) {
            JsonNode data = threadEvent(id).path("data");
            String ts = data.path("ts").asText();
            assertEquals("https://toban-fake.slack.com/archives/" + data.path("channel").asText() + "/p" + ts.replace(".", ""),
                    data.path("permalink").asText());
        }
        assertEquals(1, slack().calls("chat.getPermalink", channel).size(), "asked for the first parent only");
    }

    @Test
    void theSameEventConsumedTwicePostsOnce() {
        String channel = uniqueChannel("dup");
        UUID id = UUID.randomUUID();
        String triggered = Events.triggered(UUID.randomUUID().toString(), Events.incident(id, 102, channel, "triggered", 1));
        publishIncident(triggered);
        publishIncident(triggered);
        String ackId = UUID.randomUUID().toString();
        ObjectNode acked = Events.incident(id, 102, channel, "acknowledged", 2);
        publishIncident(Events.incidentEvent(ackId, "acknowledged", acked, null));
        publishIncident(Events.incidentEvent(ackId, "acknowledged", acked, null));
        // a later event of the same thread is the marker: when it is out, both duplicates were consumed
        publishIncident(Events.incidentEvent(UUID.randomUUID().toString(), "resolved",
                Events.incident(id, 102, channel, "resolved", 3), Events.JSON.createObjectNode().put("note", "marker")));

        await().atMost(Duration.ofSeconds(15)).until(() -> slack().messages(channel).stream()
                .anyMatch(m -> m.text != null && m.text.contains("marker")));
        assertEquals(1, slack().parents(channel).size(), () -> "one parent for a duplicated triggered event: "
                + slack().parents(channel).stream().map(m -> m.ts + " " + m.metadata + " " + m.text.lines().findFirst().orElse(""))
                .toList() + " deliveries " + deliveries("incidentId=" + id));
        String ts = slack().parents(channel).get(0).ts;
        assertEquals(2, slack().replies(channel, ts).size(), "one reply for a duplicated acknowledged event, one for resolved");
        assertEquals(1, deliveries("eventId=" + ackId + "&channel=slack").stream()
                .filter(d -> "slack_reply".equals(d.get("kind"))).count());
    }

    @Test
    void aPoisonedEventGoesToTheDeadLetterQueueWithoutBlockingTheOthers() {
        String dlq = "notify-service.incident-events.dlq";
        await().atMost(Duration.ofSeconds(10)).until(() -> broker.depth(dlq) >= 0);
        long before = broker.depth(dlq);
        broker.publish("toban.incident", "toban.incident.triggered", "this is not a CloudEvent");
        broker.publish("toban.incident", "toban.incident.acknowledged", Events.envelope(UUID.randomUUID().toString(),
                "/toban/incident-service", "toban.incident.acknowledged", "x",
                Events.JSON.createObjectNode().put("note", "no incident snapshot")).toString());
        String channel = uniqueChannel("after-poison");
        publishIncident(Events.triggered(UUID.randomUUID().toString(),
                Events.incident(UUID.randomUUID(), 103, channel, "triggered", 1)));

        await().atMost(Duration.ofSeconds(15)).until(() -> slack().parents(channel).size() == 1);
        await().atMost(Duration.ofSeconds(10)).until(() -> broker.depth(dlq) == before + 2);
    }

    private static JsonNode threadEvent(UUID incidentId) {
        return notifyEvents("toban.notify.slack_thread.created").stream()
                .filter(e -> incidentId.toString().equals(e.path("data").path("incidentId").asText()))
                .findFirst().orElse(null);
    }
}

package dev.toban.notify.messaging;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.toban.notify.testing.Events;
import dev.toban.notify.testing.NotifyTest;
import dev.toban.notify.testing.NotifyTestResources;
import dev.toban.plumbing.testing.FakeSlack;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Alert grouping in the thread (issue 19): incident-service's roll-up of grouped alerts and its "every alert
 * resolved" notice are one reply each, never one per alert, and page no one.
 */
@QuarkusTest
@WithTestResource(NotifyTestResources.class)
class AlertRollupThreadTest extends NotifyTest {

    @Test
    void aRollUpAndTheAllResolvedNoticeAreOneReplyEach() {
        String channel = uniqueChannel("storm");
        UUID id = UUID.randomUUID();
        publishIncident(Events.triggered(UUID.randomUUID().toString(), Events.incident(id, 301, channel, "triggered", 1)));
        await().atMost(Duration.ofSeconds(15)).until(() -> slack().parents(channel).size() == 1);
        String ts = slack().parents(channel).get(0).ts;

        ObjectNode rollUp = Events.JSON.createObjectNode();
        ObjectNode alerts = rollUp.putObject("alerts").put("added", 37).put("total", 38).put("open", 36);
        alerts.putArray("summaries").add("5xx on api-2").add("5xx on api-3");
        publishIncident(Events.incidentEvent(UUID.randomUUID().toString(), "alerts_grouped",
                Events.incident(id, 301, channel, "triggered", 2), rollUp));
        ObjectNode resolved = Events.JSON.createObjectNode();
        resolved.putObject("alerts").put("total", 38);
        publishIncident(Events.incidentEvent(UUID.randomUUID().toString(), "alerts_resolved",
                Events.incident(id, 301, channel, "triggered", 3), resolved));

        await().atMost(Duration.ofSeconds(15)).until(() -> slack().replies(channel, ts).size() == 2);
        List<FakeSlack.Posted> replies = slack().replies(channel, ts);
        assertTrue(replies.get(0).text.contains("+37 件のアラート") && replies.get(0).text.contains("5xx on api-2、5xx on api-3")
                && replies.get(0).text.contains("38 件中 36 件が未解決"), replies.get(0).text);
        assertTrue(replies.get(1).text.contains("38 件のアラートがすべて監視元で解決しました")
                && replies.get(1).text.contains("<@U024BE7LH>"), replies.get(1).text);
        assertEquals(1, slack().parents(channel).size(), "no new thread");
        assertEquals(List.of(), slack().violations());
    }
}

package dev.toban.notify.thread;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.toban.notify.messaging.ParentMessageTest;
import dev.toban.notify.testing.Events;
import dev.toban.notify.testing.NotifyTest;
import dev.toban.notify.testing.NotifyTestResources;
import dev.toban.plumbing.testing.FakeSlack;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Hostile alert text cannot make Slack notify a channel or a person, link a channel, or show a link of its
 * own: an alert summary, its custom details, a title, an impact, a status update, names and even a forged
 * Slack user id arrive in Slack as text, in the parent, the replies and the page DM.
 */
@QuarkusTest
@WithTestResource(NotifyTestResources.class)
class MentionInjectionTest extends NotifyTest {

    static final List<String> OUR_LINKS = List.of("https://incidents.toban.test/", "https://runbooks.example/",
            "https://meet.example/");

    @Test
    void alertTextReachesSlackAsTextOnly() {
        String channel = uniqueChannel("hostile");
        UUID id = UUID.randomUUID();
        String hostile = SlackSafety.hostile(1500);
        ObjectNode ic = Events.person("Hanako Sato", "sato", "U024BE7LH", "ja");
        ObjectNode incident = Events.incident(id, 801, channel, "triggered", 1);
        incident.put("title", SlackSafety.hostile(1024));
        incident.put("impact", SlackSafety.hostile(4000));
        ((ObjectNode) incident.path("service")).put("name", "<!channel> News API");
        ((ObjectNode) incident.path("owningTeam")).put("name", "<@U0ATTACK> Server @here");
        incident.set("commander", ic);
        String triggered = Events.triggered(UUID.randomUUID().toString(), incident, ic);
        ObjectNode event = (ObjectNode) readTree(triggered);
        ObjectNode alert = (ObjectNode) event.path("data").path("alert");
        alert.put("summary", hostile);
        alert.put("source", "<#C0ATTACK>");
        alert.putObject("customDetails").put("note", "<!everyone> <https://evil.example|Open the runbook>");
        publishIncident(event.toString());
        // the page goes out before the incident moves on (an acknowledged incident cancels pending pages)
        await().atMost(Duration.ofSeconds(20)).until(() ->
                slack().messages("U024BE7LH").stream().anyMatch(m -> id.toString().equals(incidentOf(m))));

        ObjectNode forged = Events.person("<!here> Mallory", "mallory", null, "ja");
        forged.put("slackUserId", "U1>|<!channel");
        publishIncident(Events.incidentEvent(UUID.randomUUID().toString(), "role_changed",
                Events.incident(id, 801, channel, "acknowledged", 2).put("title", hostile),
                Events.JSON.createObjectNode().put("role", "responder").put("change", "added").<ObjectNode>set("person", forged)));
        publishIncident(Events.incidentEvent(UUID.randomUUID().toString(), "status_updated",
                Events.incident(id, 801, channel, "acknowledged", 3).put("title", hostile),
                Events.JSON.createObjectNode().put("message", SlackSafety.hostile(4000))));

        await().atMost(Duration.ofSeconds(20)).until(() -> slack().parents(channel).size() == 1
                && slack().replies(channel, slack().parents(channel).get(0).ts).size() == 2);
        FakeSlack.Posted parent = slack().parents(channel).get(0);
        await().atMost(Duration.ofSeconds(15)).until(() -> ParentMessageTest.version(parent) == 3);

        List<FakeSlack.Posted> posted = new ArrayList<>(slack().messages(channel));
        slack().messages("U024BE7LH").stream().filter(m -> id.toString().equals(incidentOf(m))).forEach(posted::add);
        for (FakeSlack.Posted m : posted) {
            assertEquals(List.of(), SlackSafety.injected(m.text, Set.of("U024BE7LH"), OUR_LINKS), m.text);
            List<String> notVerbatim = new ArrayList<>();
            if (m.blocks != null) {
                for (String t : SlackSafety.texts(m.blocks, notVerbatim)) {
                    assertEquals(List.of(), SlackSafety.injected(t, Set.of("U024BE7LH"), OUR_LINKS), t);
                }
            }
            assertEquals(List.of(), notVerbatim);
        }
        assertTrue(parent.text.contains("&lt;!channel&gt;"), "shown as text: " + parent.text);
        assertTrue(parent.text.contains("<@U024BE7LH>"), "the real IC is still mentioned");
        String reply = slack().replies(channel, parent.ts).get(0).text;
        assertTrue(reply.contains("&lt;!here&gt; Mallory"), "a forged Slack id falls back to the escaped name: " + reply);
        assertFalse(reply.contains("<@U1"), reply);
        // nothing asks Slack to find names in the text
        for (FakeSlack.Call c : slack().calls()) {
            if (c.channel() != null && (c.channel().equals(channel) || c.channel().equals(parent.channelId))) {
                assertFalse("true".equals(c.params().get("link_names")) || "1".equals(c.params().get("link_names")), c.toString());
                assertFalse("full".equals(c.params().get("parse")), c.toString());
            }
        }
    }

    private static String incidentOf(FakeSlack.Posted m) {
        return m.incidentId();
    }

    private static com.fasterxml.jackson.databind.JsonNode readTree(String json) {
        try {
            return Events.JSON.readTree(json);
        } catch (java.io.IOException e) {
            throw new IllegalArgumentException(e);
        }
    }
}

package dev.toban.notify.messaging;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.toban.notify.testing.Events;
import dev.toban.notify.testing.NotifyTest;
import dev.toban.notify.testing.NotifyTestResources;
import dev.toban.plumbing.testing.FakeSlack;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The incident's parent message always shows the incident as it is now (CONTRACT-17): the state's buttons
 * ({@code toban.<verb>}, value the incident id, in the block {@code toban.incident.actions}), the last status
 * update, the postmortem decision, a change of title or severity; bursts of events become few chat.updates
 * that end on the newest state. The page DM carries Acknowledge.
 */
@QuarkusTest
@WithTestResource(NotifyTestResources.class)
public class ParentMessageTest extends NotifyTest {

    private static final Pattern VERSION = Pattern.compile(" · v(\\d+)");

    @Test
    void theParentShowsTheButtonsEachStateAllowsAndTheLastUpdate() {
        String channel = uniqueChannel("states");
        UUID id = UUID.randomUUID();
        String incident = id.toString();
        publishIncident(Events.triggered(UUID.randomUUID().toString(), Events.incident(id, 701, channel, "triggered", 1)));
        await().atMost(Duration.ofSeconds(15)).until(() -> slack().parents(channel).size() == 1);
        FakeSlack.Posted parent = slack().parents(channel).get(0);
        assertEquals(List.of("toban.ack", "toban.take_ic", "toban.handover_ic", "toban.assign_team", "toban.status_update",
                "toban.war_room", "toban.mitigate", "toban.resolve", "toban.open"), actionIds(parent));
        JsonNode actions = actions(parent);
        assertEquals("toban.incident.actions", actions.path("block_id").asText());
        actions.path("elements").forEach(b -> assertEquals(incident, b.path("value").asText(), b.toString()));
        assertEquals("https://incidents.toban.test/ui/incidents/" + id, button(parent, "toban.open").path("url").asText());
        assertTrue(button(parent, "toban.ack").path("url").isMissingNode(), "a callback button, not a link");
        assertEquals("確認（Acknowledge）", button(parent, "toban.ack").path("text").path("text").asText());

        publishIncident(Events.incidentEvent(UUID.randomUUID().toString(), "acknowledged",
                Events.incident(id, 701, channel, "acknowledged", 2), null));
        await().atMost(Duration.ofSeconds(15)).until(() -> version(parent) == 2);
        assertEquals(List.of("toban.take_ic", "toban.handover_ic", "toban.assign_team", "toban.status_update",
                "toban.war_room", "toban.mitigate", "toban.resolve", "toban.open"), actionIds(parent));
        assertTrue(parent.text.contains("対応中"), parent.text);

        publishIncident(Events.incidentEvent(UUID.randomUUID().toString(), "status_updated",
                Events.incident(id, 701, channel, "acknowledged", 3),
                Events.JSON.createObjectNode().put("message", "Restarting api-3; next update at 10:45")));
        await().atMost(Duration.ofSeconds(15)).until(() -> version(parent) == 3);
        assertTrue(parent.text.contains("*最新の状況:* Restarting api-3; next update at 10:45"), parent.text);
        assertTrue(parent.text.contains("Hanako Sato"), "who posted it: " + parent.text);

        publishIncident(Events.incidentEvent(UUID.randomUUID().toString(), "mitigated",
                Events.incident(id, 701, channel, "mitigated", 4), Events.JSON.createObjectNode().put("note", "rolled back")));
        await().atMost(Duration.ofSeconds(15)).until(() -> version(parent) == 4);
        assertEquals(List.of("toban.take_ic", "toban.handover_ic", "toban.status_update", "toban.war_room",
                "toban.resolve", "toban.open"), actionIds(parent));
        assertTrue(parent.text.contains("Restarting api-3"), "the last update stays until the next: " + parent.text);

        publishIncident(Events.incidentEvent(UUID.randomUUID().toString(), "resolved",
                Events.incident(id, 701, channel, "resolved", 5), Events.JSON.createObjectNode().put("note", "fixed")));
        await().atMost(Duration.ofSeconds(15)).until(() -> version(parent) == 5);
        assertEquals(List.of("toban.disband", "toban.status_update", "toban.open"), actionIds(parent));

        publishIncident(Events.incidentEvent(UUID.randomUUID().toString(), "closed",
                Events.incident(id, 701, channel, "closed", 6), Events.JSON.createObjectNode().put("note", "disbanded")));
        await().atMost(Duration.ofSeconds(15)).until(() -> version(parent) == 6);
        assertEquals(List.of("toban.pm_hold", "toban.pm_skip", "toban.open"), actionIds(parent));
        assertTrue(parent.text.contains("開催するか判断してください"), parent.text);

        // the decision is recorded in postmortem-service: the parent stops asking (no incident version changed)
        int edits = parent.edits.size();
        publishPostmortem(postmortem("decided", id, "hold", 1));
        await().atMost(Duration.ofSeconds(15)).until(() -> parent.edits.size() > edits && actionIds(parent).size() == 1);
        assertEquals(List.of("toban.open"), actionIds(parent));
        assertTrue(parent.text.contains("*ポストモーテム（障害撲滅委員会）:* 開催"), parent.text);
        // an older postmortem event arriving late changes nothing back
        publishPostmortem(postmortem("opened", id, null, 0));
        publishIncident(Events.incidentEvent(UUID.randomUUID().toString(), "update_overdue",
                Events.incident(id, 701, channel, "closed", 6), null));
        // both consumed: the late postmortem event's reply and the nudge are in the thread
        await().atMost(Duration.ofSeconds(15)).until(() -> slack().replies(channel, parent.ts).stream()
                .anyMatch(r -> r.text.contains("開催するか判断してください"))
                && slack().replies(channel, parent.ts).stream().anyMatch(r -> r.text.startsWith(":hourglass:")));
        await().atMost(Duration.ofSeconds(15)).until(() -> deliveries("incidentId=" + id).stream()
                .noneMatch(d -> "pending".equals(d.get("state")) || "sending".equals(d.get("state"))));
        assertEquals(List.of("toban.open"), actionIds(parent));
        assertEquals(List.of(), slack().violations());
    }

    @Test
    void aChangedTitleOrSeverityIsShownAtOnce() {
        String channel = uniqueChannel("updated");
        UUID id = UUID.randomUUID();
        publishIncident(Events.triggered(UUID.randomUUID().toString(), Events.incident(id, 702, channel, "triggered", 1)));
        await().atMost(Duration.ofSeconds(15)).until(() -> slack().parents(channel).size() == 1);
        FakeSlack.Posted parent = slack().parents(channel).get(0);
        ObjectNode changed = Events.incident(id, 702, channel, "triggered", 2);
        changed.put("title", "Checkout fails for every user");
        changed.put("severity", "SEV1");
        ObjectNode extra = Events.JSON.createObjectNode();
        extra.putObject("changes").putObject("title").put("from", "API 5xx rate above 5% (#702)")
                .put("to", "Checkout fails for every user");
        publishIncident(Events.incidentEvent(UUID.randomUUID().toString(), "updated", changed, extra));
        await().atMost(Duration.ofSeconds(15)).until(() -> parent.text.contains("Checkout fails for every user"));
        assertTrue(parent.text.contains("SEV1"), parent.text);
        assertEquals(0, slack().replies(channel, parent.ts).size(), "an edit of the incident is no thread reply");
    }

    @Test
    void aBurstOfEventsBecomesFewUpdatesEndingOnTheNewestState() {
        String channel = uniqueChannel("burst");
        UUID id = UUID.randomUUID();
        publishIncident(Events.triggered(UUID.randomUUID().toString(), Events.incident(id, 703, channel, "triggered", 1)));
        await().atMost(Duration.ofSeconds(15)).until(() -> slack().parents(channel).size() == 1);
        FakeSlack.Posted parent = slack().parents(channel).get(0);
        int events = 12;
        for (int v = 2; v <= events + 1; v++) {
            publishIncident(Events.incidentEvent(UUID.randomUUID().toString(), "status_updated",
                    Events.incident(id, 703, channel, "acknowledged", v),
                    Events.JSON.createObjectNode().put("message", "update number " + v)));
        }
        await().atMost(Duration.ofSeconds(20)).until(() -> version(parent) == events + 1);
        assertTrue(parent.text.contains("update number " + (events + 1)), parent.text);
        await().atMost(Duration.ofSeconds(15)).until(() -> slack().replies(channel, parent.ts).size() == events);
        List<FakeSlack.Call> updates = slack().calls("chat.update", channel);
        assertTrue(updates.size() < events / 2, "a burst of " + events + " events, " + updates.size() + " chat.update calls");
        // in order: every update shows a newer version than the one before, and they are spaced out
        List<Integer> versions = new ArrayList<>();
        for (FakeSlack.Call c : updates) {
            Matcher m = VERSION.matcher(c.params().get("blocks"));
            assertTrue(m.find(), c.params().get("blocks"));
            versions.add(Integer.parseInt(m.group(1)));
        }
        for (int i = 1; i < versions.size(); i++) {
            assertTrue(versions.get(i) > versions.get(i - 1), "updates in order: " + versions);
            long gap = (updates.get(i).receivedAtNanos() - updates.get(i - 1).receivedAtNanos()) / 1_000_000;
            assertTrue(gap >= 900, "one update of a parent per second at most; " + gap + " ms between two");
        }
    }

    @Test
    void thePageDmHasAcknowledgeAndTheLinkToTheConsole() {
        String channel = uniqueChannel("dm");
        UUID id = UUID.randomUUID();
        ObjectNode ic = Events.person("Kenji Page", "kpage-" + id.toString().substring(0, 6), "U0DM" + id.toString()
                .substring(0, 6).toUpperCase(), "en");
        ObjectNode incident = Events.incident(id, 704, channel, "triggered", 1);
        incident.set("commander", ic);
        publishIncident(Events.triggered(UUID.randomUUID().toString(), incident, ic));
        String user = ic.path("slackUserId").asText();
        await().atMost(Duration.ofSeconds(15)).until(() -> slack().messages(user).size() == 1);
        FakeSlack.Posted dm = slack().messages(user).get(0);
        assertEquals(List.of("toban.ack", "toban.open"), actionIds(dm));
        assertEquals(id.toString(), button(dm, "toban.ack").path("value").asText());
        assertEquals("Acknowledge", button(dm, "toban.ack").path("text").path("text").asText(), "in the person's language");
        assertEquals("primary", button(dm, "toban.ack").path("style").asText());
        assertTrue(dm.text.contains("you are paged"), "the text stays the notification and fallback: " + dm.text);
        assertEquals(dm.text, dm.blocks.get(0).path("text").path("text").asText());
    }

    public static JsonNode actions(FakeSlack.Posted message) {
        for (JsonNode block : message.blocks) {
            if ("actions".equals(block.path("type").asText())) {
                return block;
            }
        }
        return Events.JSON.createObjectNode();
    }

    public static List<String> actionIds(FakeSlack.Posted message) {
        List<String> ids = new ArrayList<>();
        actions(message).path("elements").forEach(b -> ids.add(b.path("action_id").asText()));
        return ids;
    }

    public static JsonNode button(FakeSlack.Posted message, String actionId) {
        for (JsonNode b : actions(message).path("elements")) {
            if (actionId.equals(b.path("action_id").asText())) {
                return b;
            }
        }
        return Events.JSON.createObjectNode();
    }

    /** The incident version the parent shows (its context line). */
    public static int version(FakeSlack.Posted parent) {
        Matcher m = VERSION.matcher(String.valueOf(parent.blocks));
        return m.find() ? Integer.parseInt(m.group(1)) : -1;
    }

    static String postmortem(String suffix, UUID incident, String decision, int version) {
        ObjectNode data = Events.JSON.createObjectNode();
        ObjectNode pm = data.putObject("postmortem");
        pm.put("id", UUID.nameUUIDFromBytes(("pm-" + incident).getBytes()).toString());
        pm.put("incidentId", incident.toString());
        pm.put("incidentNumber", 701);
        pm.put("title", "Postmortem");
        pm.put("severity", "SEV2");
        pm.put("state", decision == null ? "pending_decision" : "scheduled");
        pm.put("required", true);
        pm.put("decisionDueAt", "2026-11-27T09:00:00Z");
        if (decision == null) {
            pm.putNull("decision");
        } else {
            pm.put("decision", decision);
        }
        pm.set("owningTeam", Events.team("Server", "#team-server"));
        pm.put("version", version);
        data.set("actor", Events.JSON.createObjectNode().put("username", "sato"));
        if (decision != null) {
            data.put("decision", decision);
        }
        return Events.envelope(UUID.randomUUID().toString(), "/toban/postmortem-service", "toban.postmortem." + suffix,
                pm.path("id").asText(), data).toString();
    }
}

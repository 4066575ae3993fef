package dev.toban.notify.messaging;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.toban.notify.reminder.SosHowtoReminder;
import dev.toban.notify.testing.Events;
import dev.toban.plumbing.testing.FakeSlack;
import dev.toban.notify.testing.NotifyTest;
import dev.toban.notify.testing.NotifyTestResources;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Postmortem events in the incident thread, the overdue nudge, action-item DMs and the /sos reminder. */
@QuarkusTest
@WithTestResource(NotifyTestResources.class)
class PostmortemAndReminderTest extends NotifyTest {

    @Inject
    SosHowtoReminder reminders;

    @Test
    void postmortemEventsAndTheUpdateNudgeGoToTheIncidentThreadAndActionItemsToTheirOwner() {
        String channel = uniqueChannel("pm");
        UUID incident = UUID.randomUUID();
        publishIncident(Events.triggered(UUID.randomUUID().toString(), Events.incident(incident, 601, channel, "triggered", 1)));
        await().atMost(Duration.ofSeconds(15)).until(() -> slack().parents(channel).size() == 1);
        String ts = slack().parents(channel).get(0).ts;

        ObjectNode overdue = Events.JSON.createObjectNode().put("lastUpdateAt", "2026-11-25T01:00:00Z").put("cadenceMinutes", 30);
        publishIncident(Events.incidentEvent(UUID.randomUUID().toString(), "update_overdue",
                Events.incident(incident, 601, channel, "acknowledged", 1), overdue));
        publishPostmortem(postmortem("opened", incident, null));
        String ownerId = "U" + UUID.randomUUID().toString().replace("-", "").substring(0, 9).toUpperCase();
        publishPostmortem(postmortem("action_item.created", incident,
                Events.person("Ichiro Suzuki", "suzuki-" + ownerId, ownerId, "ja")));

        await().atMost(Duration.ofSeconds(15)).until(() -> slack().replies(channel, ts).size() == 2
                && slack().messages(ownerId).size() == 1);
        // two queues (incident, postmortem): the two replies may come in either order
        FakeSlack.Posted nudge = slack().replies(channel, ts).stream()
                .filter(m -> m.text.startsWith(":hourglass:")).findFirst().orElseThrow();
        assertTrue(nudge.text.startsWith(":hourglass: <@U024BE7LH> さん、最後の状況アップデートから 30 分以上"), nudge.text);
        assertTrue(nudge.text.contains("2026-11-25 10:00 JST"), nudge.text);
        FakeSlack.Posted opened = slack().replies(channel, ts).stream()
                .filter(m -> m.text.startsWith(":memo:")).findFirst().orElseThrow();
        assertTrue(opened.text.contains("障害撲滅委員会（ポストモーテム）を開催するか判断してください"), opened.text);
        assertTrue(opened.text.contains("<@U024BE7LH> さん"), "the IC is asked: " + opened.text);
        // the postmortem's page under the configured public URL, not the event's url (a 404 before issue 16)
        assertTrue(opened.text.contains("<https://postmortems.toban.test/ui/postmortems/") && !opened.text.contains("8084"),
                opened.text);
        String dm = slack().messages(ownerId).get(0).text;
        assertTrue(dm.contains("アクションアイテムの担当になりました") && dm.contains("Alert on DB pool saturation"), dm);
        assertTrue(dm.contains("#601 の障害撲滅委員会より"), dm);
    }

    @Test
    void theSosHowtoIsPostedOnItsScheduleAndEachOccurrenceOnlyOnce() {
        // the test profile runs the reminder every 3 seconds in #test-incident-report
        await().atMost(Duration.ofSeconds(15)).until(() -> !slack().messages("#test-incident-report").isEmpty());
        String text = slack().messages("#test-incident-report").get(0).text;
        assertTrue(text.contains("障害報告のしかた") && text.contains("`/sos`"), text);

        // two replicas firing the same occurrence: one posts
        Instant occurrence = Instant.parse("2001-01-01T00:00:00Z").plusSeconds(UUID.randomUUID().hashCode() & 0xffffff);
        Optional<UUID> first = reminders.fire(SosHowtoReminder.SOS_HOWTO, occurrence);
        Optional<UUID> second = reminders.fire(SosHowtoReminder.SOS_HOWTO, occurrence.plusMillis(300));
        assertTrue(first.isPresent());
        assertEquals(Optional.empty(), second, "the same occurrence (to the second) is posted once");
        assertTrue(reminders.fire(SosHowtoReminder.SOS_HOWTO, occurrence.plusSeconds(3)).isPresent(), "the next one posts");
    }

    private static String postmortem(String suffix, UUID incident, ObjectNode owner) {
        ObjectNode data = Events.JSON.createObjectNode();
        ObjectNode pm = data.putObject("postmortem");
        pm.put("id", UUID.randomUUID().toString());
        pm.put("incidentId", incident.toString());
        pm.put("incidentNumber", 601);
        pm.put("title", "Postmortem: API 5xx rate above 5%");
        pm.put("severity", "SEV2");
        pm.put("state", "pending_decision");
        pm.put("required", true);
        pm.put("decisionDueAt", "2026-11-27T09:00:00Z");
        pm.set("owningTeam", Events.team("Server", "#team-server"));
        pm.put("url", "http://localhost:8084/postmortems/" + pm.path("id").asText());
        data.set("actor", Events.JSON.createObjectNode().put("username", "system"));
        if (owner != null) {
            ObjectNode item = data.putObject("actionItem");
            item.put("id", UUID.randomUUID().toString());
            item.put("title", "Alert on DB pool saturation");
            item.set("owner", owner);
            item.set("team", Events.team("Server", "#team-server"));
            item.put("dueDate", "2026-12-10");
            item.put("status", "open");
        }
        return Events.envelope(UUID.randomUUID().toString(), "/toban/postmortem-service", "toban.postmortem." + suffix,
                pm.path("id").asText(), data).toString();
    }
}

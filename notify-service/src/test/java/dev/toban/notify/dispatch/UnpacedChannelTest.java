package dev.toban.notify.dispatch;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.toban.notify.testing.Events;
import dev.toban.notify.testing.NotifyTest;
import dev.toban.notify.testing.NotifyTestResources;
import dev.toban.plumbing.testing.FakeSlack;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** With pacing off, one channel sends several incident threads side by side, each still in order. */
@QuarkusTest
@TestProfile(UnpacedChannelTest.Unpaced.class)
@WithTestResource(NotifyTestResources.class)
class UnpacedChannelTest extends NotifyTest {

    public static class Unpaced implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("toban.slack.post-interval", "0ms", "toban.slack.unpaced-parallelism", "3");
        }
    }

    @Inject
    DeliveryService service;

    @Test
    void threadsGoSideBySideUpToTheLimitWhileEachThreadAndTheStandalonePostsKeepTheirOrder() {
        String channel = uniqueChannel("unpaced");
        slack().latency(channel, Duration.ofMillis(150)); // slow enough that claims overlap
        int perIncident = 5;
        List<UUID> incidents = IntStream.range(0, 6).mapToObj(i -> UUID.randomUUID()).toList();
        for (int i = 0; i < incidents.size(); i++) {
            publishIncident(Events.triggered(UUID.randomUUID().toString(),
                    Events.incident(incidents.get(i), 700 + i, channel, "triggered", 1)));
        }
        for (int v = 2; v <= perIncident; v++) {
            for (int i = 0; i < incidents.size(); i++) {
                publishIncident(Events.incidentEvent(UUID.randomUUID().toString(), "status_updated",
                        Events.incident(incidents.get(i), 700 + i, channel, "acknowledged", v),
                        Events.JSON.createObjectNode().put("message", "n=" + v + ";")));
            }
        }
        // posts outside any thread (as the SOS how-to reminder) in the same channel
        int standalone = 4;
        QuarkusTransaction.requiringNew().run(() -> {
            for (int k = 1; k <= standalone; k++) {
                EventRef ref = new EventRef(UUID.randomUUID().toString(), "toban.notify.reminder", Instant.now(), "r" + k);
                service.create(NewDelivery.slackPost(ref, "reminder", channel, "reminder", "en",
                        Message.slack("standalone s=" + k + ";", null, null)));
            }
        });

        int total = incidents.size() * perIncident + standalone;
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                .until(() -> slack().messages(channel).size() == total);

        Pattern n = Pattern.compile("n=(\\d+);");
        for (UUID incident : incidents) {
            FakeSlack.Posted parent = slack().parents(channel).stream()
                    .filter(p -> incident.toString().equals(p.incidentId())).findFirst().orElseThrow();
            List<Integer> versions = slack().replies(channel, parent.ts).stream().map(m -> {
                Matcher matcher = n.matcher(m.text);
                assertTrue(matcher.find(), m.text);
                return Integer.parseInt(matcher.group(1));
            }).toList();
            assertEquals(IntStream.rangeClosed(2, perIncident).boxed().toList(), versions, "thread in order");
        }
        List<String> standaloneOrder = new ArrayList<>();
        Pattern s = Pattern.compile("s=(\\d+);");
        slack().parents(channel).forEach(m -> {
            Matcher matcher = s.matcher(String.valueOf(m.text));
            if (matcher.find()) {
                standaloneOrder.add(matcher.group(1));
            }
        });
        assertEquals(List.of("1", "2", "3", "4"), standaloneOrder);

        int most = slack().mostInFlight(channel, false);
        assertTrue(most >= 2 && most <= 3, "posts in flight at once in the channel: " + most + " (limit 3)");
        assertEquals(1, slack().mostInFlight(channel, true), "posts outside threads go one at a time");
        assertEquals(List.of(), slack().violations());
    }
}

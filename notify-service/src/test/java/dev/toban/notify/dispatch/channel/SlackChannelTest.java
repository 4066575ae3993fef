package dev.toban.notify.dispatch.channel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.toban.notify.config.SlackSettings;
import dev.toban.notify.dispatch.Message;
import dev.toban.notify.dispatch.NewDelivery;
import dev.toban.plumbing.egress.EgressPolicy;
import dev.toban.plumbing.testing.RawTcpServer;
import java.time.Duration;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class SlackChannelTest {

    static SlackSettings settings(String token, String url) {
        return new SlackSettings() {
            public String apiUrl() {
                return url;
            }

            public Optional<String> botToken() {
                return Optional.ofNullable(token);
            }

            public String defaultChannel() {
                return "#incidents";
            }

            public Duration postInterval() {
                return Duration.ofSeconds(1);
            }

            public int unpacedParallelism() {
                return 1;
            }

            public Duration timeout() {
                return Duration.ofSeconds(2);
            }

            public Duration updateInterval() {
                return Duration.ofSeconds(1);
            }

            public SlackSettings.Sandbox sandbox() {
                return null;
            }
        };
    }

    @Test
    void withoutABotTokenSlackIsOffAndSaysWhy() {
        SlackChannel off = new SlackChannel(settings(null, "https://slack.com/api/"), new ObjectMapper(), EgressPolicy.allowing());
        assertFalse(off.enabled());
        assertTrue(off.disabledReason().contains("SLACK_BOT_TOKEN"));
        assertFalse(new SlackChannel(settings("  ", "https://slack.com/api/"), new ObjectMapper(), EgressPolicy.allowing())
                .enabled());
    }

    @Test
    void anUnreachableSlackIsATransientFailure() {
        // nothing listens on port 1: the connection is refused, so the post certainly did not arrive
        SlackChannel slack = new SlackChannel(settings("xoxb-x", "http://127.0.0.1:1/api"), new ObjectMapper(),
                EgressPolicy.allowing("127.0.0.1:1"));
        SendResult result = slack.send(post());
        assertEquals(SendResult.Status.RETRY, result.status());
        assertFalse(result.mayHaveArrived());
    }

    @Test
    void aSlackApiUrlPointingInsideIsRefusedAndNeverConnectedTo() throws Exception {
        try (RawTcpServer trap = RawTcpServer.trap()) {
            for (String url : java.util.List.of("http://127.0.0.1:" + trap.port() + "/api/",
                    "http://localhost:" + trap.port() + "/api/", "http://2130706433:" + trap.port() + "/api/",
                    "http://[::1]:" + trap.port() + "/api/", "http://169.254.169.254/api/", "http://10.0.0.1/api/")) {
                SlackChannel slack = new SlackChannel(settings("xoxb-x", url), new ObjectMapper(), EgressPolicy.allowing());
                SendResult result = slack.send(post());
                assertEquals(SendResult.Status.FAILED, result.status(), url + ": " + result.error());
                assertTrue(result.error().startsWith("refused by egress policy: "), result.error());
            }
            assertEquals(0, trap.connections(), "never connected");
        }
    }

    static Outgoing post() {
        return new Outgoing(UUID.randomUUID(), "e1", "toban.incident.triggered", null,
                NewDelivery.SLACK_POST, "#incidents", Message.slack("hello", null, null), null, null, null, 1, null);
    }
}

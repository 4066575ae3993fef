package dev.toban.notify.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.toban.notify.config.SlackSettings;
import dev.toban.notify.service.channel.Outgoing;
import dev.toban.notify.service.channel.SendResult;
import dev.toban.notify.service.channel.SlackChannel;
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
        };
    }

    @Test
    void withoutABotTokenSlackIsOffAndSaysWhy() {
        SlackChannel off = new SlackChannel(settings(null, "https://slack.com/api/"), new ObjectMapper());
        assertFalse(off.enabled());
        assertTrue(off.disabledReason().contains("SLACK_BOT_TOKEN"));
        assertFalse(new SlackChannel(settings("  ", "https://slack.com/api/"), new ObjectMapper()).enabled());
    }

    @Test
    void anUnreachableSlackIsATransientFailure() {
        // nothing listens on port 1: the connection is refused, so the post certainly did not arrive
        SlackChannel slack = new SlackChannel(settings("xoxb-x", "http://127.0.0.1:1/api"), new ObjectMapper());
        SendResult result = slack.send(new Outgoing(UUID.randomUUID(), "e1", "toban.incident.triggered", null,
                NewDelivery.SLACK_POST, "#incidents", Message.slack("hello", null, null), null, null, null, 1, null));
        assertEquals(SendResult.Status.RETRY, result.status());
        assertFalse(result.mayHaveArrived());
    }
}

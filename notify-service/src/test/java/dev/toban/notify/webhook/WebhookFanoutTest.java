package dev.toban.notify.webhook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.toban.notify.dispatch.channel.WebhookChannel;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class WebhookFanoutTest {

    @Test
    void patternsMatchLikeAmqpTopics() {
        assertTrue(WebhookFanout.matches("toban.incident.*", "toban.incident.triggered"));
        assertFalse(WebhookFanout.matches("toban.incident.*", "toban.postmortem.opened"));
        assertFalse(WebhookFanout.matches("toban.postmortem.*", "toban.postmortem.action_item.created"));
        assertTrue(WebhookFanout.matches("toban.postmortem.#", "toban.postmortem.action_item.created"));
        assertTrue(WebhookFanout.matches("toban.postmortem.#", "toban.postmortem"));
        assertTrue(WebhookFanout.matches("toban.oncall.shift.started", "toban.oncall.shift.started"));
        assertFalse(WebhookFanout.matches("toban.oncall.shift.started", "toban.oncall.shift.ended"));
        assertTrue(WebhookFanout.matches("#", "anything.at.all"));
        assertTrue(WebhookFanout.matches("*", "toban.incident.resolved"));
        assertTrue(WebhookFanout.matches("toban.*.resolved", "toban.incident.resolved"));
    }

    @Test
    void eachEventTypeIsSummarisedWithItsOwnTemplate() {
        assertEquals(Optional.of("incident.parent"), WebhookFanout.templateKey("toban.incident.triggered"));
        assertEquals(Optional.of("incident.resolved"), WebhookFanout.templateKey("toban.incident.resolved"));
        assertEquals(Optional.of("handoff.channel"), WebhookFanout.templateKey("toban.oncall.shift.started"));
        assertEquals(Optional.of("cover.accepted"), WebhookFanout.templateKey("toban.oncall.cover.accepted"));
        assertEquals(Optional.of("postmortem.action_item.overdue"),
                WebhookFanout.templateKey("toban.postmortem.action_item.overdue"));
        assertEquals(Optional.empty(), WebhookFanout.templateKey("toban.incident.change_received"));
    }

    @Test
    void theSignatureIsHexHmacSha256OfTimestampDotBody() {
        // computed independently: python3 -c "import hmac,hashlib; print(hmac.new(b'whsec_test',
        //   b'1700000000.{\"type\":\"toban.incident.triggered\"}', hashlib.sha256).hexdigest())"
        assertEquals("c52a1ec00d8a43cf2f5f80cac90a1c13e44c9b3ee25f93d30748fa2b92237519",
                WebhookChannel.sign("whsec_test", "1700000000", "{\"type\":\"toban.incident.triggered\"}"));
    }
}

package dev.toban.notify.dispatch;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import dev.toban.notify.slack.BlockKit;

/**
 * A rendered message as stored in a delivery. Which parts are set depends on the channel: Slack
 * uses {@code text} (the fallback and notification text) and {@code blocks}; email uses
 * {@code subject}, {@code text} and {@code html}; a webhook posts {@code body}; an SMS or a call uses
 * {@code text}; a push uses {@code subject} (title), {@code text}, {@code url} (click) and {@code body}
 * (priority, tags, whether it has an Acknowledge action).
 *
 * @param version  the incident version a Slack parent message or its update shows
 * @param url      the address of a person's own webhook contact method (configured webhooks use their id)
 * @param revision the rendering of an incident's parent message this is (see IncidentThread.parentRevision)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Message(String text, JsonNode blocks, String subject, String html, JsonNode body, Long version, String url,
                      Long revision) {

    /** A Slack message; the text is cut to Slack's limit for a message's text. */
    public static Message slack(String text, JsonNode blocks, Long version) {
        return new Message(BlockKit.cutMrkdwn(text, BlockKit.MESSAGE_TEXT), blocks, null, null, null, version, null, null);
    }

    /** An incident's parent message, as its {@code revision}-th rendering. */
    public static Message parent(String text, JsonNode blocks, long version, long revision) {
        return new Message(BlockKit.cutMrkdwn(text, BlockKit.MESSAGE_TEXT), blocks, null, null, null, version, null,
                revision);
    }

    public static Message email(String subject, String text, String html) {
        return new Message(text, null, subject, html, null, null, null, null);
    }

    /** A plain text: an SMS, or what a call says. */
    public static Message sms(String text) {
        return new Message(text, null, null, null, null, null, null, null);
    }

    public static Message webhook(JsonNode body, String url) {
        return new Message(null, null, null, null, body, null, url, null);
    }
}

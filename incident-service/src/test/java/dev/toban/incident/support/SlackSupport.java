package dev.toban.incident.support;

import static io.restassured.RestAssured.given;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.toban.plumbing.slack.SlackSignature;
import io.restassured.response.Response;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;

/** Slack's requests to the Slack app, signed as Slack signs them, and the payloads Slack sends. */
public final class SlackSupport {

    private static final ObjectMapper JSON = new ObjectMapper();

    private SlackSupport() {
    }

    /** A form body with the interaction payload, as Slack posts it. */
    public static String payloadForm(String payload) {
        return "payload=" + URLEncoder.encode(payload, StandardCharsets.UTF_8);
    }

    /** Posts {@code body} signed now to {@code path}. */
    public static Response post(String path, String body) {
        return post(path, body, Instant.now().getEpochSecond(), TestStack.SLACK_SECRET, null);
    }

    /** Posts {@code body} signed at {@code timestamp} with {@code secret}; {@code retryNum} as X-Slack-Retry-Num. */
    public static Response post(String path, String body, long timestamp, String secret, String retryNum) {
        String ts = Long.toString(timestamp);
        var request = given().contentType("application/x-www-form-urlencoded").body(body)
                .header("X-Slack-Request-Timestamp", ts)
                .header("X-Slack-Signature", SlackSignature.sign(secret, ts, body.getBytes(StandardCharsets.UTF_8)));
        if (retryNum != null) {
            request.header("X-Slack-Retry-Num", retryNum).header("X-Slack-Retry-Reason", "http_timeout");
        }
        return request.post(path);
    }

    public static Response interaction(String payload) {
        return post("/integrations/slack/interactions", payloadForm(payload));
    }

    /** A click on {@code toban.<verb>} of an incident's message; its response_url is the fake's {@code responseId}. */
    public static String blockAction(String userId, String verb, Object incidentId, String responseId, String triggerId) {
        ObjectNode p = JSON.createObjectNode().put("type", "block_actions").put("api_app_id", "A0TOBAN")
                .put("token", "ignored").put("trigger_id", triggerId);
        if (responseId != null) { // a message without a response_url (Slack gives one for every message button)
            p.put("response_url", SlackAppFakes.slack().responseUrl(responseId));
        }
        p.putObject("user").put("id", userId).put("username", userId.toLowerCase()).put("team_id", "T0TOBAN");
        p.putObject("team").put("id", "T0TOBAN").put("domain", "toban");
        p.putObject("channel").put("id", "C0INCIDENTS").put("name", "incidents");
        p.putObject("container").put("type", "message").put("message_ts", "1733450000.000100")
                .put("channel_id", "C0INCIDENTS").put("is_ephemeral", false);
        p.putObject("message").put("ts", "1733450000.000100").put("text", "incident");
        ObjectNode action = p.putArray("actions").addObject().put("action_id", "toban." + verb)
                .put("block_id", "toban.incident.actions").put("value", String.valueOf(incidentId))
                .put("type", "button").put("action_ts", Instant.now().getEpochSecond() + "." + UUID.randomUUID()
                        .toString().substring(0, 6));
        action.putObject("text").put("type", "plain_text").put("text", verb);
        return p.toString();
    }

    /** A modal submitted: {@code values} maps block id to the typed text or the chosen option's value. */
    public static String viewSubmission(String userId, String callbackId, Object privateMetadata, String viewId,
                                        Map<String, String> texts, Map<String, String> choices) {
        ObjectNode p = JSON.createObjectNode().put("type", "view_submission").put("api_app_id", "A0TOBAN")
                .put("token", "ignored").put("trigger_id", "trigger-" + UUID.randomUUID());
        p.putObject("user").put("id", userId).put("username", userId.toLowerCase()).put("team_id", "T0TOBAN");
        p.putObject("team").put("id", "T0TOBAN").put("domain", "toban");
        ObjectNode view = p.putObject("view").put("id", viewId).put("type", "modal").put("callback_id", callbackId)
                .put("private_metadata", privateMetadata == null ? "" : String.valueOf(privateMetadata))
                .put("hash", "156772938.1827394");
        ObjectNode values = view.putObject("state").putObject("values");
        texts.forEach((block, text) -> values.putObject(block).putObject("value")
                .put("type", "plain_text_input").put("value", text));
        choices.forEach((block, value) -> {
            ObjectNode select = values.putObject(block).putObject("value").put("type", "static_select");
            if (value == null) {
                select.putNull("selected_option");
            } else {
                select.putObject("selected_option").put("value", value).putObject("text")
                        .put("type", "plain_text").put("text", value);
            }
        });
        p.putArray("response_urls");
        return p.toString();
    }

    /** The global shortcut {@code callbackId} used. */
    public static String shortcut(String userId, String callbackId, String triggerId) {
        ObjectNode p = JSON.createObjectNode().put("type", "shortcut").put("callback_id", callbackId)
                .put("trigger_id", triggerId).put("token", "ignored").put("action_ts", "1733450000.1");
        p.putObject("user").put("id", userId).put("username", userId.toLowerCase()).put("team_id", "T0TOBAN");
        p.putObject("team").put("id", "T0TOBAN").put("domain", "toban");
        return p.toString();
    }

    /** A slash command's form, as Slack posts it. */
    public static String command(String userId, String command, String text, String channelId, String responseId,
                                 String triggerId) {
        return "token=ignored&team_id=T0TOBAN&team_domain=toban&channel_id=" + channelId + "&channel_name=incidents"
                + "&user_id=" + userId + "&user_name=" + userId.toLowerCase()
                + "&command=" + URLEncoder.encode(command, StandardCharsets.UTF_8)
                + "&text=" + URLEncoder.encode(text, StandardCharsets.UTF_8)
                + "&api_app_id=A0TOBAN&is_enterprise_install=false"
                + "&response_url=" + URLEncoder.encode(SlackAppFakes.slack().responseUrl(responseId), StandardCharsets.UTF_8)
                + "&trigger_id=" + triggerId;
    }

    public static Response toban(String userId, String text, String channelId, String responseId, String triggerId) {
        return post("/integrations/slack/commands", command(userId, "/toban", text, channelId, responseId, triggerId));
    }

    public static String id() {
        return UUID.randomUUID().toString().substring(0, 13);
    }
}

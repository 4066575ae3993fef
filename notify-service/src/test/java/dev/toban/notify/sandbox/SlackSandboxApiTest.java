package dev.toban.notify.sandbox;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.toban.notify.testing.Events;
import dev.toban.notify.testing.NotifyTest;
import dev.toban.notify.testing.SandboxProfile;
import dev.toban.notify.testing.SandboxTestResources;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The Slack sandbox's Web API answers Toban's calls as Slack does (arguments, answers, error codes, Block
 * Kit limits), keeps its workspace in the database, and notify-service's own Slack client posts incident
 * threads and updates to it exactly as to Slack.
 */
@QuarkusTest
@TestProfile(SandboxProfile.class)
class SlackSandboxApiTest extends NotifyTest {

    static final String TOKEN = "xoxb-sandbox";

    static JsonNode api(String method, Object... args) {
        var spec = given().header("Authorization", "Bearer " + TOKEN).contentType("application/x-www-form-urlencoded; charset=UTF-8");
        for (int i = 0; i < args.length; i += 2) {
            spec = spec.formParam((String) args[i], args[i + 1]);
        }
        Response r = spec.post("/sandbox/slack/api/" + method);
        r.then().statusCode(200);
        return read(r.asString());
    }

    static JsonNode read(String json) {
        try {
            return Events.JSON.readTree(json);
        } catch (java.io.IOException e) {
            throw new IllegalStateException(json, e);
        }
    }

    @Test
    void theTokenIsTheCredential() {
        assertEquals("not_authed", read(given().contentType("application/x-www-form-urlencoded").formParam("x", "1")
                .post("/sandbox/slack/api/auth.test").then().statusCode(200).extract().asString()).path("error").asText());
        assertEquals("invalid_auth", read(given().header("Authorization", "Bearer xoxb-other")
                .post("/sandbox/slack/api/auth.test").then().statusCode(200).extract().asString()).path("error").asText());
        JsonNode me = api("auth.test");
        assertTrue(me.path("ok").asBoolean(), me.toString());
        assertEquals("BTOBAN", me.path("bot_id").asText());
        // the token as an argument works too, as in Slack
        assertTrue(read(given().contentType("application/x-www-form-urlencoded").formParam("token", TOKEN)
                .post("/sandbox/slack/api/auth.test").asString()).path("ok").asBoolean());
        assertEquals("unknown_method", api("chat.scheduleMessage").path("error").asText());
    }

    @Test
    void messagesThreadsAndUpdatesWithSlacksChecks() {
        String name = "sbx-" + UUID.randomUUID().toString().substring(0, 8);
        JsonNode posted = api("chat.postMessage", "channel", "#" + name, "text", "hello *world*");
        assertTrue(posted.path("ok").asBoolean(), posted.toString());
        String channel = posted.path("channel").asText();
        assertTrue(channel.matches("C[A-Z0-9]{10}"), channel);
        String ts = posted.path("ts").asText();
        assertEquals(channel, api("chat.postMessage", "channel", name, "text", "again").path("channel").asText(),
                "a name with or without # is the same channel");

        JsonNode reply = api("chat.postMessage", "channel", channel, "thread_ts", ts, "text", "a reply",
                "metadata", "{\"event_type\":\"toban_delivery\",\"event_payload\":{\"delivery_id\":\"d1\"}}");
        assertEquals(ts, reply.path("message").path("thread_ts").asText());
        assertEquals("thread_not_found", api("chat.postMessage", "channel", channel, "thread_ts", "1.000001",
                "text", "x").path("error").asText());
        assertEquals("no_text", api("chat.postMessage", "channel", channel).path("error").asText());
        assertEquals("invalid_metadata_format", api("chat.postMessage", "channel", channel, "text", "x",
                "metadata", "{\"event_type\":\"x\"}").path("error").asText());
        JsonNode tooLong = api("chat.postMessage", "channel", channel, "text", "x", "blocks",
                "[{\"type\":\"section\",\"text\":{\"type\":\"mrkdwn\",\"text\":\"" + "a".repeat(3001) + "\"}}]");
        assertEquals("invalid_blocks", tooLong.path("error").asText());
        assertTrue(tooLong.path("errors").get(0).asText().endsWith("[/blocks/0/text/text]"), tooLong.toString());

        // JSON bodies, with blocks as an array, as some clients send them
        String json = "{\"channel\":\"" + channel + "\",\"text\":\"json\",\"blocks\":[{\"type\":\"section\","
                + "\"text\":{\"type\":\"mrkdwn\",\"text\":\"from *JSON*\"}}]}";
        JsonNode viaJson = read(given().header("Authorization", "Bearer " + TOKEN)
                .contentType("application/json; charset=utf-8").body(json).post("/sandbox/slack/api/chat.postMessage").asString());
        assertTrue(viaJson.path("ok").asBoolean(), viaJson.toString());

        JsonNode updated = api("chat.update", "channel", channel, "ts", ts, "text", "edited text");
        assertTrue(updated.path("ok").asBoolean(), updated.toString());
        assertEquals("channel_not_found", api("chat.update", "channel", "#" + name, "ts", ts, "text", "x")
                .path("error").asText(), "chat.update needs the channel id, as in Slack");
        assertEquals("message_not_found", api("chat.update", "channel", channel, "ts", "1.1", "text", "x")
                .path("error").asText());
        JsonNode history = api("conversations.history", "channel", channel, "include_all_metadata", "true");
        assertEquals("json", history.path("messages").get(0).path("text").asText(), "newest first");
        assertTrue(history.toString().contains("edited text"));
        JsonNode thread = api("conversations.replies", "channel", channel, "ts", ts, "include_all_metadata", "true");
        assertEquals(2, thread.path("messages").size());
        assertEquals("d1", thread.path("messages").get(1).path("metadata").path("event_payload").path("delivery_id").asText());

        JsonNode link = api("chat.getPermalink", "channel", channel, "message_ts", ts);
        assertEquals("http://127.0.0.1:" + SandboxTestResources.port() + "/ui/slack/channels/" + channel + "?thread=" + ts
                + "#m-" + ts, link.path("permalink").asText());
        assertTrue(api("chat.postEphemeral", "channel", channel, "user", "U0TBNSATO", "text", "psst").path("message_ts")
                .isTextual());
        JsonNode dm = api("conversations.open", "users", "U0TBNSATO");
        assertEquals("D0TBNSATO", dm.path("channel").path("id").asText());
        assertEquals("D0TBNSATO", api("chat.postMessage", "channel", "U0TBNSATO", "text", "a DM").path("channel").asText(),
                "a user id as the channel is their DM, as notify-service sends pages");
    }

    @Test
    void viewsNeedAFreshTriggerAndFitSlacksLimits() {
        assertEquals("invalid_trigger_id", api("views.open", "trigger_id", "123.456.abc",
                "view", "{\"type\":\"modal\"}").path("error").asText());
        assertEquals("not_found", api("views.update", "view_id", "VNOPE", "view", "{}").path("error").asText());
    }

    @Test
    void usersAreThePeopleOfOncallService() {
        JsonNode sato = api("users.info", "user", "U0TBNSATO");
        assertTrue(sato.path("ok").asBoolean(), sato.toString());
        assertEquals("sato@toban.test", sato.path("user").path("profile").path("email").asText());
        assertEquals("sato", sato.path("user").path("name").asText());
        JsonNode newbie = api("users.info", "user", "U-newbie");
        assertEquals("newbie@toban.test", newbie.path("user").path("profile").path("email").asText(),
                "a person without a Slack id is U-<username> in the sandbox");
        assertEquals("U0TBNSUZUKI", api("users.lookupByEmail", "email", "suzuki@toban.test").path("user").path("id").asText());
        assertEquals("user_not_found", api("users.info", "user", "U0NOBODY").path("error").asText());
        assertEquals("users_not_found", api("users.lookupByEmail", "email", "nobody@toban.test").path("error").asText());
        assertTrue(api("users.info", "user", "UTOBANBOT").path("user").path("is_bot").asBoolean());
    }

    @Test
    void aNewWorkspaceWelcomesThePeopleOnCallWithTheirHandoffNotice() {
        // sato has been on call for three days: oncall-service will never announce that shift again
        await().atMost(Duration.ofSeconds(40)).until(() -> api("conversations.history", "channel", "D0TBNSATO")
                .path("messages").findValues("text").stream().anyMatch(t -> t.asText().contains("運用当番のお知らせ")));
        JsonNode team = api("conversations.info", "channel", "team-server-sbx");
        assertTrue(team.path("ok").asBoolean(), "the team channel's post too: " + team);
        await().atMost(Duration.ofSeconds(20)).until(() -> api("conversations.history", "channel",
                team.path("channel").path("id").asText()).toString().contains("運用当番の交代"));
        // newbie's shift began half an hour ago: oncall-service announces it, the sandbox does not
        assertFalse(api("conversations.history", "channel", "D-newbie").toString().contains("運用当番"),
                "a recent shift is oncall-service's to announce");
        // the notice went through the delivery log like any other, once
        assertEquals(1, deliveries("channel=slack&target=U0TBNSATO").stream()
                .filter(d -> "handoff.notice:44444444-0000-4000-8000-000000000001".equals(d.get("messageKey"))).count());
    }

    @Test
    void notifyServicePostsIncidentThreadsToTheSandboxWithItsOwnSlackClient() {
        String name = "svc-sbx-" + UUID.randomUUID().toString().substring(0, 8);
        UUID id = UUID.randomUUID();
        publishIncident(Events.triggered(UUID.randomUUID().toString(), Events.incident(id, 901, "#" + name, "triggered", 1)));
        await().atMost(Duration.ofSeconds(20)).until(() -> api("conversations.info", "channel", name).path("ok").asBoolean()
                && api("conversations.history", "channel", api("conversations.info", "channel", name)
                        .path("channel").path("id").asText()).path("messages").size() == 1);
        String channel = api("conversations.info", "channel", name).path("channel").path("id").asText();
        JsonNode parent = api("conversations.history", "channel", channel, "include_all_metadata", "true")
                .path("messages").get(0);
        assertEquals(id.toString(), parent.path("metadata").path("event_payload").path("incident_id").asText());
        assertTrue(parent.path("blocks").toString().contains("\"toban.ack\""), parent.toString());

        publishIncident(Events.incidentEvent(UUID.randomUUID().toString(), "acknowledged",
                Events.incident(id, 901, "#" + name, "acknowledged", 2), null));
        await().atMost(Duration.ofSeconds(20)).until(() -> {
            JsonNode now = api("conversations.history", "channel", channel).path("messages").get(0);
            return now.has("edited") && !now.path("blocks").toString().contains("\"toban.ack\"");
        });
        String ts = parent.path("ts").asText();
        await().atMost(Duration.ofSeconds(20)).until(() ->
                api("conversations.replies", "channel", channel, "ts", ts).path("messages").size() == 2);
        // incident-service learns the thread with a permalink into the sandbox's page
        await().atMost(Duration.ofSeconds(10)).until(() -> notifyEvents("toban.notify.slack_thread.created").stream()
                .anyMatch(e -> e.path("data").path("incidentId").asText().equals(id.toString())));
        JsonNode thread = notifyEvents("toban.notify.slack_thread.created").stream()
                .filter(e -> e.path("data").path("incidentId").asText().equals(id.toString())).findFirst().orElseThrow();
        assertTrue(thread.path("data").path("permalink").asText().contains("/ui/slack/channels/" + channel), thread.toString());
        assertFalse(deliveries("incidentId=" + id).stream().anyMatch(d -> "skipped".equals(d.get("state"))),
                "Slack is on: nothing is skipped");
    }
}

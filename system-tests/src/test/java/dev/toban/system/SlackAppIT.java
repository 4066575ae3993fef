package dev.toban.system;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.lessThan;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.toban.plumbing.slack.SlackSignature;
import dev.toban.plumbing.testing.FakeSlack;
import dev.toban.plumbing.testing.KeycloakTokens;
import dev.toban.plumbing.testing.LocalStack;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The IC runs an incident from Slack across the packaged services (issue 17): Slack's signed requests (as Slack, or
 * notify-service's sandbox, sends them) acknowledge the incident and post a status update through its modal as the
 * IC's person; the API, the timeline and the incident thread agree. The realm's roles are mirrored first: until
 * oncall-service announces them, the Slack app treats nobody as a responder.
 */
class SlackAppIT {

    static final Duration WAIT = Duration.ofSeconds(30);
    static final ObjectMapper JSON = new ObjectMapper();
    static TobanSystem toban;

    @BeforeAll
    static void start() {
        toban = TobanSystem.start();
        toban.mirrorRealmRoles();
    }

    @AfterAll
    static void stop() {
        if (toban != null) {
            toban.close();
        }
    }

    static JsonPath incident(String id) {
        return Api.as(KeycloakTokens.YAMADA, toban.incident).get("/api/incidents/" + id)
                .then().statusCode(200).extract().jsonPath();
    }

    static Response interaction(ObjectNode payload) {
        String body = "payload=" + URLEncoder.encode(payload.toString(), StandardCharsets.UTF_8);
        String ts = Long.toString(Instant.now().getEpochSecond());
        String secret = LocalStack.get("TOBAN_SLACK_SIGNING_SECRET", "");
        return given().baseUri(toban.incident.url()).contentType("application/x-www-form-urlencoded").body(body)
                .header("X-Slack-Request-Timestamp", ts)
                .header("X-Slack-Signature", SlackSignature.sign(secret, ts, body.getBytes(StandardCharsets.UTF_8)))
                .post("/integrations/slack/interactions");
    }

    static ObjectNode click(String slackUser, String verb, String incidentId, String responses, String trigger) {
        ObjectNode p = JSON.createObjectNode().put("type", "block_actions").put("trigger_id", trigger)
                .put("response_url", toban.slack.responseUrl(responses));
        p.putObject("user").put("id", slackUser);
        p.putObject("container").put("type", "message").put("channel_id", "C0IT");
        p.putArray("actions").addObject().put("action_id", "toban." + verb).put("block_id", "toban.incident.actions")
                .put("value", incidentId).put("type", "button").put("action_ts", Instant.now().toString());
        return p;
    }

    @Test
    void theIcAcknowledgesAndPostsAStatusUpdateFromSlackAndTheConsoleAndTheThreadAgree() {
        String summary = "Slack app IT " + UUID.randomUUID();
        given().baseUri(toban.incident.url()).contentType(ContentType.JSON)
                .body(Map.of("routing_key", TobanSystem.demoIntegrationKey(), "event_action", "trigger",
                        "dedup_key", "slack-it-" + UUID.randomUUID(),
                        "payload", Map.of("summary", summary, "source", "prometheus", "severity", "error")))
                .post("/v2/enqueue").then().statusCode(202);
        String id = await().atMost(WAIT).until(() -> Api.as(KeycloakTokens.YAMADA, toban.incident)
                        .get("/api/incidents").then().statusCode(200).extract().jsonPath()
                        .<String>getString("find { it.title == '" + summary + "' }.id"),
                found -> found != null);
        await().atMost(WAIT).until(() -> incident(id).getString("commander.slackUserId") != null);
        String ic = incident(id).getString("commander.username");
        String icSlack = incident(id).getString("commander.slackUserId");
        await().atMost(WAIT).until(() -> incident(id).getString("slackThread.ts") != null);
        String channel = incident(id).getString("slackThread.channel");
        String ts = incident(id).getString("slackThread.ts");

        // Acknowledge from the parent message: the API's acknowledge, as the IC
        String responses = "it-" + UUID.randomUUID();
        interaction(click(icSlack, "ack", id, responses, "it-trigger-" + UUID.randomUUID()))
                .then().statusCode(200).time(lessThan(3000L));
        assertEquals("acknowledged", incident(id).getString("state"));
        await().atMost(WAIT).until(() -> !toban.slack.responses(responses).isEmpty());
        JsonPath timeline = Api.as(KeycloakTokens.YAMADA, toban.incident).get("/api/incidents/" + id + "/timeline")
                .then().statusCode(200).extract().jsonPath();
        assertEquals(ic, timeline.getString("find { it.kind == 'acknowledged' }.actor.username"));

        // Post status update: the modal opens with the click's trigger, its submission posts as the IC
        String trigger = "it-trigger-" + UUID.randomUUID();
        interaction(click(icSlack, "status_update", id, "it-" + UUID.randomUUID(), trigger)).then().statusCode(200);
        await().atMost(WAIT).until(() -> toban.slack.openedFor(trigger).isPresent());
        FakeSlack.View modal = toban.slack.openedFor(trigger).orElseThrow();
        assertEquals("toban.status_update", modal.callbackId());
        String update = "Rolled back the deploy " + UUID.randomUUID();
        ObjectNode submission = JSON.createObjectNode().put("type", "view_submission")
                .put("trigger_id", "it-trigger-" + UUID.randomUUID());
        submission.putObject("user").put("id", icSlack);
        ObjectNode view = submission.putObject("view").put("id", modal.id()).put("callback_id", "toban.status_update")
                .put("private_metadata", id);
        ObjectNode values = view.putObject("state").putObject("values");
        values.putObject("message").putObject("value").put("type", "plain_text_input").put("value", update);
        values.putObject("next_update").putObject("value").put("type", "static_select")
                .putObject("selected_option").put("value", "30");
        interaction(submission).then().statusCode(200).time(lessThan(3000L));
        assertEquals(update, Api.as(KeycloakTokens.YAMADA, toban.incident).get("/api/incidents/" + id + "/timeline")
                .then().statusCode(200).extract().jsonPath().getString("find { it.kind == 'status_update' }.data.message"));

        // the incident thread has the update, and the parent message follows the state
        await().atMost(WAIT).until(() -> toban.slack.replies(channel, ts).stream()
                .anyMatch(m -> m.text != null && m.text.contains(update)));
        FakeSlack.Posted parent = toban.slack.messages(channel).stream().filter(m -> ts.equals(m.ts)).findFirst()
                .orElseThrow();
        await().atMost(WAIT).until(() -> !parent.edits.isEmpty());
        assertTrue(toban.slack.violations().isEmpty(), toban.slack.violations().toString());
        Api.as(KeycloakTokens.YAMADA, toban.incident).get("/api/incidents/" + id).then().body("state", equalTo("acknowledged"));
    }
}

package dev.toban.notify.sandbox;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.toban.notify.model.SandboxRepository;
import dev.toban.notify.slack.IncidentActions;
import dev.toban.notify.testing.Events;
import dev.toban.notify.testing.FakeSlackApp;
import dev.toban.notify.testing.PageSnapshots;
import dev.toban.notify.testing.SandboxProfile;
import dev.toban.notify.testing.SandboxTestResources;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.quarkus.test.security.TestSecurity;
import io.restassured.specification.RequestSpecification;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The sandbox's page: a signed-in user clicks a button, submits a modal or types a slash command, and the
 * sandbox sends the Slack app (here a fake one that checks signatures with its own HMAC) the same signed
 * request Slack would; the app's answers (views.open, response_url, modal errors) show on the page.
 */
@QuarkusTest
@TestProfile(SandboxProfile.class)
class SlackSandboxPageTest {

    static final String CSRF_COOKIE = "toban_csrf_notify-service";

    @Inject
    SandboxRepository repo;

    FakeSlackApp app() {
        return SandboxTestResources.app();
    }

    @AfterEach
    void reset() {
        app().script(r -> FakeSlackApp.Reply.ack());
        app().clear();
    }

    /** A parent message with the buttons of a triggered incident, posted by Toban's bot. */
    static String[] parent(UUID incident) {
        String name = "page-" + UUID.randomUUID().toString().substring(0, 8);
        ArrayNode blocks = Events.JSON.createArrayNode();
        blocks.addObject().put("type", "section").putObject("text").put("type", "mrkdwn")
                .put("text", ":rotating_light: *#42 API 5xx* IC: <@U0TBNSATO> <!here>");
        blocks.add(IncidentActions.block(IncidentActions.verbs("triggered", false), incident.toString(),
                "https://incidents.toban.test/ui/incidents/" + incident, "ja"));
        JsonNode posted = SlackSandboxApiTest.api("chat.postMessage", "channel", "#" + name, "text", "#42 API 5xx",
                "blocks", blocks.toString());
        assertTrue(posted.path("ok").asBoolean(), posted.toString());
        return new String[] {posted.path("channel").asText(), posted.path("ts").asText()};
    }

    static String csrf(String path) {
        return given().get(path).then().statusCode(200).extract().cookie(CSRF_COOKIE);
    }

    static RequestSpecification form(String token) {
        return given().redirects().follow(false).contentType("application/x-www-form-urlencoded; charset=UTF-8")
                .cookie(CSRF_COOKIE, token).formParam("csrf", token);
    }

    static JsonNode statusUpdateModal(UUID incident) {
        JsonNode view = SlackSandboxApiTest.read("""
                {"type":"modal","callback_id":"toban.status_update","private_metadata":"%s",
                 "title":{"type":"plain_text","text":"状況アップデート"},"submit":{"type":"plain_text","text":"投稿"},
                 "close":{"type":"plain_text","text":"キャンセル"},
                 "blocks":[
                  {"type":"input","block_id":"message","label":{"type":"plain_text","text":"いまの状況"},
                   "element":{"type":"plain_text_input","action_id":"value","multiline":true,"max_length":3000}},
                  {"type":"input","block_id":"impact","optional":true,"label":{"type":"plain_text","text":"ビジネス影響"},
                   "element":{"type":"plain_text_input","action_id":"value","multiline":true}},
                  {"type":"input","block_id":"next_update","label":{"type":"plain_text","text":"次のアップデート"},
                   "element":{"type":"static_select","action_id":"value","options":[
                     {"text":{"type":"plain_text","text":"15 分後"},"value":"15"},
                     {"text":{"type":"plain_text","text":"30 分後"},"value":"30"}]}}]}""".formatted(incident));
        return view;
    }

    @Test
    @TestSecurity(user = "sato", roles = {"viewer", "responder"})
    void aClickIsASignedBlockActionsRequestAndTheModalAndTheAnswersShow() {
        UUID incident = UUID.randomUUID();
        String[] p = parent(incident);
        String channel = p[0];
        String ts = p[1];
        String page = "/ui/slack/channels/" + channel;
        String html = given().header("Accept-Language", "ja").get(page).then().statusCode(200).extract().asString();
        PageSnapshots.save("slack-channel-ja", html);
        assertTrue(html.contains("data-action=\"toban.ack\"") && html.contains("確認（Acknowledge）"), html);
        assertTrue(html.contains("<span class=\"mention\" data-user=\"U0TBNSATO\">@Hanako Sato</span>"), "mentions by name");
        assertTrue(html.contains("<span class=\"mention broadcast\">@here</span>"));
        assertTrue(html.contains("href=\"https://incidents.toban.test/ui/incidents/" + incident + "\""), "the open link");
        assertTrue(html.contains("Slack サンドボックス") && html.contains("Hanako Sato"), html);

        // the app opens the status update modal with the trigger and answers through the response_url
        AtomicReference<JsonNode> opened = new AtomicReference<>();
        AtomicReference<JsonNode> again = new AtomicReference<>();
        AtomicReference<JsonNode> responded = new AtomicReference<>();
        app().script(r -> {
            JsonNode payload = r.payload();
            if (payload != null && "block_actions".equals(payload.path("type").asText())) {
                opened.set(app().api(SandboxTestResources.apiUrl(), "views.open", Map.of(
                        "trigger_id", payload.path("trigger_id").asText(), "view", statusUpdateModal(incident).toString())));
                again.set(app().api(SandboxTestResources.apiUrl(), "views.open", Map.of(
                        "trigger_id", payload.path("trigger_id").asText(), "view", statusUpdateModal(incident).toString())));
                responded.set(app().respond(payload.path("response_url").asText(), "{\"text\":\"You acknowledged #42.\"}"));
            }
            return FakeSlackApp.Reply.ack();
        });
        String token = csrf(page);
        form(token).formParam("ts", ts).formParam("block", "toban.incident.actions").formParam("action", "toban.status_update")
                .post(page + "/actions").then().statusCode(303).header("Location", containsString(page));

        assertTrue(opened.get().path("ok").asBoolean(), String.valueOf(opened.get()));
        assertEquals("modal", opened.get().path("view").path("type").asText());
        assertEquals("trigger_exchanged", again.get().path("error").asText(), "a trigger opens one modal");
        assertTrue(responded.get().path("ok").asBoolean(), String.valueOf(responded.get()));
        List<FakeSlackApp.Received> received = app().received();
        assertEquals(1, received.size());
        FakeSlackApp.Received r = received.get(0);
        assertEquals("/interactions", r.path());
        assertTrue(r.signatureValid(), "v0 signature over the raw body with TOBAN_SLACK_SIGNING_SECRET");
        assertTrue(r.ageSeconds() < 60, "a fresh timestamp");
        assertTrue(r.body().startsWith("payload="), "a form with one payload field, as Slack posts it");
        JsonNode payload = r.payload();
        assertEquals("block_actions", payload.path("type").asText());
        assertEquals("U0TBNSATO", payload.path("user").path("id").asText(), "the person's Slack user id");
        assertEquals("sato", payload.path("user").path("username").asText());
        assertEquals("T0TOBAN", payload.path("team").path("id").asText());
        JsonNode action = payload.path("actions").get(0);
        assertEquals("toban.status_update", action.path("action_id").asText());
        assertEquals("toban.incident.actions", action.path("block_id").asText());
        assertEquals(incident.toString(), action.path("value").asText(), "the value comes from the message, not the form");
        assertEquals(ts, payload.path("container").path("message_ts").asText());
        assertEquals(channel, payload.path("channel").path("id").asText());
        assertEquals(ts, payload.path("message").path("ts").asText());
        assertTrue(payload.path("response_url").asText().startsWith("http://127.0.0.1:" + SandboxTestResources.port()
                + "/sandbox/slack/responses/"), payload.toString());
        assertFalse(payload.path("trigger_id").asText().isBlank());

        html = given().header("Accept-Language", "ja").get(page).then().statusCode(200).extract().asString();
        PageSnapshots.save("slack-modal-ja", html);
        assertTrue(html.contains("role=\"dialog\"") && html.contains("状況アップデート") && html.contains("次のアップデート"), html);
        assertTrue(html.contains("You acknowledged #42.") && html.contains("あなたにだけ表示されています"), html);
        // an ephemeral answer is for the one who clicked
        String satoOnly = QuarkusTransaction.requiringNew().call(() -> repo.channelMessages(channel, "U0TBNSATO", 50)
                .stream().filter(m -> m.ephemeralFor != null).map(m -> m.text).findFirst().orElse(null));
        assertEquals("You acknowledged #42.", satoOnly);
        assertTrue(QuarkusTransaction.requiringNew().call(() -> repo.channelMessages(channel, "U0TBNSUZUKI", 50))
                .stream().noneMatch(m -> m.ephemeralFor != null), "others do not see it");

        // a forged button (not on the message) sends nothing
        app().clear();
        form(token).formParam("ts", ts).formParam("block", "toban.incident.actions").formParam("action", "toban.delete_all")
                .post(page + "/actions").then().statusCode(303).header("Location", containsString("slack.error.noButton"));
        assertEquals(0, app().received().size());
        // without the CSRF token nothing is sent either
        given().redirects().follow(false).contentType("application/x-www-form-urlencoded")
                .formParam("ts", ts).formParam("block", "toban.incident.actions").formParam("action", "toban.ack")
                .post(page + "/actions").then().statusCode(403);
        assertEquals(0, app().received().size());
    }

    @Test
    @TestSecurity(user = "sato", roles = {"viewer", "responder"})
    void aSubmittedModalIsAViewSubmissionAndTheAppsErrorsShowWithWhatWasTyped() {
        UUID incident = UUID.randomUUID();
        String[] p = parent(incident);
        String page = "/ui/slack/channels/" + p[0];
        app().script(r -> {
            if (r.payload() != null && "block_actions".equals(r.payload().path("type").asText())) {
                app().api(SandboxTestResources.apiUrl(), "views.open", Map.of(
                        "trigger_id", r.payload().path("trigger_id").asText(), "view", statusUpdateModal(incident).toString()));
            }
            return FakeSlackApp.Reply.ack();
        });
        String token = csrf(page);
        form(token).formParam("ts", p[1]).formParam("block", "toban.incident.actions").formParam("action", "toban.status_update")
                .post(page + "/actions").then().statusCode(303);
        String viewId = QuarkusTransaction.requiringNew().call(() -> repo.openViews("U0TBNSATO").get(0).id);

        // a required field left empty: the modal says so and nothing is sent, as Slack's client does
        app().clear();
        form(token).formParam("channel", p[0]).formParam("v:message/value", "").formParam("v:next_update/value", "30")
                .post("/ui/slack/views/" + viewId).then().statusCode(303);
        assertEquals(0, app().received().size());
        given().header("Accept-Language", "en").get(page).then().statusCode(200)
                .body(containsString("Please complete this required field."));

        AtomicInteger submissions = new AtomicInteger();
        app().script(r -> submissions.incrementAndGet() == 1
                ? FakeSlackApp.Reply.json("{\"response_action\":\"errors\",\"errors\":{\"message\":\"いまの状況を書いてください（もう少し詳しく）\"}}")
                : FakeSlackApp.Reply.ack());
        form(token).formParam("channel", p[0]).formParam("v:message/value", "DB プール枯渇")
                .formParam("v:impact/value", "").formParam("v:next_update/value", "30")
                .post("/ui/slack/views/" + viewId).then().statusCode(303);
        FakeSlackApp.Received first = app().received().get(0);
        assertTrue(first.signatureValid());
        JsonNode submission = first.payload();
        assertEquals("view_submission", submission.path("type").asText());
        assertEquals("toban.status_update", submission.path("view").path("callback_id").asText());
        assertEquals(incident.toString(), submission.path("view").path("private_metadata").asText());
        assertEquals(viewId, submission.path("view").path("id").asText());
        JsonNode values = submission.path("view").path("state").path("values");
        assertEquals("DB プール枯渇", values.path("message").path("value").path("value").asText());
        assertEquals("plain_text_input", values.path("message").path("value").path("type").asText());
        assertTrue(values.path("impact").path("value").path("value").isNull(), "an empty optional field is null");
        assertEquals("30", values.path("next_update").path("value").path("selected_option").path("value").asText());
        String html = given().get(page).then().statusCode(200).extract().asString();
        assertTrue(html.contains("いまの状況を書いてください（もう少し詳しく）"), "the app's error next to the field");
        assertTrue(html.contains(">DB プール枯渇</textarea>"), "what was typed is kept");
        assertTrue(html.contains("<option value=\"30\" selected>"), html);

        form(token).formParam("channel", p[0]).formParam("v:message/value", "DB プール枯渇、api-3 を再起動中")
                .formParam("v:next_update/value", "30").post("/ui/slack/views/" + viewId).then().statusCode(303);
        assertEquals(2, submissions.get());
        assertFalse(given().get(page).then().statusCode(200).extract().asString().contains("role=\"dialog\""),
                "acknowledged without errors: the modal closes");
    }

    @Test
    @TestSecurity(user = "sato", roles = {"viewer", "responder"})
    void aSlashCommandIsSignedAndItsAnswerIsForTheUserOnly() {
        String[] p = parent(UUID.randomUUID());
        String page = "/ui/slack/channels/" + p[0];
        app().script(r -> FakeSlackApp.Reply.json("{\"response_type\":\"ephemeral\",\"text\":\"No open incident here.\"}"));
        String token = csrf(page);
        form(token).formParam("text", "/toban status").post(page + "/messages").then().statusCode(303);
        FakeSlackApp.Received r = app().received().get(0);
        assertEquals("/commands", r.path());
        assertTrue(r.signatureValid());
        assertEquals("/toban", r.form().get("command"));
        assertEquals("status", r.form().get("text"));
        assertEquals("U0TBNSATO", r.form().get("user_id"));
        assertEquals("sato", r.form().get("user_name"));
        assertEquals(p[0], r.form().get("channel_id"));
        assertNotNull(r.form().get("trigger_id"));
        assertTrue(r.form().get("response_url").contains("/sandbox/slack/responses/"));
        String html = given().get(page).then().statusCode(200).extract().asString();
        assertTrue(html.contains("No open incident here.") && html.contains("Only visible to you"), html);

        app().clear();
        form(token).formParam("text", "/nope now").post(page + "/messages").then().statusCode(303);
        assertEquals(0, app().received().size(), "not the app's command: nothing is sent");
        given().get(page).then().body(containsString("is not a valid command"));

        form(token).formParam("text", "hello team").post(page + "/messages").then().statusCode(303);
        assertEquals(0, app().received().size(), "a plain message is not sent to the app");
        given().get(page).then().body(containsString("hello team"));

        // the app fails: Slackbot tells the user
        app().script(x -> new FakeSlackApp.Reply(500, "text/plain", "boom"));
        form(token).formParam("ts", p[1]).formParam("block", "toban.incident.actions").formParam("action", "toban.ack")
                .post(page + "/actions").then().statusCode(303);
        given().get(page).then().body(containsString("Toban did not handle toban.ack: HTTP 500"));
    }

    @Test
    @TestSecurity(user = "newbie", roles = "viewer")
    void aPersonWithoutASlackIdActsAsTheirSandboxId() {
        String[] p = parent(UUID.randomUUID());
        String page = "/ui/slack/channels/" + p[0];
        given().header("Accept-Language", "en").get(page).then().statusCode(200)
                .body(containsString("data-user=\"U-newbie\""), containsString("Nana Newbie"),
                        containsString("<h1>Slack sandbox</h1>"));
        String token = csrf(page);
        form(token).formParam("ts", p[1]).formParam("block", "toban.incident.actions").formParam("action", "toban.ack")
                .post(page + "/actions").then().statusCode(303);
        assertEquals("U-newbie", app().received().get(0).payload().path("user").path("id").asText());
        JsonNode info = SlackSandboxApiTest.api("users.info", "user", "U-newbie");
        assertEquals("newbie@toban.test", info.path("user").path("profile").path("email").asText());
        // someone else's DM is not theirs to read
        String dm = SlackSandboxApiTest.api("chat.postMessage", "channel", "U0TBNSUZUKI", "text", "for suzuki")
                .path("channel").asText();
        given().get("/ui/slack/channels/" + dm).then().statusCode(404);
    }

    @Test
    @TestSecurity(user = "admin", roles = {"viewer", "responder", "admin"})
    void theWorkspaceListsChannelsAndDmsAndLandsOnAChannel() {
        parent(UUID.randomUUID());
        SlackSandboxApiTest.api("chat.postMessage", "channel", "U0TBNSUZUKI", "text", "運用当番のお知らせ");
        given().redirects().follow(false).get("/ui/slack").then().statusCode(303)
                .header("Location", containsString("/ui/slack/channels/C"));
        String dm = SlackSandboxApiTest.api("conversations.open", "users", "U0TBNSUZUKI").path("channel").path("id").asText();
        String html = given().header("Accept-Language", "ja").get("/ui/slack/channels/" + dm).then().statusCode(200)
                .extract().asString();
        PageSnapshots.save("slack-dm-ja", html);
        assertTrue(html.contains("運用当番のお知らせ") && html.contains("Ichiro Suzuki"), "an admin reads every DM: " + html);
        given().get("/ui/slack/channels/CNOPE").then().statusCode(404);
        given().get("/ui/slack/channels/" + dm + "/messages").then().statusCode(200)
                .body(containsString("<ol class=\"slack-messages\">"), containsString("運用当番のお知らせ"),
                        org.hamcrest.Matchers.not(containsString("<html")));
    }

    @Test
    void thePageNeedsASignIn() {
        int status = given().redirects().follow(false).get("/ui/slack").then().extract().statusCode();
        assertTrue(status == 302 || status == 401, "a sign-in first, got " + status);
    }
}

package dev.toban.incident.slack;

import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.lessThan;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.toban.incident.support.FakeOnCall;
import dev.toban.incident.support.SlackSupport;
import dev.toban.incident.support.TestStack;
import dev.toban.plumbing.testing.FakeSlack;
import io.quarkus.test.junit.QuarkusTest;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@code /toban} (issue 17): sos, new, update, status, oncall and help, privately and in the person's language. */
@QuarkusTest
class SlackTobanCommandTest extends SlackAppFixture {

    @BeforeEach
    void freshSosLimit() {
        TestStack.forgetSosReports();
    }

    static io.restassured.response.Response toban(String user, String text, String channel, String responses) {
        return SlackSupport.toban(user, text, channel, responses, "trigger-" + SlackSupport.id());
    }

    @Test
    void helpAndUnknownSubcommandsAnswerPrivatelyInThePersonsLanguage() {
        catalog();
        toban(SATO_SLACK, "", "C0ANY", SlackSupport.id()).then().statusCode(200).time(lessThan(3000L))
                .body("response_type", equalTo("ephemeral")).body("text", startsWith("*Slack での Toban*"));
        toban(ADMIN_SLACK, "help", "C0ANY", SlackSupport.id()).then().statusCode(200)
                .body("text", startsWith("*Toban in Slack*")).body("text", containsString("`/toban oncall`"));
        toban(SATO_SLACK, "deploy <!channel>", "C0ANY", SlackSupport.id()).then().statusCode(200)
                .body("response_type", equalTo("ephemeral"))
                .body("text", startsWith("「deploy」というサブコマンドはありません。"))
                .body("text", containsString("`/toban new`"));
        // what is typed never becomes a mention
        toban(ADMIN_SLACK, "<!here>", "C0ANY", SlackSupport.id()).then().statusCode(200)
                .body("text", startsWith("There is no subcommand \"&lt;!here&gt;\"."));
    }

    @Test
    void tobanSosIsTheSosCommand() {
        String text = "ログインできません " + UUID.randomUUID();
        toban(YAMADA_SLACK, "sos " + text, "C0ANY", SlackSupport.id()).then().statusCode(200).time(lessThan(3000L))
                .body("text", startsWith("SOS を受け付けました（インシデント #"));
        assertEquals(1, TestStack.count("select count(*) from alert where summary = ?", text));
        // anyone in the workspace may raise one, as with /sos
        toban("U0OUTSIDER", "sos", "C0ANY", SlackSupport.id()).then().statusCode(200)
                .body("text", startsWith("使い方: /sos"));
    }

    @Test
    void tobanNewOpensTheDeclareModalForResponders() {
        catalog();
        String trigger = "trigger-" + SlackSupport.id();
        SlackSupport.toban(SATO_SLACK, "new", "C0ANY", SlackSupport.id(), trigger).then().statusCode(200)
                .time(lessThan(3000L));
        FakeSlack.View view = opened(trigger);
        assertEquals("toban.declare", view.callbackId());
        assertEquals("インシデントの宣言", view.view().at("/title/text").asText());
        String viewerTrigger = "trigger-" + SlackSupport.id();
        SlackSupport.toban(YAMADA_SLACK, "new", "C0ANY", SlackSupport.id(), viewerTrigger).then().statusCode(200)
                .body("text", startsWith("Slack からこの操作ができるのはレスポンダーだけです"));
        assertTrue(slack().openedFor(viewerTrigger).isEmpty());
    }

    @Test
    void tobanUpdatePostsToTheChannelsIncidentOrTheNumberedOne() {
        UUID id = open("Slack update " + UUID.randomUUID());
        String channel = "C0UPD" + UUID.randomUUID().toString().substring(0, 6).toUpperCase();
        toban(SATO_SLACK, "update 原因を調査中です", channel, SlackSupport.id()).then().statusCode(200)
                .body("text", startsWith("このチャンネルにスレッドがある対応中のインシデントはありません。"));
        TestStack.update("update incident set slack_channel = ?, slack_ts = '1733450000.000100' where id = ?", channel, id);
        toban(SATO_SLACK, "update 原因を調査中です\n次の報告は 10:30", channel, SlackSupport.id()).then().statusCode(200)
                .time(lessThan(3000L)).body("text", startsWith("#")).body("text", containsString("に状況を報告しました。"));
        assertEquals("原因を調査中です\n次の報告は 10:30", timeline(id, "status_update").get(0).at("/data/message").asText());
        assertEquals("sato", timeline(id, "status_update").get(0).at("/actor/username").asText());

        long number = ((Number) TestStack.single("select number from incident where id = ?", id)).longValue();
        toban(ADMIN_SLACK, "update #" + number + " DB failover done", "C0ELSEWHERE", SlackSupport.id()).then()
                .statusCode(200).body("text", startsWith("Status update posted to #" + number));
        assertEquals("DB failover done", timeline(id, "status_update").get(1).at("/data/message").asText());
        toban(SATO_SLACK, "update #" + number, channel, SlackSupport.id()).then().statusCode(200)
                .body("text", startsWith("使い方: `/toban update [#42] 現在の状況`"));
        toban(SATO_SLACK, "update #99999999 text", channel, SlackSupport.id()).then().statusCode(200)
                .body("text", equalTo("インシデント #99999999 はありません。"));
        // a viewer may not post
        toban(YAMADA_SLACK, "update #" + number + " I am a viewer", channel, SlackSupport.id()).then().statusCode(200)
                .body("text", startsWith("Slack からこの操作ができるのはレスポンダーだけです"));
        assertEquals(2, timeline(id, "status_update").size());
    }

    @Test
    void aCommandSlackSendsAgainPostsOnceAndAStaleOrReplayedOneIsRefused() {
        UUID id = open("Slack command retry " + UUID.randomUUID());
        long number = ((Number) TestStack.single("select number from incident where id = ?", id)).longValue();
        String body = SlackSupport.command(SATO_SLACK, "/toban", "update #" + number + " once " + id, "C0ANY",
                SlackSupport.id(), "trigger-" + SlackSupport.id());
        long ts = java.time.Instant.now().getEpochSecond();
        SlackSupport.post("/integrations/slack/commands", body, ts, TestStack.SLACK_SECRET, null).then().statusCode(200)
                .body("text", containsString("に状況を報告しました。"));
        SlackSupport.post("/integrations/slack/commands", body, ts + 2, TestStack.SLACK_SECRET, "1").then().statusCode(200);
        SlackSupport.post("/integrations/slack/commands", body, ts, TestStack.SLACK_SECRET, null).then().statusCode(401)
                .body("title", equalTo("Request already received"));
        SlackSupport.post("/integrations/slack/commands", body.replace("once", "twice"), ts - 6 * 60,
                TestStack.SLACK_SECRET, null).then().statusCode(401);
        assertEquals(1, timeline(id, "status_update").size());
    }

    @Test
    void tobanStatusShowsTheChannelsIncidentOrTheOpenOnesToAnyoneKnown() {
        UUID id = open("Slack <!channel> status " + UUID.randomUUID());
        String channel = "C0STA" + UUID.randomUUID().toString().substring(0, 6).toUpperCase();
        TestStack.update("update incident set slack_channel = ? where id = ?", channel, id);
        String status = toban(YAMADA_SLACK, "status", channel, SlackSupport.id()).then().statusCode(200)
                .time(lessThan(3000L)).extract().path("text");
        assertTrue(status.contains("&lt;!channel&gt;") && !status.contains("<!channel>"), "no mention: " + status);
        assertTrue(status.contains("IC: Hanako Sato") && status.contains(" · 発生") && status.contains("/ui/incidents/" + id)
                && status.contains("|Toban で開く>"), status);
        String list = toban(ADMIN_SLACK, "status", "C0NOTHREAD", SlackSupport.id()).then().statusCode(200)
                .extract().path("text");
        assertTrue(list.startsWith("Open incidents:") && list.contains("/ui/incidents/"), list);
        toban("U0NOBODY2", "status", channel, SlackSupport.id()).then().statusCode(200)
                .body("text", startsWith("Toban にあなたの Slack アカウントが登録されていない"));
    }

    @Test
    void tobanOncallAnswersPrivatelyFromOncallServiceAndFromItsLastAnswerWhenItIsDown() {
        catalog();
        FakeOnCall.answer("/api/oncall/now", 200, """
                [{"schedule":{"id":"33333333-0000-4000-8000-000000000001","name":"server","role":"server","timeZone":"Asia/Tokyo"},
                  "team":{"id":"11111111-0000-4000-8000-000000000001","name":"Server"},
                  "onCall":[{"person":{"id":"44444444-0000-4000-8000-000000000001","name":"Hanako Sato","slackUserId":"U0SATO"},
                             "since":"2026-12-01T01:00:00Z","until":"2026-12-08T01:00:00Z","source":"layer"},
                            {"person":{"id":"44444444-0000-4000-8000-000000000002","name":"Ichiro <@U0X> Suzuki"},
                             "since":"2026-12-01T01:00:00Z","until":null,"source":"layer"}],
                  "nextHandoff":"2026-12-08T01:00:00Z"}]""");
        String responses = SlackSupport.id();
        toban(SATO_SLACK, "oncall", "C0ANY", responses).then().statusCode(200).time(lessThan(3000L));
        String text = answer(responses);
        assertTrue(text.startsWith("今の運用当番:\n• *Server (server)*: Hanako Sato (2026-12-08 10:00 まで), Ichiro &lt;@U0X&gt; Suzuki"),
                text);
        assertTrue(FakeOnCall.calls().stream().anyMatch(c -> c.startsWith("GET /api/oncall/now Bearer")), "with a token");

        FakeOnCall.answer("/api/oncall/now", 503, "{}");
        String stale = SlackSupport.id();
        toban(ADMIN_SLACK, "oncall", "C0ANY", stale).then().statusCode(200);
        String fallback = answer(stale);
        assertTrue(fallback.startsWith("On call now:") && fallback.contains("Hanako Sato")
                && fallback.contains("oncall-service is not answering right now"), fallback);
        toban("U0NOBODY3", "oncall", "C0ANY", SlackSupport.id()).then().statusCode(200)
                .body("text", startsWith("Toban にあなたの Slack アカウントが登録されていない"));
    }
}

package dev.toban.incident.slack;

import static dev.toban.incident.support.TestStack.SATO;
import static dev.toban.incident.support.TestStack.SUZUKI;
import static dev.toban.incident.support.TestStack.TEAM_MOBILE;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.lessThan;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.toban.incident.support.SlackAppFakes;
import dev.toban.incident.support.SlackSupport;
import dev.toban.incident.support.TestStack;
import dev.toban.plumbing.testing.FakeSlack;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Map;
import java.util.UUID;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * Every button of the incident's Slack messages and every modal (issue 17): the same service methods as the API and
 * the console (state machine, roles, a timeline line attributed to the person, the events), a private answer in the
 * person's language, and a refusal for what the state or the person's role does not allow.
 */
@QuarkusTest
class SlackActionsTest extends SlackAppFixture {

    @Test
    void acknowledgingInSlackIsTheApisAcknowledgeAttributedToThePerson() {
        UUID id = open("Slack ack " + UUID.randomUUID());
        String answer = answer(click(SATO_SLACK, "ack", id));
        assertEquals("acknowledged", state(id));
        assertTrue(answer.startsWith("#") && answer.contains("の対応を開始しました"), answer);
        JsonNode line = timeline(id, "acknowledged").get(0);
        assertEquals("sato", line.at("/actor/username").asText());
        assertEquals(SATO.toString(), line.at("/actor/personId").asText());
        JsonNode event = TestStack.awaitEvent("toban.incident.acknowledged", id);
        assertEquals("sato", event.at("/data/actor/username").asText());

        // the button again: the state does not allow it any more, said privately; nothing new happens
        String again = answer(click(SATO_SLACK, "ack", id));
        assertTrue(again.startsWith("「対応開始 (Ack)」は今は行えません。インシデント #") && again.endsWith("は対応開始です。"), again);
        assertEquals(1, timeline(id, "acknowledged").size());
    }

    @Test
    void takeIcMitigateResolveAndDisbandFollowTheRolesAndTheStateMachine() {
        UUID id = open("Slack lifecycle " + UUID.randomUUID());
        // Tanaka is a responder but not the IC: taking the role from Sato is the IC's or an admin's call
        String refused = answer(click(TANAKA_SLACK, "take_ic", id));
        assertEquals("実行されませんでした: これができるのはインシデントコマンダー（Hanako Sato）か管理者だけです。", refused);
        assertEquals(SATO.toString(), TestStack.single("select commander_id::text from incident where id = ?", id));

        String taken = answer(click(ADMIN_SLACK, "take_ic", id)); // the admin reads English
        assertTrue(taken.startsWith("You are now the Incident Commander of #"), taken);
        assertEquals(TestStack.ADMIN.toString(), TestStack.single("select commander_id::text from incident where id = ?", id));
        Awaitility.await().atMost(Duration.ofSeconds(15)).until(() -> TestStack.events("toban.incident.role_changed", id)
                .stream().anyMatch(e -> "admin".equals(e.at("/data/actor/username").asText())
                        && "commander".equals(e.at("/data/role").asText())));

        answer(click(SATO_SLACK, "mitigate", id));
        assertEquals("mitigated", state(id));
        assertEquals("sato", timeline(id, "mitigated").get(0).at("/actor/username").asText());
        // a mitigated incident shows no Assign team: a click on an old message is refused
        String notNow = answer(click(SATO_SLACK, "assign_team", id));
        assertTrue(notNow.startsWith("「担当チームを割り当てる」は今は行えません") && notNow.contains("は暫定復旧です"), notNow);

        answer(click(SUZUKI_SLACK, "resolve", id));
        assertEquals("resolved", state(id));
        assertEquals("suzuki", timeline(id, "resolved").get(0).at("/actor/username").asText());

        // disbanding is the IC's (now the admin) or an admin's
        String notIc = answer(click(SATO_SLACK, "disband", id));
        assertTrue(notIc.startsWith("実行されませんでした: これができるのはインシデントコマンダー（Toban Admin）"), notIc);
        assertEquals("resolved", state(id));
        String disbanded = answer(click(ADMIN_SLACK, "disband", id));
        assertTrue(disbanded.startsWith("You declared the response to #"), disbanded);
        assertEquals("closed", state(id));
        TestStack.awaitEvent("toban.incident.closed", id);
    }

    @Test
    void theStatusUpdateModalOpensWithTheTriggerAndPostsAsThePersonWithImpactAndNextUpdate() {
        UUID id = open("Slack status " + UUID.randomUUID());
        String trigger = "trigger-" + SlackSupport.id();
        SlackSupport.interaction(SlackSupport.blockAction(SATO_SLACK, "status_update", id, SlackSupport.id(), trigger))
                .then().statusCode(200).time(lessThan(3000L));
        FakeSlack.View view = opened(trigger);
        assertEquals("toban.status_update", view.callbackId());
        assertEquals(id.toString(), view.privateMetadata());
        assertEquals("状況報告", view.view().at("/title/text").asText());
        assertEquals("value", view.block("message").at("/element/action_id").asText());
        assertTrue(view.block("impact").path("optional").asBoolean());
        assertEquals(4, view.block("next_update").at("/element/options").size());

        Instant before = Instant.now();
        submit(SlackSupport.viewSubmission(SATO_SLACK, "toban.status_update", id, view.id(),
                Map.of("message", "API の 5xx を調査中。DB の接続数が上限です。", "impact", "記事ページの一部が表示されない"),
                Map.of("next_update", "15")))
                .then().statusCode(200).time(lessThan(3000L));
        JsonNode update = timeline(id, "status_update").get(0);
        assertEquals("API の 5xx を調査中。DB の接続数が上限です。", update.at("/data/message").asText());
        assertEquals("sato", update.at("/actor/username").asText());
        assertEquals("記事ページの一部が表示されない", TestStack.single("select impact from incident where id = ?", id));
        Instant due = ((OffsetDateTime) TestStack.single("select next_update_due_at from incident where id = ?", id)).toInstant();
        assertTrue(!due.isBefore(before.plus(Duration.ofMinutes(15))) && due.isBefore(Instant.now().plus(Duration.ofMinutes(16))),
                "the next update is due in 15 minutes: " + due);
        JsonNode event = TestStack.awaitEvent("toban.incident.status_updated", id);
        assertEquals("sato", event.at("/data/actor/username").asText());
        assertFalse(event.at("/data/nextUpdateAt").isMissingNode(), "the event says when the next update comes");
        JsonNode impact = TestStack.awaitEvent("toban.incident.updated", id);
        assertEquals("記事ページの一部が表示されない", impact.at("/data/changes/impact/to").asText());
    }

    @Test
    void assignTeamHandOverIcAndWarRoomModalsActThroughTheServiceMethods() {
        UUID id = open("Slack modals " + UUID.randomUUID());
        String trigger = "trigger-" + SlackSupport.id();
        SlackSupport.interaction(SlackSupport.blockAction(SATO_SLACK, "assign_team", id, SlackSupport.id(), trigger))
                .then().statusCode(200);
        FakeSlack.View teams = opened(trigger);
        assertEquals("toban.assign_team", teams.callbackId());
        assertTrue(teams.block("team").at("/element/options").toString().contains(TEAM_MOBILE.toString()), "teams by id");
        assertTrue(teams.block("team").at("/element/options").toString().contains("\"Mobile\""), "and by name");
        submit(SlackSupport.viewSubmission(SATO_SLACK, "toban.assign_team", id, teams.id(), Map.of(),
                Map.of("team", TEAM_MOBILE.toString()))).then().statusCode(200);
        assertEquals(TEAM_MOBILE.toString(), TestStack.single("select owning_team_id::text from incident where id = ?", id));
        assertEquals("sato", timeline(id, "team_assigned").get(0).at("/actor/username").asText());

        trigger = "trigger-" + SlackSupport.id();
        SlackSupport.interaction(SlackSupport.blockAction(SATO_SLACK, "war_room", id, SlackSupport.id(), trigger))
                .then().statusCode(200);
        FakeSlack.View room = opened(trigger);
        assertEquals("url_text_input", room.block("url").at("/element/type").asText());
        submit(SlackSupport.viewSubmission(SATO_SLACK, "toban.war_room", id, room.id(),
                Map.of("url", "https://meet.example/slack-room"), Map.of())).then().statusCode(200);
        assertEquals("https://meet.example/slack-room", TestStack.single("select war_room_url from incident where id = ?", id));

        trigger = "trigger-" + SlackSupport.id();
        SlackSupport.interaction(SlackSupport.blockAction(SATO_SLACK, "handover_ic", id, SlackSupport.id(), trigger))
                .then().statusCode(200);
        FakeSlack.View people = opened(trigger);
        assertTrue(people.block("person").at("/element/options").toString().contains("\"Ichiro Suzuki\""), "people by name");
        submit(SlackSupport.viewSubmission(SATO_SLACK, "toban.handover_ic", id, people.id(), Map.of(),
                Map.of("person", SUZUKI.toString()))).then().statusCode(200);
        assertEquals(SUZUKI.toString(), TestStack.single("select commander_id::text from incident where id = ?", id));
        JsonNode handed = timeline(id, "role_changed").stream()
                .filter(e -> SUZUKI.toString().equals(e.at("/data/person/id").asText())).findFirst().orElseThrow();
        assertEquals("sato", handed.at("/actor/username").asText());

        // Sato is no longer the IC: handing over again is refused beside the field, in Japanese
        submit(SlackSupport.viewSubmission(SATO_SLACK, "toban.handover_ic", id, people.id(), Map.of(),
                Map.of("person", SATO.toString())))
                .then().statusCode(200).body("response_action", equalTo("errors"))
                .body("errors.person", startsWith("これができるのはインシデントコマンダー（Ichiro Suzuki）か管理者だけです。"));
        assertEquals(SUZUKI.toString(), TestStack.single("select commander_id::text from incident where id = ?", id));
    }

    @Test
    void badModalInputIsAnsweredWithErrorsInThePersonsLanguageAndChangesNothing() {
        UUID id = open("Slack bad input " + UUID.randomUUID());
        submit(SlackSupport.viewSubmission(SATO_SLACK, "toban.status_update", id, "V0BAD", Map.of("message", "  "),
                Map.of()))
                .then().statusCode(200).body("response_action", equalTo("errors"))
                .body("errors.message", equalTo("入力してください。"));
        assertTrue(timeline(id, "status_update").isEmpty());
        // the admin reads English; a link that is not http(s) is named beside its block
        submit(SlackSupport.viewSubmission(ADMIN_SLACK, "toban.war_room", id, "V0BAD", Map.of("url", "ftp://files.example/x"),
                Map.of()))
                .then().statusCode(200).body("response_action", equalTo("errors"))
                .body("errors.url", equalTo("must be an http(s) URL"));
        submit(SlackSupport.viewSubmission(SATO_SLACK, "toban.assign_team", id, "V0BAD", Map.of(),
                java.util.Collections.singletonMap("team", null)))
                .then().statusCode(200).body("errors.team", equalTo("一覧から選んでください。"));
        submit(SlackSupport.viewSubmission(SATO_SLACK, "toban.status_update", id, "V0BAD",
                Map.of("message", "x".repeat(4001)), Map.of()))
                .then().statusCode(200).body("errors.message", equalTo("4000 文字以内で入力してください。"));
        assertEquals(null, TestStack.single("select war_room_url from incident where id = ? and war_room_url like 'ftp%'", id));
    }

    @Test
    void viewersPeopleWithoutKnownRolesArchivedAndUnknownSlackUsersAreRefusedPrivately() {
        UUID id = open("Slack refusals " + UUID.randomUUID());
        assertEquals("Slack からこの操作ができるのはレスポンダーだけです（あなたの Toban のロール: 閲覧者）。"
                + "レスポンダーであるべきなら管理者に相談してください。", answer(click(YAMADA_SLACK, "ack", id)));
        // oncall-service has not said Takahashi's roles: no responder until it does
        assertTrue(answer(click(TAKAHASHI_SLACK, "ack", id)).contains("まだ Toban に伝わっていません"));
        String unknown = answer(click("U0NOBODY", "ack", id));
        assertTrue(unknown.startsWith("Toban にあなたの Slack アカウントが登録されていない") && unknown.contains("U0NOBODY"), unknown);
        assertEquals("triggered", state(id), "nobody of them acknowledged");

        UUID archived = UUID.randomUUID();
        TestStack.announcePerson(archived, "Left Company", "left", "left@toban.example", "U0LEFT" + archived.toString()
                .substring(0, 4), "en", "[\"responder\"]", true, 3);
        String gone = answer(click("U0LEFT" + archived.toString().substring(0, 4), "ack", id));
        assertTrue(gone.startsWith("Your Toban profile is archived"), gone);

        // a modal submitted by a viewer: refused on the modal itself
        submit(SlackSupport.viewSubmission(YAMADA_SLACK, "toban.status_update", id, "V0VIEWER",
                Map.of("message", "I should not"), Map.of()))
                .then().statusCode(200).body("response_action", equalTo("errors"))
                .body("errors.message", startsWith("Slack からこの操作ができるのはレスポンダーだけです"));
        assertTrue(timeline(id, "status_update").isEmpty());
        assertEquals("triggered", state(id));
    }

    @Test
    void aSlackUserWithoutAStoredIdIsMatchedByEmailOnceAndRemembered() {
        UUID id = open("Slack email match " + UUID.randomUUID());
        UUID person = UUID.randomUUID();
        String slackId = "U0MAIL" + person.toString().substring(0, 6).toUpperCase();
        String email = "mail-" + person + "@toban.example";
        TestStack.announcePerson(person, "Mail Matched", "mail" + person.toString().substring(0, 6), email, null, "en",
                "[\"responder\"]", false, 1);
        slack().user(slackId, email.toUpperCase(), "en-US");
        long asked = slack().calls().stream().filter(c -> c.method().equals("users.info")).count();

        assertTrue(answer(click(slackId, "ack", id)).startsWith("You acknowledged #"));
        assertEquals(person.toString(), timeline(id, "acknowledged").get(0).at("/actor/personId").asText());
        assertTrue(answer(click(slackId, "mitigate", id)).endsWith("is mitigated."));
        assertEquals(person.toString(), timeline(id, "mitigated").get(0).at("/actor/personId").asText());
        assertEquals(asked + 1, slack().calls().stream().filter(c -> c.method().equals("users.info")).count(),
                "users.info once: the match is remembered");

        // a Slack user Slack knows but Toban does not gets the answer in their Slack language
        slack().user("U0STRANGER1", "stranger@elsewhere.example", "en-GB");
        assertTrue(answer(click("U0STRANGER1", "ack", id)).startsWith("Toban does not know your Slack account yet"));
    }

    @Test
    void theDeclareShortcutOpensTheModalAndItsSubmissionDeclaresAsThePerson() {
        catalog();
        String trigger = "trigger-" + SlackSupport.id();
        SlackSupport.interaction(SlackSupport.shortcut(SATO_SLACK, "toban.declare", trigger)).then().statusCode(200)
                .time(lessThan(3000L));
        FakeSlack.View view = opened(trigger);
        assertEquals("toban.declare", view.callbackId());
        assertEquals("", view.privateMetadata());
        int services = view.block("service").at("/element/options").size();
        assertTrue(services > 0 && services <= 100, "the active services, at most 100: " + services);
        assertEquals("SEV3", view.block("severity").at("/element/initial_option/value").asText());

        submit(SlackSupport.viewSubmission(SATO_SLACK, "toban.declare", "", view.id(), Map.of("title", " "),
                Map.of("service", serviceId, "severity", "SEV2")))
                .then().statusCode(200).body("errors.title", equalTo("入力してください。"));
        String title = "Declared in Slack " + UUID.randomUUID();
        String text = submit(SlackSupport.viewSubmission(SATO_SLACK, "toban.declare", "", view.id(), Map.of("title", title),
                Map.of("service", serviceId, "severity", "SEV2")))
                .then().statusCode(200).body("response_action", equalTo("update"))
                .extract().path("view.blocks[0].text.text");
        UUID declared = TestStack.uuids("select id from incident where title = ?", title).get(0);
        assertTrue(text.startsWith("インシデント #") && text.contains("/ui/incidents/" + declared), text);
        assertEquals("manual", TestStack.single("select source from incident where id = ?", declared));
        assertEquals("SEV2", TestStack.single("select severity from incident where id = ?", declared));
        assertEquals("sato", TestStack.awaitEvent("toban.incident.triggered", declared).at("/data/actor/username").asText());

        // a viewer's shortcut opens a modal that says why, since a shortcut has no channel to answer in
        String viewerTrigger = "trigger-" + SlackSupport.id();
        SlackSupport.interaction(SlackSupport.shortcut(YAMADA_SLACK, "toban.declare", viewerTrigger)).then().statusCode(200);
        FakeSlack.View refusal = opened(viewerTrigger);
        assertEquals(null, refusal.callbackId());
        assertTrue(refusal.view().at("/blocks/0/text/text").asText().startsWith("Slack からこの操作ができるのはレスポンダーだけです"));
    }

    @Test
    void holdAndSkipThePostmortemThroughPostmortemServiceOnBehalfOfThePerson() {
        UUID id = open("Slack postmortem " + UUID.randomUUID());
        answer(click(SATO_SLACK, "resolve", id));
        answer(click(SATO_SLACK, "disband", id));
        assertEquals("closed", state(id));
        // postmortem-service has not opened its record yet
        assertTrue(answer(click(SATO_SLACK, "pm_hold", id)).contains("の障害撲滅委員会の記録がまだ準備できていません"));

        UUID postmortem = UUID.randomUUID();
        TestStack.update("update incident set postmortem_id = ?, postmortem_state = 'pending_decision' where id = ?",
                postmortem, id);
        String held = answer(click(SATO_SLACK, "pm_hold", id));
        assertTrue(held.contains("の障害撲滅委員会を開きます") && held.contains("/ui/postmortems/" + postmortem), held);
        SlackAppFakes.Call call = SlackAppFakes.postmortemCalls(postmortem.toString()).get(0);
        assertEquals("POST", call.method());
        assertEquals("/api/postmortems/" + postmortem + "/decision", call.path());
        assertTrue(call.authorization() != null && call.authorization().startsWith("Bearer "), "client credentials");
        JsonNode body = TestStack.json(call.body());
        assertEquals("hold", body.path("decision").asText());
        assertEquals("sato", body.at("/onBehalfOf/username").asText());
        assertEquals(SATO.toString(), body.at("/onBehalfOf/personId").asText());
        assertTrue(body.at("/onBehalfOf/roles").toString().contains("responder"));

        // skip needs a reason: a modal; the outcome replaces it once postmortem-service has answered
        String trigger = "trigger-" + SlackSupport.id();
        SlackSupport.interaction(SlackSupport.blockAction(SATO_SLACK, "pm_skip", id, SlackSupport.id(), trigger))
                .then().statusCode(200);
        FakeSlack.View skip = opened(trigger);
        assertEquals("toban.pm_skip", skip.callbackId());
        submit(SlackSupport.viewSubmission(SATO_SLACK, "toban.pm_skip", id, skip.id(), Map.of("reason", " "), Map.of()))
                .then().statusCode(200).body("errors.reason", equalTo("入力してください。"));
        submit(SlackSupport.viewSubmission(SATO_SLACK, "toban.pm_skip", id, skip.id(),
                Map.of("reason", "設定ミスで再発の恐れなし"), Map.of()))
                .then().statusCode(200).time(lessThan(3000L)).body("response_action", equalTo("update"))
                .body("view.blocks[0].text.text", equalTo("決定を記録しています…"));
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> !slack().updatesOf(skip.id()).isEmpty());
        assertTrue(slack().updatesOf(skip.id()).get(0).view().at("/blocks/0/text/text").asText()
                .contains("の障害撲滅委員会は開かないことにしました"));
        JsonNode skipped = TestStack.json(SlackAppFakes.postmortemCalls(postmortem.toString()).get(1).body());
        assertEquals("skip", skipped.path("decision").asText());
        assertEquals("設定ミスで再発の恐れなし", skipped.path("reason").asText());

        // postmortem-service's refusal is said privately; once the decision is recorded the buttons are refused here
        SlackAppFakes.postmortemAnswer("/api/postmortems/" + postmortem + "/decision", 403,
                "{\"type\":\"about:blank\",\"title\":\"Forbidden\",\"status\":403,\"detail\":\"only an admin\"}");
        assertTrue(answer(click(SATO_SLACK, "pm_hold", id)).startsWith("postmortem-service に断られました。決められるのは"));
        TestStack.update("update incident set postmortem_decision = 'skip' where id = ?", id);
        assertTrue(answer(click(SATO_SLACK, "pm_hold", id)).endsWith("の障害撲滅委員会はすでに決定済みです。"));
        assertEquals(3, SlackAppFakes.postmortemCalls(postmortem.toString()).size(), "nothing sent for a decided one");
    }

    @Test
    void withoutAResponseUrlThePrivateAnswerIsAnEphemeralMessageInTheChannel() {
        UUID id = open("Slack ephemeral " + UUID.randomUUID());
        int before = slack().ephemerals().size();
        SlackSupport.interaction(SlackSupport.blockAction(YAMADA_SLACK, "ack", id, null, "trigger-" + SlackSupport.id()))
                .then().statusCode(200);
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> slack().ephemerals().size() > before);
        FakeSlack.Ephemeral ephemeral = slack().ephemerals().get(before);
        assertEquals("C0INCIDENTS", ephemeral.channel());
        assertEquals(YAMADA_SLACK, ephemeral.user());
        assertTrue(ephemeral.text().startsWith("Slack からこの操作ができるのはレスポンダーだけです"), ephemeral.text());
    }

    @Test
    void aModalSlackWillNotOpenIsToldPrivately() {
        UUID id = open("Slack expired trigger " + UUID.randomUUID());
        slack().failMethod("views.open", "expired_trigger_id");
        try {
            String answer = answer(click(ADMIN_SLACK, "status_update", id));
            assertTrue(answer.startsWith("The form could not be opened (expired_trigger_id). Use the IC console instead: ")
                    && answer.endsWith("/ui/incidents/" + id), answer);
        } finally {
            slack().failMethod("views.open", null);
        }
        assertNotNull(state(id));
        assertTrue(slack().violations().isEmpty(), slack().violations().toString());
    }
}

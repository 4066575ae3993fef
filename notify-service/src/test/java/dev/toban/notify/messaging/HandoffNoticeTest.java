package dev.toban.notify.messaging;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.toban.notify.testing.Events;
import dev.toban.notify.testing.Mailbox;
import dev.toban.notify.testing.NotifyTest;
import dev.toban.notify.testing.NotifyTestResources;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.mail.internet.MimeMessage;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** 運用当番のお知らせ on toban.oncall.shift.started: a DM in the person's language and a post in the team channel. */
@QuarkusTest
@WithTestResource(NotifyTestResources.class)
class HandoffNoticeTest extends NotifyTest {

    /** The IC duties in the seed's words, as the Japanese notice states them. */
    static final List<String> DUTIES_JA = List.of(
            "自分で手を動かしはじめない",
            "対応スレッドを作る",
            "障害対応優先スペースに集め",
            "状況をアップデートし続ける",
            "業務影響の確認と復旧確認",
            "障害対応体制の解散を宣言する",
            "障害撲滅委員会（ポストモーテム）の開催を判断");

    static final List<String> DUTIES_EN = List.of(
            "Don't start hands-on work yourself",
            "Open the incident thread",
            "Gather the people involved in the war room",
            "Keep the thread updated with who is doing what",
            "confirm the business impact and the recovery",
            "Declare the incident response disbanded",
            "Decide whether to hold the postmortem");

    @Test
    void theNoticeIsADmInJapaneseAndAPostInTheTeamChannel() {
        String teamChannel = uniqueChannel("team");
        String userId = slackUser();
        ObjectNode sato = Events.person("Hanako Sato", "sato-" + userId, userId, "ja");
        ObjectNode suzuki = Events.person("Ichiro Suzuki", "suzuki", "U0G9QF9C6", "ja");
        publishOnCall(Events.shift(UUID.randomUUID().toString(), "started", sato, Events.team("Server", teamChannel), suzuki));

        await().atMost(Duration.ofSeconds(15)).until(() -> slack().messages(userId).size() == 1
                && slack().messages(teamChannel).size() == 1);
        String dm = slack().messages(userId).get(0).text;
        assertTrue(dm.startsWith(":bell: *運用当番のお知らせ*"), dm);
        assertTrue(dm.contains("<@" + userId + "> さん、2026-11-25 10:00 JST から *Server* の運用当番です（2026-12-02 10:00 JST まで）"), dm);
        assertTrue(dm.contains("• <@U0G9QF9C6>（Server、2026-11-28 10:00 JST まで）"), "who is on call with them, until when: " + dm);
        DUTIES_JA.forEach(duty -> assertTrue(dm.contains(duty), "duty '" + duty + "' in " + dm));
        assertTrue(dm.contains("*エスカレーション:*") && dm.contains("Server default") && dm.contains("エスカレート"),
                "how to escalate: " + dm);

        String post = slack().messages(teamChannel).get(0).text;
        assertTrue(post.contains("運用当番の交代") && post.contains("<@" + userId + ">") && post.contains("<@U0G9QF9C6>"), post);
        assertEquals(List.of(), slack().violations());
    }

    @Test
    void anEnglishSpeakerGetsTheNoticeInEnglishWhileTheChannelStaysJapanese() {
        String teamChannel = uniqueChannel("team");
        String userId = slackUser();
        ObjectNode alice = Events.person("Alice Smith", "alice-" + userId, userId, "en");
        publishOnCall(Events.shift(UUID.randomUUID().toString(), "started", alice, Events.team("Server", teamChannel)));

        await().atMost(Duration.ofSeconds(15)).until(() -> slack().messages(userId).size() == 1
                && slack().messages(teamChannel).size() == 1);
        String dm = slack().messages(userId).get(0).text;
        assertTrue(dm.contains("Your on-call duty notice (運用当番のお知らせ)"), dm);
        assertTrue(dm.contains("you are on call for *Server* from 2026-11-25 10:00 JST until 2026-12-02 10:00 JST"), dm);
        assertTrue(dm.contains("You are the only one on call in this period."), dm);
        DUTIES_EN.forEach(duty -> assertTrue(dm.contains(duty), "duty '" + duty + "' in " + dm));
        assertTrue(dm.contains("*Escalation:*") && dm.contains("\"Escalate\""), dm);
        assertTrue(slack().messages(teamChannel).get(0).text.contains("運用当番の交代"));
    }

    @Test
    void theNoticeListsTheMaintenanceWindowsDuringTheShift() throws Exception {
        String teamChannel = uniqueChannel("team");
        String userId = slackUser();
        ObjectNode alice = Events.person("Alice Smith", "alice-" + userId, userId, "en");
        com.fasterxml.jackson.databind.node.ObjectNode event = (com.fasterxml.jackson.databind.node.ObjectNode)
                new com.fasterxml.jackson.databind.ObjectMapper().readTree(
                        Events.shift(UUID.randomUUID().toString(), "started", alice, Events.team("Server", teamChannel)));
        com.fasterxml.jackson.databind.node.ArrayNode windows = ((ObjectNode) event.path("data")).putArray("maintenance");
        windows.addObject().put("reason", "CDN switch").put("services", "Mobile App").putNull("start")
                .put("end", "2026-11-25T03:00:00Z").put("active", true);
        windows.addObject().put("reason", "PostgreSQL upgrade <!channel>").put("services", "News API, Search")
                .put("start", "2026-11-26T16:00:00Z").put("end", "2026-11-26T18:00:00Z").put("active", false);
        publishOnCall(event.toString());

        await().atMost(Duration.ofSeconds(15)).until(() -> slack().messages(userId).size() == 1);
        String dm = slack().messages(userId).get(0).text;
        assertTrue(dm.contains("*Maintenance during your shift:*"), dm);
        assertTrue(dm.contains("• Mobile App: CDN switch (running, until 2026-11-25 12:00 JST)"), dm);
        assertTrue(dm.contains("• News API, Search: PostgreSQL upgrade") && dm.contains("(2026-11-27 01:00 JST – 2026-11-27 03:00 JST)"), dm);
        assertTrue(!dm.contains("<!channel>"), "a reason cannot mention the channel: " + dm);
        assertEquals(List.of(), slack().violations());
    }

    @Test
    void withoutASlackUserTheNoticeArrivesByEmailWithTextAndHtml() throws Exception {
        String username = "nslack-" + UUID.randomUUID().toString().substring(0, 8);
        ObjectNode person = Events.person("Kenta Ito", username, null, "ja");
        publishOnCall(Events.shift(UUID.randomUUID().toString(), "started", person, Events.team("Server", uniqueChannel("team"))));

        String address = username + "@toban.test";
        await().atMost(Duration.ofSeconds(15)).until(() -> Mailbox.to(address).size() == 1);
        MimeMessage mail = Mailbox.to(address).get(0);
        assertEquals("運用当番のお知らせ", mail.getSubject());
        Map<String, String> parts = Mailbox.parts(mail);
        assertTrue(parts.containsKey("text/plain") && parts.containsKey("text/html"), parts.keySet().toString());
        String text = parts.get("text/plain");
        String html = parts.get("text/html");
        DUTIES_JA.forEach(duty -> assertTrue(text.contains(duty) && html.contains(duty), duty));
        assertFalse(text.contains("*運用当番のお知らせ*"), "no Slack markup in the text part");
        assertTrue(html.contains("<strong>運用当番のお知らせ</strong>"), html);
        assertTrue(html.startsWith("<!DOCTYPE html>") && html.contains("lang=\"ja\""), html);
        // the SMTP server has the mail a moment before the dispatcher records the answer
        await().atMost(Duration.ofSeconds(5)).until(() -> "sent".equals(deliveries("channel=email&target=" + address).get(0).get("state")));
        Map<String, Object> delivery = deliveries("channel=email&target=" + address).get(0);
        assertEquals(mail.getMessageID(), delivery.get("providerMessageId"));
    }

    @Test
    void anUpcomingShiftGetsAShortReminderAndTheEndAThankYou() {
        String userId = slackUser();
        ObjectNode sato = Events.person("Hanako Sato", "sato-" + userId, userId, "ja");
        publishOnCall(Events.shift(UUID.randomUUID().toString(), "upcoming", sato, Events.team("Server", "#team-server")));
        await().atMost(Duration.ofSeconds(15)).until(() -> slack().messages(userId).size() == 1);
        String reminder = slack().messages(userId).get(0).text;
        assertTrue(reminder.contains("もうすぐ運用当番です") && reminder.contains("2026-11-25 10:00 JST"), reminder);
        assertFalse(reminder.contains(DUTIES_JA.get(0)), "the reminder is the short one");

        publishOnCall(Events.shift(UUID.randomUUID().toString(), "ended", sato, Events.team("Server", "#team-server")));
        await().atMost(Duration.ofSeconds(15)).until(() -> slack().messages(userId).size() == 2);
        assertTrue(slack().messages(userId).get(1).text.contains("おつかれさまでした"));
    }

    @Test
    void aCoverRequestGoesToTheNamedColleagueOrElseTheTeamChannel() {
        String teamChannel = uniqueChannel("team");
        String requesterId = slackUser();
        String targetId = slackUser();
        ObjectNode requester = Events.person("Hanako Sato", "sato-" + requesterId, requesterId, "ja");
        ObjectNode target = Events.person("Ichiro Suzuki", "suzuki-" + targetId, targetId, "en");
        publishOnCall(cover("requested", requester, target, null, teamChannel));
        publishOnCall(cover("requested", requester, null, null, teamChannel));
        publishOnCall(cover("accepted", requester, target, target, teamChannel));

        await().atMost(Duration.ofSeconds(15)).until(() -> slack().messages(targetId).size() == 2
                && slack().messages(teamChannel).size() == 1 && slack().messages(requesterId).size() == 1);
        assertTrue(slack().messages(targetId).get(0).text.contains("Cover request"), "in the colleague's language");
        assertTrue(slack().messages(teamChannel).get(0).text.contains("カバー依頼"));
        assertTrue(slack().messages(requesterId).get(0).text.contains("カバー依頼が引き受けられました"));
        assertTrue(slack().messages(targetId).get(1).text.contains("Cover request accepted"));
    }

    private static String cover(String suffix, ObjectNode requester, ObjectNode target, ObjectNode acceptedBy, String channel) {
        ObjectNode data = Events.JSON.createObjectNode();
        data.put("id", UUID.randomUUID().toString());
        data.putObject("schedule").put("id", "33333333-0000-4000-8000-000000000001").put("name", "Server").put("role", "server");
        data.set("team", Events.team("Server", channel));
        data.set("requester", requester);
        data.set("target", target);
        data.set("acceptedBy", acceptedBy);
        data.put("start", "2026-12-01T09:00:00Z");
        data.put("end", "2026-12-02T09:00:00Z");
        data.put("note", "Family event");
        data.put("status", acceptedBy == null ? "open" : "accepted");
        return Events.envelope(UUID.randomUUID().toString(), "/toban/oncall-service", "toban.oncall.cover." + suffix,
                data.path("id").asText(), data).toString();
    }

    private static String slackUser() {
        return "U" + UUID.randomUUID().toString().replace("-", "").substring(0, 9).toUpperCase();
    }
}

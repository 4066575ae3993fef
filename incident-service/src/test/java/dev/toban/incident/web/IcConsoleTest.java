package dev.toban.incident.web;

import static dev.toban.incident.support.TestStack.ADMIN;
import static dev.toban.incident.support.TestStack.SATO;
import static dev.toban.incident.support.TestStack.SUZUKI;
import static dev.toban.incident.web.PageSupport.csrf;
import static dev.toban.incident.web.PageSupport.form;
import static dev.toban.incident.web.PageSupport.page;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.toban.incident.support.TestStack;
import dev.toban.plumbing.testing.KeycloakTokens;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.security.TestSecurity;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The IC console, complete (issue 16): severity and title, the war-room link, reopening, escalate now and
 * re-page, links by name to the service, policy and schedule, the timeline in the page's language, and pages
 * for what does not exist.
 */
@QuarkusTest
class IcConsoleTest {

    static UUID policy;
    static String serviceId;
    static String key;

    @BeforeEach
    void setUp() {
        if (key != null) {
            return;
        }
        TestStack.directory();
        policy = UUID.randomUUID();
        // oncall-service is down in tests: its last answers make sato (and suzuki) level 1, admin level 2
        TestStack.cacheTargets(policy, 1, 2, 0, 15, SATO, SUZUKI);
        TestStack.cacheTargets(policy, 2, 2, 0, 15, ADMIN);
        String[] created = TestStack.service("Console", policy);
        serviceId = created[0];
        key = created[1];
    }

    static UUID open(String summary, String severity) {
        String dedup = "console-" + UUID.randomUUID();
        TestStack.enqueue(TestStack.trigger(key, dedup, summary, severity)).then().statusCode(202);
        UUID id = TestStack.incidentFor(dedup);
        TestStack.awaitJson(KeycloakTokens.YAMADA, "/api/incidents/" + id, j -> j.get("commander") != null);
        TestStack.awaitEvent("toban.incident.triggered", id);
        return id;
    }

    static List<JsonNode> escalations(UUID id) {
        return TestStack.events("toban.incident.escalated", id);
    }

    @Test
    @TestSecurity(user = "sato", roles = {"viewer", "responder"})
    void theIcChangesSeverityTitleAndWarRoomAndTheTimelineSaysSoInJapanese() {
        UUID id = open("Comments fail", "warning");
        String token = csrf();
        form(token).formParam("title", "Comments and likes fail").formParam("severity", "SEV1")
                .post("/ui/incidents/" + id + "/details").then().statusCode(303).header("Location", endsWith("?done=details"));
        assertEquals("SEV1", TestStack.single("select severity from incident where id = ?", id));
        assertEquals("Comments and likes fail", TestStack.single("select title from incident where id = ?", id));
        JsonNode updated = TestStack.awaitEvent("toban.incident.updated", id);
        assertEquals("SEV1", updated.at("/data/changes/severity/to").asText());

        // a bad link: next to its field, what was typed kept, nothing changed; Japanese on a Japanese page
        String refused = form(token, "ja").formParam("warRoomUrl", "meet.example/room 1")
                .post("/ui/incidents/" + id + "/war-room").then().statusCode(400).extract().asString();
        assertTrue(refused.contains("id=\"warRoomUrl-error\">http:// か https://"), refused);
        assertTrue(refused.contains("value=\"meet.example/room 1\""), "the text stays");
        form(token).formParam("warRoomUrl", "https://meet.example/war-room-7").post("/ui/incidents/" + id + "/war-room")
                .then().statusCode(303).header("Location", endsWith("?done=war_room"));
        assertEquals("https://meet.example/war-room-7", TestStack.single("select war_room_url from incident where id = ?", id));

        // a blank title is refused beside the field
        form(token, "ja").formParam("title", " ").formParam("severity", "SEV2").post("/ui/incidents/" + id + "/details")
                .then().statusCode(400).body(containsString("id=\"title-error\">入力してください。"));

        String ja = page("ja").get("/ui/incidents/" + id).then().statusCode(200).extract().asString();
        assertTrue(ja.contains("重大度を SEV3 から SEV1 に変えました"), ja);
        assertTrue(ja.contains("障害対応優先スペースを https://meet.example/war-room-7 にしました"), ja);
        assertTrue(ja.contains("レベル 1 を呼び出し中: Hanako Sato、Ichiro Suzuki"), "whom the first page went to");
        assertTrue(ja.contains("インシデントが起きました（Events API v2 のアラート、SEV3）"), ja);
        assertFalse(ja.contains("acknowledged the incident") || ja.contains("changed severity"), "no English lines");
        String en = page("en").get("/ui/incidents/" + id + "/live").then().statusCode(200).extract().asString();
        assertTrue(en.contains("changed the severity from SEV3 to SEV1") && en.contains("Paging level 1: Hanako Sato, Ichiro Suzuki"),
                en);
    }

    @Test
    @TestSecurity(user = "sato", roles = {"viewer", "responder"})
    void escalateNowPagesTheNextLevelAndRepagePagesTheCurrentOneAgainWithTheSameEvents() {
        UUID id = open("Checkout fails", "error");
        assertEquals(1, ((Number) TestStack.single("select page_level from incident where id = ?", id)).intValue());
        String token = csrf();
        String console = page("en").get("/ui/incidents/" + id).then().statusCode(200).extract().asString();
        assertTrue(console.contains("id=\"escalate\"") && console.contains("id=\"repage\""), "both buttons");

        form(token).post("/ui/incidents/" + id + "/escalate").then().statusCode(303).header("Location", endsWith("?done=escalated"));
        assertEquals(2, ((Number) TestStack.single("select page_level from incident where id = ?", id)).intValue());
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(15)).until(() -> escalations(id).stream()
                .anyMatch(e -> "escalate".equals(e.at("/data/reason").asText())));
        JsonNode escalated = escalations(id).stream().filter(e -> "escalate".equals(e.at("/data/reason").asText()))
                .findFirst().orElseThrow();
        assertEquals(2, escalated.at("/data/level").asInt());
        assertEquals(ADMIN.toString(), escalated.at("/data/targets/0/id").asText());
        assertEquals("sato", escalated.at("/data/actor/username").asText());
        // the timer now waits on level 2, the last: no level 3 next
        assertEquals(0L, TestStack.count("select count(*) from escalation_timer where incident_id = ? and level > 2", id));

        // the last level: escalating again is refused with the reason, in the page's language
        form(token, "ja").post("/ui/incidents/" + id + "/escalate").then().statusCode(409)
                .body(containsString("最後のレベルです"));
        page("en").get("/ui/incidents/" + id + "/live").then().body(not(containsString("id=\"escalate\"")));

        form(token).post("/ui/incidents/" + id + "/repage").then().statusCode(303).header("Location", endsWith("?done=repaged"));
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(15)).until(() -> escalations(id).stream()
                .anyMatch(e -> "repage".equals(e.at("/data/reason").asText()) && e.at("/data/level").asInt() == 2));
        String ja = page("ja").get("/ui/incidents/" + id + "/live").then().statusCode(200).extract().asString();
        assertTrue(ja.contains("エスカレートしました。レベル 2 を呼び出し中: Toban Admin"), ja);
        assertTrue(ja.contains("レベル 2 をもう一度呼び出しました: Toban Admin"), ja);

        // an acknowledged incident can still pull in help; a resolved one cannot
        form(token).post("/ui/incidents/" + id + "/acknowledge").then().statusCode(303);
        form(token).post("/ui/incidents/" + id + "/repage").then().statusCode(303);
        form(token).post("/ui/incidents/" + id + "/resolve").then().statusCode(303);
        form(token).post("/ui/incidents/" + id + "/repage").then().statusCode(409)
                .body(containsString("only an open incident can be escalated or paged again"));
    }

    @Test
    @TestSecurity(user = "sato", roles = {"viewer", "responder"})
    void aResolvedIncidentIsReopenedWithAReason() {
        UUID id = open("Images missing", "warning");
        String token = csrf();
        form(token).post("/ui/incidents/" + id + "/resolve").then().statusCode(303);
        String resolved = page("en").get("/ui/incidents/" + id).then().statusCode(200).extract().asString();
        assertTrue(resolved.contains("action=\"/ui/incidents/" + id + "/reopen\""), "reopen offered");
        form(token, "ja").formParam("reason", "  ").post("/ui/incidents/" + id + "/reopen").then().statusCode(400)
                .body(containsString("id=\"reason-error\">入力してください。"));
        form(token).formParam("reason", "The images are gone again").post("/ui/incidents/" + id + "/reopen").then()
                .statusCode(303).header("Location", endsWith("?done=reopened"));
        assertEquals("acknowledged", TestStack.single("select state from incident where id = ?", id));
        page("ja").get("/ui/incidents/" + id).then().body(containsString("インシデントを再開しました: The images are gone again"));
    }

    @Test
    @TestSecurity(user = "yamada", roles = "viewer")
    void theConsoleLinksToTheServicePolicyAndScheduleByName() {
        UUID id = open("Search empty", "error");
        String html = page("en").get("/ui/incidents/" + id).then().statusCode(200).extract().asString();
        assertTrue(html.contains("href=\"/ui/settings/services/" + serviceId + "\""), html);
        assertTrue(html.contains("/ui/settings/escalation-policies/" + policy + "\">Policy " + policy.toString().substring(0, 8)),
                "the policy by name");
        assertTrue(html.contains("/ui/schedules/") && html.contains(">schedule</a>"), "the schedule by name");
        assertTrue(html.contains("/ui/settings/people/" + SATO + "\">Hanako Sato</a>"), "the IC links to their page");
        assertFalse(html.contains("id=\"escalate\""), "no write buttons for a viewer");
    }

    @Test
    @TestSecurity(user = "yamada", roles = "viewer")
    void anUnknownIncidentIsAPageInThePageLanguageNotJson() {
        page("ja").get("/ui/incidents/" + UUID.randomUUID()).then().statusCode(404)
                .contentType(containsString("text/html")).body(containsString("そのインシデントはありません"),
                        containsString("<h1>見つかりません</h1>"));
        page("en").get("/ui/incidents/not-an-id").then().statusCode(404).contentType(containsString("text/html"))
                .body(containsString("There is no such incident"));
        page("en").get("/ui/incidents/" + UUID.randomUUID() + "/live").then().statusCode(404);
        page("ja").get("/ui/sos/" + UUID.randomUUID()).then().statusCode(404).body(containsString("そのインシデントはありません"));
    }

    @Test
    @TestSecurity(user = "sato", roles = {"viewer", "responder"})
    void aNewIncidentsWarRoomIsItsOwningTeamsRoom() {
        UUID team = UUID.randomUUID();
        TestStack.broker().publish("toban.oncall", "toban.oncall.team.created", """
                {"specversion":"1.0","id":"%s","source":"/toban/oncall-service","type":"toban.oncall.team.created",
                 "subject":"%s","datacontenttype":"application/json",
                 "data":{"id":"%s","name":"Payments","slackChannel":"#team-payments","timeZone":"Asia/Tokyo",
                         "memberIds":[],"warRoomUrl":"https://meet.example/payments-room","version":1}}"""
                .formatted(UUID.randomUUID(), team, team));
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(15)).until(() -> "https://meet.example/payments-room"
                .equals(TestStack.single("select war_room_url from team where id = ?", team)));
        String id = TestStack.as(KeycloakTokens.ADMIN).body("""
                {"name":"Payments %s","owningTeamId":"%s","escalationPolicyId":"%s"}""".formatted(UUID.randomUUID(), team,
                policy)).post("/api/services").then().statusCode(201).extract().path("id");
        String incident = TestStack.as(KeycloakTokens.SATO).body("""
                {"serviceId":"%s","title":"Refunds stuck","severity":"SEV2"}""".formatted(id))
                .post("/api/incidents").then().statusCode(201).extract().path("id");
        assertEquals("https://meet.example/payments-room",
                TestStack.single("select war_room_url from incident where id = ?::uuid", incident));
        page("en").get("/ui/incidents/" + incident).then().body(containsString("value=\"https://meet.example/payments-room\""));
    }

    @Test
    @TestSecurity(user = "yamada", roles = "viewer")
    void olderTimelineEntriesReadInThePagesLanguageOrAsTheyWereWritten() {
        UUID id = open("Old entries", "warning");
        // an entry as an older version wrote it (no reason, no policy), and one of a kind this page cannot phrase
        TestStack.update("""
                insert into timeline_entry (id, incident_id, at, kind, actor, message, data) values
                (?, ?, now(), 'escalated', '{"username":"system"}'::jsonb,
                 'Not acknowledged in time: escalated to level 2: Ken Takahashi',
                 '{"level":2,"repeat":0,"targets":[{"id":"44444444-0000-4000-8000-000000000006","name":"Ken Takahashi"}]}'::jsonb),
                (?, ?, now(), 'future_kind', '{"username":"system"}'::jsonb, 'Something a later version records', null)""",
                UUID.randomUUID(), id, UUID.randomUUID(), id);
        String ja = page("ja").get("/ui/incidents/" + id + "/live").then().statusCode(200).extract().asString();
        assertTrue(ja.contains("時間内に確認されなかったため、レベル 2 を呼び出し中: Ken Takahashi"), ja);
        assertTrue(ja.contains("Something a later version records"), "the stored message, rather than nothing");
    }

    @Test
    void theApiEscalatesAndRepagesForRespondersOnly() {
        UUID id = open("API paging", "error");
        TestStack.as(KeycloakTokens.YAMADA).post("/api/incidents/" + id + "/escalate").then().statusCode(403);
        TestStack.as(KeycloakTokens.SATO).post("/api/incidents/" + id + "/escalate").then().statusCode(200)
                .body("id", org.hamcrest.Matchers.equalTo(id.toString()));
        TestStack.as(KeycloakTokens.SATO).post("/api/incidents/" + id + "/escalate").then().statusCode(409)
                .body("detail", containsString("is the last level"));
        TestStack.as(KeycloakTokens.SATO).post("/api/incidents/" + id + "/repage").then().statusCode(200);
        TestStack.as(KeycloakTokens.SATO).post("/api/incidents/" + UUID.randomUUID() + "/repage").then().statusCode(404);
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(15)).until(() -> escalations(id).stream()
                .filter(e -> List.of("escalate", "repage").contains(e.at("/data/reason").asText())).count() == 2);
    }
}

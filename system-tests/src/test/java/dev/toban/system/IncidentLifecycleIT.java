package dev.toban.system;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.toban.plumbing.testing.FakeSlack;
import dev.toban.plumbing.testing.KeycloakTokens;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import net.fortuna.ical4j.model.Calendar;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The seed's incident flow across all four services: a monitoring alert pages Toban like PagerDuty,
 * the person on call becomes the IC, the incident thread opens in Slack and is kept current, the IC
 * acknowledges, updates, mitigates, resolves and disbands, and the postmortem is held with a
 * calendar invitation announced in the same thread.
 */
class IncidentLifecycleIT {

    static final Duration WAIT = Duration.ofSeconds(30);
    static TobanSystem toban;

    @BeforeAll
    static void start() {
        toban = TobanSystem.start();
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

    @Test
    void anAlertRunsFromPageToPostmortem() throws Exception {
        // who is on call for the servers right now: the IC must be one of them
        List<String> onCall = Api.as(KeycloakTokens.YAMADA, toban.oncall)
                .queryParam("teamId", Demo.TEAM_SERVER).queryParam("role", "server")
                .get("/api/oncall").then().statusCode(200).extract().path("[0].onCall.person.id");
        assertEquals(2, onCall.size(), "the seed's server rotation has two people on call at once");

        String summary = "API 5xx rate above 5% " + UUID.randomUUID();
        Instant problemStarted = Instant.now().minusSeconds(180);
        given().baseUri(toban.incident.url()).contentType(ContentType.JSON)
                .body(Map.of("routing_key", TobanSystem.demoIntegrationKey(), "event_action", "trigger",
                        "dedup_key", "it-" + UUID.randomUUID(),
                        "payload", Map.of("summary", summary, "source", "prometheus", "severity", "critical",
                                "timestamp", problemStarted.toString())))
                .post("/v2/enqueue")
                .then().statusCode(202).body("status", equalTo("success"));

        String id = await().atMost(WAIT).until(() -> Api.as(KeycloakTokens.YAMADA, toban.incident)
                        .get("/api/incidents").then().statusCode(200).extract().jsonPath()
                        .<String>getString("find { it.title == '" + summary + "' }.id"),
                found -> found != null);

        // the on-call engineer is the Incident Commander
        await().atMost(WAIT).until(() -> incident(id).getString("commander.id") != null);
        JsonPath opened = incident(id);
        String commander = opened.getString("commander.id");
        assertTrue(onCall.contains(commander), "IC " + commander + " is on call " + onCall);
        assertEquals("SEV1", opened.getString("severity"));
        assertEquals(Demo.TEAM_SERVER, opened.getString("owningTeam.id"));
        assertNotNull(opened.getString("warRoomUrl"));

        // the incident's Slack thread: parent in the service channel, and the thread goes back to the incident
        await().atMost(WAIT).until(() -> !toban.slack.parents("#svc-news-api").stream()
                .filter(m -> m.text != null && m.text.contains(summary)).toList().isEmpty());
        FakeSlack.Posted parent = toban.slack.parents("#svc-news-api").stream()
                .filter(m -> m.text.contains(summary)).findFirst().orElseThrow();
        await().atMost(WAIT).until(() -> parent.ts.equals(incident(id).getString("slackThread.ts")));

        // the IC is paged by a Slack DM, per their notification rules
        String icSlack = opened.getString("commander.slackUserId");
        await().atMost(WAIT).until(() -> !toban.slack.messages(icSlack).isEmpty());

        // the IC acknowledges, posts a status update, mitigates (暫定復旧), resolves and disbands
        String admin = KeycloakTokens.ADMIN;
        Api.as(admin, toban.incident).post("/api/incidents/" + id + "/acknowledge")
                .then().statusCode(200).body("state", equalTo("acknowledged"));
        String update = "Rolled back the 10:05 deploy; error rate falling " + UUID.randomUUID();
        Api.as(admin, toban.incident).body(Map.of("message", update)).post("/api/incidents/" + id + "/status-updates")
                .then().statusCode(200);
        await().atMost(WAIT).until(() -> toban.slack.replies("#svc-news-api", parent.ts).stream()
                .anyMatch(m -> m.text != null && m.text.contains(update)));
        // the parent message is kept current
        await().atMost(WAIT).until(() -> !parent.edits.isEmpty());

        Api.as(admin, toban.incident).body(Map.of("note", "Error rate back to normal"))
                .post("/api/incidents/" + id + "/mitigate").then().statusCode(200).body("state", equalTo("mitigated"));
        Api.as(admin, toban.incident).body(Map.of("note", "Business confirmed recovery"))
                .post("/api/incidents/" + id + "/resolve").then().statusCode(200).body("state", equalTo("resolved"));

        // the postmortem (障害撲滅委員会) opens for the resolved SEV1 and is required
        String postmortemId = await().atMost(WAIT).until(() -> Api.as(admin, toban.postmortem)
                        .queryParam("incidentId", id).get("/api/postmortems")
                        .then().statusCode(200).extract().<String>path("[0].id"),
                found -> found != null);
        JsonPath postmortem = Api.as(admin, toban.postmortem).get("/api/postmortems/" + postmortemId)
                .then().statusCode(200).extract().jsonPath();
        assertEquals("pending_decision", postmortem.getString("state"));
        assertTrue(postmortem.getBoolean("required"));

        // held: invitations by email, as iCalendar METHOD:REQUEST
        String ics = toban.holdPostmortem(postmortemId, WAIT);
        Calendar calendar = Mail.parse(ics);
        assertEquals("REQUEST", calendar.getProperty("METHOD").map(p -> p.getValue()).orElse(null));
        assertTrue(ics.contains("ATTENDEE"), "participants are attendees");
        assertTrue(ics.contains("TZID=Asia/Tokyo"), "in the owning team's time zone");
        await().atMost(WAIT).until(() -> toban.slack.replies("#svc-news-api", parent.ts).stream()
                .anyMatch(m -> m.text != null && (m.text.contains("障害撲滅委員会") || m.text.toLowerCase().contains("postmortem"))));

        // the meeting is announced in the incident's thread
        int repliesBeforeClose = toban.slack.replies("#svc-news-api", parent.ts).size();
        assertTrue(repliesBeforeClose >= 4, "acknowledged, update, mitigated and resolved are in the thread");

        // the IC declares the response disbanded
        Api.as(admin, toban.incident).body(Map.of("note", "Response team disbanded"))
                .post("/api/incidents/" + id + "/close").then().statusCode(200).body("state", equalTo("closed"));
        await().atMost(WAIT).until(() -> toban.slack.replies("#svc-news-api", parent.ts).size() > repliesBeforeClose);

        // the timeline has every step with who did it
        List<String> kinds = Api.as(KeycloakTokens.YAMADA, toban.incident).get("/api/incidents/" + id + "/timeline")
                .then().statusCode(200).extract().path("kind");
        assertTrue(kinds.size() >= 6, "timeline: " + kinds);

        // and the downtime breakdown counts it, with time to detect measured from the alert's timestamp
        JsonPath downtime = Api.as(KeycloakTokens.YAMADA, toban.incident)
                .queryParam("from", Instant.now().minusSeconds(3600).toString())
                .queryParam("to", Instant.now().plusSeconds(60).toString())
                .queryParam("service", Demo.SERVICE_NEWS_API)
                .get("/api/metrics/downtime").then().statusCode(200).extract().jsonPath();
        assertTrue(downtime.getLong("incidents") >= 1, downtime.prettify());
        assertTrue(downtime.getLong("figures.timeToDetect.count") >= 1, downtime.prettify());
        assertTrue(downtime.getDouble("figures.timeToDetect.p50Seconds") >= 170, "detect counts from payload.timestamp");
        assertTrue(downtime.getLong("figures.timeToMitigate.count") >= 1, downtime.prettify());

        assertEquals(List.of(), toban.slack.violations(), "every Slack call was well formed");
    }
}

package dev.toban.incident.rest;

import static dev.toban.incident.support.TestStack.SLACK_SECRET;
import static dev.toban.incident.support.TestStack.TRIAGE;
import static dev.toban.incident.support.TestStack.as;
import static dev.toban.incident.support.TestStack.count;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.lessThan;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.toban.plumbing.slack.SlackSignature;
import dev.toban.incident.support.TestStack;
import dev.toban.plumbing.testing.KeycloakTokens;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Slack's /sos: signed requests only, an ephemeral answer in the reporter's language within Slack's 3 s. */
@QuarkusTest
class SlackCommandResourceTest {

    @BeforeAll
    static void directory() {
        TestStack.directory();
    }

    @BeforeEach
    void freshSosLimit() {
        TestStack.forgetSosReports();
    }

    static String form(String userId, String userName, String text) {
        return "token=ignored&team_id=T0001&channel_id=C0INCIDENT&channel_name=incident-report"
                + "&user_id=" + userId + "&user_name=" + userName + "&command=%2Fsos"
                + "&text=" + URLEncoder.encode(text, StandardCharsets.UTF_8)
                + "&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2F1&trigger_id=13345224609.738474920.8088930838";
    }

    static Response send(String body, long timestamp, String secret) {
        byte[] raw = body.getBytes(StandardCharsets.UTF_8);
        String ts = Long.toString(timestamp);
        return given().contentType("application/x-www-form-urlencoded").body(body)
                .header("X-Slack-Request-Timestamp", ts)
                .header("X-Slack-Signature", SlackSignature.sign(secret, ts, raw))
                .post("/integrations/slack/commands");
    }

    @Test
    void aSignedSosOpensAnIncidentOnTheTriageServiceAndAnswersInJapanese() {
        String text = "記事ページが表示されません " + UUID.randomUUID();
        String reply = send(form("U0YAMADA", "yamada", text), Instant.now().getEpochSecond(), SLACK_SECRET)
                .then().statusCode(200).time(lessThan(3000L))
                .body("response_type", equalTo("ephemeral"))
                .body("text", startsWith("SOS を受け付けました（インシデント #"))
                .body("text", containsString("障害対応優先スペース: https://meet.example/toban-"))
                .extract().path("text");
        String id = TestStack.column("select i.id from incident i join alert a on a.incident_id = i.id where a.summary = ?",
                text).get(0).toString();
        // the reply links to the incident's page, the IC console (issue 16: every link leads to a page)
        org.junit.jupiter.api.Assertions.assertTrue(reply.contains("/ui/incidents/" + id), reply);
        as(KeycloakTokens.YAMADA).get("/api/incidents/" + id).then()
                .body("source", equalTo("sos"))
                .body("service.id", equalTo(TRIAGE.toString()))
                .body("title", equalTo("SOS: " + text))
                .body("alerts[0].kind", equalTo("sos"));
        as(KeycloakTokens.YAMADA).get("/api/incidents/" + id + "/timeline").then()
                .body("[0].actor.username", equalTo("yamada"));
        TestStack.awaitEvent("toban.incident.triggered", id);
    }

    @Test
    void anEnglishSpeakerGetsEnglishAndAnUnknownUserTheDefaultLanguage() {
        send(form("U0ADMIN", "admin", "Checkout is down"), Instant.now().getEpochSecond(), SLACK_SECRET)
                .then().statusCode(200).body("text", startsWith("Got it. Incident #"));
        send(form("U0STRANGER", "stranger", ""), Instant.now().getEpochSecond(), SLACK_SECRET)
                .then().statusCode(200).body("response_type", equalTo("ephemeral"))
                .body("text", startsWith("使い方: /sos"));
    }

    @Test
    void badStaleOrMissingSignaturesAreRefusedAndOpenNothing() {
        long before = count("select count(*) from incident");
        send(form("U0YAMADA", "yamada", "forged"), Instant.now().getEpochSecond(), "not-the-secret")
                .then().statusCode(401).contentType("application/problem+json");
        send(form("U0YAMADA", "yamada", "replayed"), Instant.now().minusSeconds(6 * 60).getEpochSecond(), SLACK_SECRET)
                .then().statusCode(401);
        given().contentType("application/x-www-form-urlencoded").body(form("U0YAMADA", "yamada", "unsigned"))
                .post("/integrations/slack/commands").then().statusCode(401);
        // the body must be exactly what was signed
        byte[] signed = form("U0YAMADA", "yamada", "original").getBytes(StandardCharsets.UTF_8);
        String ts = Long.toString(Instant.now().getEpochSecond());
        given().contentType("application/x-www-form-urlencoded").body(form("U0YAMADA", "yamada", "tampered"))
                .header("X-Slack-Request-Timestamp", ts)
                .header("X-Slack-Signature", SlackSignature.sign(SLACK_SECRET, ts, signed))
                .post("/integrations/slack/commands").then().statusCode(401);
        assertEquals(before, count("select count(*) from incident"));
    }

    @Test
    void theSameSignedRequestSentAgainOpensNothingAndPagesNobody() {
        String text = "Replay me " + UUID.randomUUID();
        byte[] raw = form("U0ADMIN", "admin", text).getBytes(StandardCharsets.UTF_8);
        String ts = Long.toString(Instant.now().getEpochSecond());
        String signature = SlackSignature.sign(SLACK_SECRET, ts, raw);
        java.util.function.Supplier<Response> again = () -> given().contentType("application/x-www-form-urlencoded")
                .body(new String(raw, StandardCharsets.UTF_8)).header("X-Slack-Request-Timestamp", ts).header("X-Slack-Signature", signature)
                .post("/integrations/slack/commands");
        again.get().then().statusCode(200).body("text", startsWith("Got it. Incident #"));
        assertEquals(1, count("select count(*) from alert where summary = ?", text));
        long incidents = count("select count(*) from incident");
        for (int i = 0; i < 3; i++) {
            again.get().then().statusCode(401).contentType("application/problem+json")
                    .body("title", equalTo("Request already received"))
                    .body("errors[0].field", equalTo("X-Slack-Signature"));
        }
        assertEquals(1, count("select count(*) from alert where summary = ?", text), "a replay opens nothing");
        assertEquals(incidents, count("select count(*) from incident"));
        // one incident, one page: exactly one toban.incident.triggered carries this text
        java.util.function.LongSupplier triggered = () -> TestStack.broker().received("toban.incident.triggered").stream()
                .filter(e -> text.equals(e.at("/data/alert/summary").asText())).count();
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(15)).until(() -> triggered.getAsLong() >= 1);
        org.awaitility.Awaitility.await().during(java.time.Duration.ofSeconds(2)).atMost(java.time.Duration.ofSeconds(5))
                .until(() -> triggered.getAsLong() == 1);
    }

    @Test
    void overTheLimitASlackReporterGetsAnEphemeralAnswerInTheirLanguage() {
        String stranger = "U0LIMIT" + UUID.randomUUID().toString().substring(0, 8);
        for (int i = 0; i < 3; i++) {
            send(form(stranger, "limited", "Problem " + i + " " + UUID.randomUUID()), Instant.now().getEpochSecond(),
                    SLACK_SECRET).then().statusCode(200).body("text", startsWith("SOS を受け付けました"));
        }
        long before = count("select count(*) from incident");
        send(form(stranger, "limited", "Again " + UUID.randomUUID()), Instant.now().getEpochSecond(), SLACK_SECRET)
                .then().statusCode(200).time(lessThan(3000L))
                .body("response_type", equalTo("ephemeral"))
                .body("text", startsWith("直近 10 分間に SOS を 3 件受け付けているため"))
                .body("text", containsString("これまでの報告: #"));
        // the admin's directory language is English; their count is their own
        for (int i = 0; i < 3; i++) {
            send(form("U0ADMIN", "admin", "Admin " + i + " " + UUID.randomUUID()), Instant.now().getEpochSecond(),
                    SLACK_SECRET).then().statusCode(200);
        }
        send(form("U0ADMIN", "admin", "Admin again " + UUID.randomUUID()), Instant.now().getEpochSecond(), SLACK_SECRET)
                .then().statusCode(200).body("text", startsWith("You have already sent 3 SOS reports in the last 10 minutes"));
        assertEquals(before + 3, count("select count(*) from incident"));
    }
}

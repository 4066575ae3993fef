package dev.toban.incident.slack;

import static dev.toban.incident.support.TestStack.SLACK_SECRET;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.lessThan;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.toban.incident.support.SlackSupport;
import dev.toban.incident.support.TestStack;
import dev.toban.plumbing.slack.SlackSignature;
import io.quarkus.test.junit.QuarkusTest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * The interactivity endpoint's gate (issue 17): the v0 signature within 5 minutes, each signed request once, and
 * Slack's retries (X-Slack-Retry-Num) answered 200 without doing anything again.
 */
@QuarkusTest
class SlackInteractionRequestsTest extends SlackAppFixture {

    static final String PATH = "/integrations/slack/interactions";

    @Test
    void unsignedStaleWronglySignedOrTamperedClicksAreRefusedAndChangeNothing() {
        UUID id = open("Slack gate " + UUID.randomUUID());
        String body = SlackSupport.payloadForm(SlackSupport.blockAction(SATO_SLACK, "ack", id, SlackSupport.id(), "t1"));
        long now = Instant.now().getEpochSecond();
        SlackSupport.post(PATH, body, now, "not-the-secret", null).then().statusCode(401)
                .contentType("application/problem+json").body("errors[0].field", equalTo("X-Slack-Signature"));
        SlackSupport.post(PATH, body, now - 6 * 60, SLACK_SECRET, null).then().statusCode(401);
        SlackSupport.post(PATH, body, now + 6 * 60, SLACK_SECRET, null).then().statusCode(401);
        given().contentType("application/x-www-form-urlencoded").body(body).post(PATH).then().statusCode(401);
        String ts = Long.toString(now);
        String other = SlackSupport.payloadForm(SlackSupport.blockAction(SATO_SLACK, "resolve", id, SlackSupport.id(), "t2"));
        given().contentType("application/x-www-form-urlencoded").body(other)
                .header("X-Slack-Request-Timestamp", ts)
                .header("X-Slack-Signature", SlackSignature.sign(SLACK_SECRET, ts, body.getBytes(StandardCharsets.UTF_8)))
                .post(PATH).then().statusCode(401);
        assertEquals("triggered", state(id));
    }

    @Test
    void theSameSignedClickSentAgainIsARefusedReplayUnlessSlackSaysItIsARetry() {
        UUID id = open("Slack replay " + UUID.randomUUID());
        String responses = SlackSupport.id();
        String body = SlackSupport.payloadForm(SlackSupport.blockAction(SATO_SLACK, "ack", id, responses, "t3"));
        long ts = Instant.now().getEpochSecond();
        SlackSupport.post(PATH, body, ts, SLACK_SECRET, null).then().statusCode(200).time(lessThan(3000L));
        assertEquals("acknowledged", state(id));
        SlackSupport.post(PATH, body, ts, SLACK_SECRET, null).then().statusCode(401)
                .body("title", equalTo("Request already received"));
        // Slack's own retry of the same request: answered, nothing done again
        SlackSupport.post(PATH, body, ts, SLACK_SECRET, "1").then().statusCode(200);
        assertEquals(1, timeline(id, "acknowledged").size());
        Awaitility.await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(3))
                .until(() -> slack().responses(responses).size() == 1);
    }

    @Test
    void aRetrySignedAnewIsAnswered200AndPostsTheStatusUpdateOnce() {
        UUID id = open("Slack retry " + UUID.randomUUID());
        String body = SlackSupport.payloadForm(SlackSupport.viewSubmission(SATO_SLACK, "toban.status_update", id,
                "V0RETRY", Map.of("message", "Investigating the database " + UUID.randomUUID()), Map.of()));
        long ts = Instant.now().getEpochSecond();
        SlackSupport.post(PATH, body, ts, SLACK_SECRET, null).then().statusCode(200).time(lessThan(3000L));
        for (int retry = 1; retry <= 3; retry++) {
            SlackSupport.post(PATH, body, ts + retry, SLACK_SECRET, Integer.toString(retry)).then().statusCode(200)
                    .time(lessThan(3000L));
        }
        assertEquals(1, timeline(id, "status_update").size(), "one status update however often Slack sends it");
        Awaitility.await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(5))
                .until(() -> TestStack.events("toban.incident.status_updated", id).size() == 1);
    }

    @Test
    void aBodyWithoutAnInteractionPayloadIsABadRequestNamingIt() {
        SlackSupport.post(PATH, "payload=" + "not%20json").then().statusCode(400)
                .body("errors[0].field", equalTo("payload"));
        SlackSupport.post(PATH, "other=1").then().statusCode(400);
        // something Slack sends that Toban has no use for (a link button, a closed modal) is answered and ignored
        SlackSupport.interaction("{\"type\":\"view_closed\",\"user\":{\"id\":\"U0SATO\"}}").then().statusCode(200);
        UUID id = open("Slack open link " + UUID.randomUUID());
        String responses = SlackSupport.id();
        SlackSupport.interaction(SlackSupport.blockAction(SATO_SLACK, "open", id, responses, "t4")).then().statusCode(200);
        Awaitility.await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(3))
                .until(() -> slack().responses(responses).isEmpty());
        assertTrue(slack().violations().isEmpty(), slack().violations().toString());
    }
}

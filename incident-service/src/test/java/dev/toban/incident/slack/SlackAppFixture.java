package dev.toban.incident.slack;

import static dev.toban.incident.support.TestStack.ADMIN;
import static dev.toban.incident.support.TestStack.SATO;
import static dev.toban.incident.support.TestStack.SUZUKI;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.toban.incident.support.SlackAppFakes;
import dev.toban.incident.support.SlackSupport;
import dev.toban.incident.support.TestStack;
import dev.toban.plumbing.testing.FakeSlack;
import dev.toban.plumbing.testing.KeycloakTokens;
import io.restassured.response.Response;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

/** Incidents whose IC is Hanako Sato (U0SATO), and the Slack app's requests and answers, for the Slack tests. */
abstract class SlackAppFixture {

    static final String SATO_SLACK = "U0SATO";
    static final String SUZUKI_SLACK = "U0SUZUKI";
    static final String TANAKA_SLACK = "U0TANAKA";
    static final String YAMADA_SLACK = "U0YAMADA";
    static final String ADMIN_SLACK = "U0ADMIN";
    static final String TAKAHASHI_SLACK = "U0TAKAHASHI";

    static UUID policy;
    static String serviceId;
    static String key;

    static synchronized void catalog() {
        if (key != null) {
            return;
        }
        TestStack.directory();
        policy = UUID.randomUUID();
        // oncall-service is down in tests: its last answers make sato (and suzuki) level 1, admin level 2
        TestStack.cacheTargets(policy, 1, 2, 0, 15, SATO, SUZUKI);
        TestStack.cacheTargets(policy, 2, 2, 0, 15, ADMIN);
        String[] created = TestStack.service("Slack app", policy);
        serviceId = created[0];
        key = created[1];
    }

    /** A new triggered incident whose IC is Sato. */
    static UUID open(String summary) {
        catalog();
        String dedup = "slack-" + UUID.randomUUID();
        TestStack.enqueue(TestStack.trigger(key, dedup, summary, "error")).then().statusCode(202);
        UUID id = TestStack.incidentFor(dedup);
        TestStack.awaitJson(KeycloakTokens.YAMADA, "/api/incidents/" + id, j -> j.get("commander") != null);
        TestStack.awaitEvent("toban.incident.triggered", id);
        return id;
    }

    static FakeSlack slack() {
        return SlackAppFakes.slack();
    }

    static String state(UUID id) {
        return (String) TestStack.single("select state from incident where id = ?", id);
    }

    /** Clicks {@code toban.<verb>} as {@code user}; returns the response_url's id. */
    static String click(String user, String verb, UUID incident) {
        String responses = SlackSupport.id();
        SlackSupport.interaction(SlackSupport.blockAction(user, verb, incident, responses, "trigger-" + SlackSupport.id()))
                .then().statusCode(200).time(org.hamcrest.Matchers.lessThan(3000L));
        return responses;
    }

    /** The private answer posted to the response_url {@code id}, once it comes. */
    static String answer(String id) {
        await().atMost(Duration.ofSeconds(10)).until(() -> !slack().responses(id).isEmpty());
        JsonNode message = slack().responses(id).get(0);
        if (!"ephemeral".equals(message.path("response_type").asText()) || message.path("replace_original").asBoolean(true)) {
            throw new AssertionError("not a private answer that leaves the message as it is: " + message);
        }
        return message.path("text").asText();
    }

    /** The modal views.open got for this trigger. */
    static FakeSlack.View opened(String trigger) {
        await().atMost(Duration.ofSeconds(5)).until(() -> slack().openedFor(trigger).isPresent());
        return slack().openedFor(trigger).orElseThrow();
    }

    /** Timeline entries of {@code kind}, oldest first, as the API shows them. */
    static List<JsonNode> timeline(UUID id, String kind) {
        JsonNode all = TestStack.as(KeycloakTokens.YAMADA).get("/api/incidents/" + id + "/timeline").then().statusCode(200)
                .extract().as(JsonNode.class);
        List<JsonNode> found = new java.util.ArrayList<>();
        all.forEach(e -> {
            if (kind.equals(e.path("kind").asText())) {
                found.add(e);
            }
        });
        return found;
    }

    static Response submit(String payload) {
        return SlackSupport.interaction(payload);
    }
}

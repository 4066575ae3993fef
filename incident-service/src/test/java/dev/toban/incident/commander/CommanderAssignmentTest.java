package dev.toban.incident.commander;

import static dev.toban.incident.support.TestStack.SATO;
import static dev.toban.incident.support.TestStack.SUZUKI;
import static dev.toban.incident.support.TestStack.as;
import static dev.toban.incident.support.TestStack.count;
import static dev.toban.incident.support.TestStack.enqueue;
import static dev.toban.incident.support.TestStack.trigger;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.toban.incident.client.EscalationTargets;
import dev.toban.incident.support.FakeOnCall;
import dev.toban.incident.support.TestStack;
import dev.toban.plumbing.testing.KeycloakTokens;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Instant;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The IC lookup's documented fallback (oncall-service is unreachable in this suite): without a cached
 * answer the incident still opens and is announced, the timeline says why, and the retry job makes
 * the on-call IC as soon as an answer exists.
 */
@QuarkusTest
class CommanderAssignmentTest {

    @Inject
    EscalationTargets targets;

    @BeforeAll
    static void directory() {
        TestStack.directory();
    }

    @Test
    void withoutAnyAnswerTheIncidentOpensWithoutIcAndTheRetryJobAssignsItLater() throws Exception {
        UUID policy = UUID.randomUUID();
        String key = TestStack.service("No answer", policy)[1];
        String dedup = "noanswer-" + UUID.randomUUID();
        long started = System.nanoTime();
        enqueue(trigger(key, dedup, "Queue backlog", "error")).then().statusCode(202);
        assertTrue(System.nanoTime() - started < Duration.ofSeconds(5).toNanos(), "ingestion does not wait for oncall");
        UUID id = TestStack.incidentFor(dedup);

        JsonNode triggered = TestStack.awaitEvent("toban.incident.triggered", id);
        assertTrue(triggered.at("/data/incident/commander").isNull(), "announced without an IC");
        assertEquals(alert(dedup, "Queue backlog", "error"), triggered.at("/data/alert"), "the alert as stored");
        assertEquals(0, triggered.at("/data/page/targets").size());
        TestStack.awaitJson(KeycloakTokens.YAMADA, "/api/incidents/" + id + "/timeline",
                j -> j.getList("kind").contains("commander_unavailable"));
        String why = as(KeycloakTokens.YAMADA).get("/api/incidents/" + id + "/timeline").then().extract().jsonPath()
                .getString("find { it.kind == 'commander_unavailable' }.message");
        assertTrue(why.contains("unreachable"), why);
        assertEquals(1, count("select count(*) from commander_job where incident_id = ?", id), "a retry is pending");

        // oncall-service's answer becomes available (here: as the cached answer); the retry job picks it up
        TestStack.cacheTargets(policy, 1, 1, 0, 10, SUZUKI, SATO);
        TestStack.update("update commander_job set next_attempt_at = now() where incident_id = ?", id);
        TestStack.awaitJson(KeycloakTokens.YAMADA, "/api/incidents/" + id,
                j -> "suzuki".equals(j.getString("commander.username")));
        await().atMost(Duration.ofSeconds(10)).until(() -> !TestStack.events("toban.incident.escalated", id).isEmpty());
        JsonNode page = TestStack.events("toban.incident.escalated", id).get(0);
        assertEquals(1, page.at("/data/level").asInt());
        assertEquals(List.of("suzuki", "sato"), List.of(page.at("/data/targets/0/username").asText(),
                page.at("/data/targets/1/username").asText()));
        JsonNode role = TestStack.awaitEvent("toban.incident.role_changed", id);
        assertEquals("commander", role.at("/data/role").asText());
        assertEquals("set", role.at("/data/change").asText());
        assertEquals(1, TestStack.events("toban.incident.triggered", id).size(), "triggered is announced once");
        assertEquals(0, count("select count(*) from commander_job where incident_id = ?", id));
    }

    /** With oncall-service's answer in memory the IC is named in the transaction that opens the incident: no job runs. */
    @Test
    void withTheAnswerInMemoryTheIcIsNamedInTheTransactionThatOpensTheIncident() throws Exception {
        UUID policy = UUID.randomUUID();
        String key = TestStack.service("Remembered", policy)[1];
        String path = "/api/escalation-policies/" + policy + "/targets";
        // a live answer, kept in memory (other tests' 503s may have opened the circuit breaker: ask until one is live)
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(300)).until(() -> {
            FakeOnCall.answer(path, 200, """
                    {"policyId":"%s","policyName":"Remembered","level":1,"levels":1,"repeatCount":0,"delayMinutes":15,
                     "targets":[{"type":"schedule","id":"%s","name":"server"}],"people":[%s],"validUntil":"%s"}"""
                    .formatted(policy, UUID.randomUUID(), TestStack.personRef(SATO), Instant.now().plusSeconds(600)));
            return targets.lookup(policy, 1) instanceof EscalationTargets.Found f && f.answer().cachedAt() == null;
        });
        long asked = FakeOnCall.calls().stream().filter(c -> c.startsWith("GET " + path + " ")).count();

        String dedup = "remembered-" + UUID.randomUUID();
        enqueue(trigger(key, dedup, "Disk full", "error")).then().statusCode(202);
        UUID id = TestStack.incidentFor(dedup);
        JsonNode triggered = TestStack.awaitEvent("toban.incident.triggered", id);
        assertEquals("sato", triggered.at("/data/incident/commander/username").asText(), triggered.toString());
        assertEquals("sato", triggered.at("/data/page/targets/0/username").asText(), "level 1 is paged");
        assertEquals(alert(dedup, "Disk full", "error"), triggered.at("/data/alert"), "the alert as written, not read back");
        // the incident row was last written by the transaction that wrote its alert: the IC job's would be a later one
        assertEquals(Boolean.TRUE, TestStack.single("select i.xmin::text = a.xmin::text from incident i "
                + "join alert a on a.incident_id = i.id where i.id = ?", id), "named as the incident opened");
        assertEquals(0, count("select count(*) from commander_job where incident_id = ?", id), "no job left");
        assertEquals(asked, FakeOnCall.calls().stream().filter(c -> c.startsWith("GET " + path + " ")).count(),
                "oncall-service was not asked again");
        TestStack.awaitJson(KeycloakTokens.YAMADA, "/api/incidents/" + id + "/timeline",
                j -> j.getList("kind").containsAll(List.of("opened", "commander_assigned", "paged")));
    }

    @Test
    void anIncidentResolvedBeforeItsIcIsFoundStopsTheJobAndAnnouncesFirst() {
        String key = TestStack.service("Quick", UUID.randomUUID())[1];
        String dedup = "quick-" + UUID.randomUUID();
        enqueue(trigger(key, dedup, "Blip", "info")).then().statusCode(202);
        enqueue(TestStack.action(key, dedup, "resolve")).then().statusCode(202);
        UUID id = TestStack.incidentFor(dedup);
        JsonNode resolved = TestStack.awaitEvent("toban.incident.resolved", id);
        JsonNode triggered = TestStack.awaitEvent("toban.incident.triggered", id);
        List<String> order = TestStack.broker().received().stream()
                .filter(e -> id.toString().equals(e.path("subject").asText()))
                .map(e -> e.path("type").asText()).toList();
        assertEquals("toban.incident.triggered", order.get(0), "triggered always comes first: " + order);
        assertTrue(resolved.at("/data/incident/resolvedAt").isTextual());
        assertTrue(triggered.at("/data/incident/state").isTextual());
        await().atMost(Duration.ofSeconds(10)).until(() ->
                count("select count(*) from commander_job where incident_id = ?", id) == 0);
        as(KeycloakTokens.YAMADA).get("/api/incidents/" + id).then().body("state", equalTo("resolved"));
    }

    /** {@code triggered.alert} of {@link TestStack#trigger}: the same whether the IC was named inline or by the job. */
    private static JsonNode alert(String dedup, String summary, String severity) throws Exception {
        return new ObjectMapper().readTree("""
                {"summary":"%s","source":"api-1.example","severity":"%s","dedupKey":"%s","component":"nginx",
                 "links":[{"href":"https://grafana.example/d/1","text":"Dashboard"}]}""".formatted(summary, severity, dedup));
    }
}

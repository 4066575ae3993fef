package dev.toban.incident.escalation;

import static dev.toban.incident.support.TestStack.ADMIN;
import static dev.toban.incident.support.TestStack.SATO;
import static dev.toban.incident.support.TestStack.as;
import static dev.toban.incident.support.TestStack.count;
import static dev.toban.incident.support.TestStack.enqueue;
import static dev.toban.incident.support.TestStack.trigger;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.toban.incident.support.TestStack;
import dev.toban.plumbing.testing.KeycloakTokens;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Escalation timers are rows: they page the next level while unacknowledged, repeat as the policy
 * says, fire once however many workers race for them, and stop on acknowledgement. Waiting out a
 * level's delay is simulated by moving the timer's fire_at into the past.
 */
@QuarkusTest
class EscalationServiceTest {

    static UUID policy;
    static String key;

    @Inject
    EscalationService escalation;

    @BeforeEach
    void setUp() {
        if (key != null) {
            return; // once per class; RestAssured knows the port only inside a test
        }
        TestStack.directory();
        policy = UUID.randomUUID();
        // level 1: sato, then level 2: admin after 15 minutes; the policy repeats once
        TestStack.cacheTargets(policy, 1, 2, 1, 15, SATO);
        TestStack.cacheTargets(policy, 2, 2, 1, 15, ADMIN);
        key = TestStack.service("Escalation", policy)[1];
    }

    static UUID incidentWithTimer() {
        String dedup = "esc-" + UUID.randomUUID();
        enqueue(trigger(key, dedup, "Payments failing", "critical")).then().statusCode(202);
        UUID id = TestStack.incidentFor(dedup);
        await().atMost(Duration.ofSeconds(15)).until(() ->
                count("select count(*) from escalation_timer where incident_id = ?", id) == 1);
        return id;
    }

    static List<JsonNode> escalations(UUID id, int level, int repeat) {
        return TestStack.events("toban.incident.escalated", id).stream()
                .filter(e -> e.at("/data/level").asInt() == level && e.at("/data/repeat").asInt() == repeat).toList();
    }

    static void due(UUID id) {
        TestStack.update("update escalation_timer set fire_at = now() - interval '1 second' where incident_id = ?", id);
    }

    @Test
    void unacknowledgedIncidentsEscalateLevelByLevelRepeatOnceAndStop() {
        UUID id = incidentWithTimer();
        Object fireAt = TestStack.single("select fire_at from escalation_timer where incident_id = ?", id);
        Object created = TestStack.single("select created_at from incident where id = ?", id);
        assertTrue(((java.time.OffsetDateTime) fireAt).isAfter(((java.time.OffsetDateTime) created).plusMinutes(14)),
                "level 2 waits for level 1's delay");

        due(id);
        await().atMost(Duration.ofSeconds(10)).until(() -> escalations(id, 2, 0).size() == 1);
        JsonNode level2 = escalations(id, 2, 0).get(0);
        assertEquals("admin", level2.at("/data/targets/0/username").asText());
        assertEquals("system", level2.at("/data/actor/username").asText());
        assertEquals("triggered", level2.at("/data/incident/state").asText());
        assertEquals(1L, ((Number) TestStack.single("select level from escalation_timer where incident_id = ?", id)).longValue());
        assertEquals(1L, ((Number) TestStack.single("select repeat from escalation_timer where incident_id = ?", id)).longValue());

        due(id);
        await().atMost(Duration.ofSeconds(10)).until(() -> escalations(id, 1, 1).size() == 1);
        due(id);
        await().atMost(Duration.ofSeconds(10)).until(() -> escalations(id, 2, 1).size() == 1);
        await().atMost(Duration.ofSeconds(10)).until(() ->
                count("select count(*) from escalation_timer where incident_id = ?", id) == 0);
        TestStack.awaitJson(KeycloakTokens.YAMADA, "/api/incidents/" + id + "/timeline",
                j -> j.getList("kind").contains("escalation_exhausted"));
    }

    @Test
    void aDueTimerFiresOnceWhenManyWorkersRaceForIt() throws Exception {
        UUID id = incidentWithTimer();
        int workers = 6;
        CyclicBarrier start = new CyclicBarrier(workers);
        ExecutorService pool = Executors.newFixedThreadPool(workers);
        try {
            due(id);
            List<Future<Integer>> fired = new ArrayList<>();
            for (int i = 0; i < workers; i++) {
                fired.add(pool.submit(() -> {
                    start.await();
                    return escalation.fireDue();
                }));
            }
            for (Future<Integer> f : fired) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> escalations(id, 2, 0).size() == 1);
        // the scheduler keeps running too: still exactly one page for this step
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(4)).until(() -> escalations(id, 2, 0).size() == 1);
        assertEquals(1, count("select count(*) from timeline_entry where incident_id = ? and kind = 'escalated'", id));
    }

    @Test
    void acknowledgementStopsTheEscalation() {
        UUID id = incidentWithTimer();
        as(KeycloakTokens.SATO).post("/api/incidents/" + id + "/acknowledge").then().statusCode(200);
        assertEquals(0, count("select count(*) from escalation_timer where incident_id = ?", id));
        escalation.fireDue();
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(4))
                .until(() -> TestStack.events("toban.incident.escalated", id).isEmpty());
    }
}

package dev.toban.incident.lifecycle;

import static dev.toban.incident.support.TestStack.as;
import static dev.toban.incident.support.TestStack.enqueue;
import static dev.toban.incident.support.TestStack.trigger;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.toban.incident.support.TestStack;
import dev.toban.plumbing.testing.KeycloakTokens;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Status-update cadence: SEV1 expects an update every 30 minutes; a missed window gives one reminder. */
@QuarkusTest
class CadenceServiceTest {

    @Test
    void anOverdueUpdateIsRemindedOncePerWindowAndAnUpdateResetsTheClock() {
        String key = TestStack.service("Cadence", UUID.randomUUID())[1];
        String dedup = "cadence-" + UUID.randomUUID();
        enqueue(trigger(key, dedup, "Everything is down", "critical")).then().statusCode(202);
        UUID id = TestStack.incidentFor(dedup);
        OffsetDateTime created = (OffsetDateTime) TestStack.single("select created_at from incident where id = ?", id);
        OffsetDateTime due = (OffsetDateTime) TestStack.single("select next_update_due_at from incident where id = ?", id);
        assertEquals(Duration.ofMinutes(30), Duration.between(created, due), "SEV1 cadence");

        // 30 minutes pass without an update
        TestStack.update("update incident set next_update_due_at = now() - interval '1 second' where id = ?", id);
        JsonNode overdue = TestStack.awaitEvent("toban.incident.update_overdue", id);
        assertEquals(30, overdue.at("/data/cadenceMinutes").asInt());
        assertEquals(created.toInstant().toString(), java.time.Instant.parse(overdue.at("/data/lastUpdateAt").asText()).toString());
        assertEquals("system", overdue.at("/data/actor/username").asText());
        await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(5))
                .until(() -> TestStack.events("toban.incident.update_overdue", id).size() == 1);
        OffsetDateTime next = (OffsetDateTime) TestStack.single("select next_update_due_at from incident where id = ?", id);
        assertTrue(next.isAfter(OffsetDateTime.now()), "the next window is in the future");

        as(KeycloakTokens.SATO).body("{\"message\":\"Investigating\"}").post("/api/incidents/" + id + "/status-updates")
                .then().statusCode(200);
        OffsetDateTime reset = (OffsetDateTime) TestStack.single("select next_update_due_at from incident where id = ?", id);
        OffsetDateTime last = (OffsetDateTime) TestStack.single("select last_status_update_at from incident where id = ?", id);
        assertEquals(Duration.ofMinutes(30), Duration.between(last, reset));

        as(KeycloakTokens.SATO).body("{}").post("/api/incidents/" + id + "/resolve").then().statusCode(200);
        assertEquals(null, TestStack.single("select next_update_due_at from incident where id = ?", id),
                "no reminders once resolved");
    }
}

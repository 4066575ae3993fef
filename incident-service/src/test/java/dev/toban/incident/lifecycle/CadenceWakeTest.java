package dev.toban.incident.lifecycle;

import static dev.toban.incident.support.TestStack.as;
import static dev.toban.incident.support.TestStack.enqueue;
import static dev.toban.incident.support.TestStack.trigger;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.toban.incident.support.TestStack;
import dev.toban.plumbing.testing.KeycloakTokens;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Workers that sleep for long (an hour here: the overdue check, the alert roll-up) are woken by a due time set
 * sooner than their next look.
 */
@QuarkusTest
@TestProfile(CadenceWakeTest.LongSleep.class)
class CadenceWakeTest {

    public static class LongSleep implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("toban.incident.cadence.check-every", "1h", "toban.incident.grouping.check-every", "1h");
        }
    }

    @Test
    void aSeverityChangeThatMakesAnUpdateOverdueRemindsAtOnce() {
        String key = TestStack.service("Cadence wake", UUID.randomUUID())[1];
        String dedup = "cadence-wake-" + UUID.randomUUID();
        enqueue(trigger(key, dedup, "Checkout is slow", "critical")).then().statusCode(202);
        UUID id = TestStack.incidentFor(dedup);
        // opened two hours ago without an update: at SEV2 (60 minutes) the update is overdue, at SEV1 it was not due
        // until the check's next look, half an hour from now
        TestStack.update("update incident set created_at = now() - interval '2 hours' where id = ?", id);

        as(KeycloakTokens.SATO).body("{\"severity\":\"SEV2\"}").patch("/api/incidents/" + id).then().statusCode(200);

        JsonNode overdue = TestStack.awaitEvent("toban.incident.update_overdue", id);
        assertEquals(60, overdue.at("/data/cadenceMinutes").asInt());
        OffsetDateTime next = (OffsetDateTime) TestStack.single("select next_update_due_at from incident where id = ?", id);
        assertTrue(next.isAfter(OffsetDateTime.now().plus(Duration.ofMinutes(50))), "the next window is an hour on");
    }

    @Test
    void theFirstGroupedAlertWakesTheRollUpForItsInterval() {
        String[] s = TestStack.service("Roll-up wake", UUID.randomUUID());
        as(KeycloakTokens.ADMIN).body("{\"rule\":\"content\",\"template\":\"{{payload.class}}\"}")
                .put("/api/services/" + s[0] + "/alert-grouping").then().statusCode(200);
        String run = UUID.randomUUID().toString();
        enqueue(trigger(s[1], "first-" + run, "db-1 down", "critical").replace("\"payload\":{", "\"payload\":{\"class\":\"db\",")).then().statusCode(202);
        UUID id = TestStack.incidentFor("first-" + run);
        TestStack.awaitEvent("toban.incident.triggered", id);
        enqueue(trigger(s[1], "second-" + run, "db-2 down", "critical").replace("\"payload\":{", "\"payload\":{\"class\":\"db\",")).then().statusCode(202);

        // due a roll-up interval (3 s here) on, long before the worker's own next look
        JsonNode rollUp = TestStack.awaitEvent("toban.incident.alerts_grouped", id);
        assertEquals(1, rollUp.at("/data/alerts/added").asInt());
    }
}

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

/** The overdue check sleeps for long (an hour here); a due time set sooner wakes it. */
@QuarkusTest
@TestProfile(CadenceWakeTest.LongSleep.class)
class CadenceWakeTest {

    public static class LongSleep implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("toban.incident.cadence.check-every", "1h");
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
}

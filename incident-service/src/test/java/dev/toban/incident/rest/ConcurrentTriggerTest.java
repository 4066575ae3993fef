package dev.toban.incident.rest;

import static dev.toban.incident.support.TestStack.count;
import static dev.toban.incident.support.TestStack.enqueue;
import static dev.toban.incident.support.TestStack.trigger;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.toban.incident.support.TestStack;
import io.quarkus.test.junit.QuarkusTest;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** Concurrent triggers with one dedup key: exactly one open incident, decided by the database's unique index. */
@QuarkusTest
class ConcurrentTriggerTest {

    @Test
    void concurrentTriggersWithTheSameDedupKeyOpenExactlyOneIncident() throws Exception {
        int senders = 16;
        for (int round = 0; round < 3; round++) {
            // a key per round keeps every round within the test profile's rate-limit burst
            String key = TestStack.service("Concurrency", UUID.randomUUID())[1];
            String dedup = "race-" + round + "-" + UUID.randomUUID();
            CyclicBarrier start = new CyclicBarrier(senders);
            ExecutorService pool = Executors.newFixedThreadPool(senders);
            try {
                List<Future<Integer>> results = new ArrayList<>();
                for (int i = 0; i < senders; i++) {
                    results.add(pool.submit(() -> {
                        start.await();
                        return enqueue(trigger(key, dedup, "Race", "error")).statusCode();
                    }));
                }
                for (Future<Integer> result : results) {
                    assertEquals(202, result.get());
                }
            } finally {
                pool.shutdownNow();
            }
            assertEquals(1, count("select count(*) from incident where dedup_key = ?", dedup), "one incident");
            assertEquals(1, count("select count(*) from alert where dedup_key = ?", dedup), "one alert");
            // every trigger is counted on it (repeated ones by the flush within a second)
            org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(5)).until(() ->
                    count("select event_count from alert where dedup_key = ?", dedup) == senders);
            assertEquals(1, count("select count(*) from timeline_entry t join incident i on i.id = t.incident_id "
                    + "where i.dedup_key = ? and t.kind = 'opened'", dedup));
        }
    }

    @Test
    void theDatabaseRefusesASecondOpenIncidentForTheSameKey() {
        String key = TestStack.service("Constraint", UUID.randomUUID())[1];
        String dedup = "constraint-" + UUID.randomUUID();
        enqueue(trigger(key, dedup, "First", "info")).then().statusCode(202);
        UUID incident = TestStack.incidentFor(dedup);
        // bypassing the service: the partial unique index itself rejects a duplicate open incident
        IllegalStateException refused = org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class, () ->
                TestStack.update("""
                        insert into incident (id, title, severity, state, source, service_id, integration_key_id, dedup_key,
                            created_at, created_by)
                        select gen_random_uuid(), 'dup', severity, 'triggered', source, service_id, integration_key_id,
                            dedup_key, now(), created_by from incident where id = ?""", incident));
        assertEquals("23505", ((java.sql.SQLException) refused.getCause()).getSQLState());
    }
}

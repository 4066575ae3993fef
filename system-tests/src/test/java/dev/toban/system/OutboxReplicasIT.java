package dev.toban.system;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import dev.toban.plumbing.testing.BrokerProbe;
import dev.toban.plumbing.testing.KeycloakTokens;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Two replicas of a service share one database and broker: every outbox row is published once. */
class OutboxReplicasIT {

    static final String PROBE = "it.outbox-replicas.probe";
    static ServiceProcess first;
    static ServiceProcess second;

    @BeforeAll
    static void start() {
        first = ServiceProcess.start("oncall-service", "oncall-replica-1", true, Map.of());
        second = ServiceProcess.start("oncall-service", "oncall-replica-2", false, Map.of());
    }

    @AfterAll
    static void stop() {
        if (second != null) {
            second.stop();
        }
        if (first != null) {
            first.stop();
        }
    }

    @Test
    void everyRowIsPublishedExactlyOnce() throws Exception {
        try (BrokerProbe probe = new BrokerProbe("toban_it")) {
            probe.durableQueue(PROBE, "toban.oncall", "toban.oncall.team.created");
            ConcurrentLinkedQueue<String> created = new ConcurrentLinkedQueue<>();
            ExecutorService pool = Executors.newFixedThreadPool(4);
            List<Future<?>> writes = new ArrayList<>();
            for (int i = 0; i < 120; i++) {
                ServiceProcess target = i % 2 == 0 ? first : second;
                String name = "Replica team " + i + " " + UUID.randomUUID();
                writes.add(pool.submit(() -> created.add(Api.as(KeycloakTokens.ADMIN, target)
                        .body("{\"name\":\"" + name + "\",\"timeZone\":\"Europe/Berlin\"}")
                        .post("/api/teams").then().statusCode(201).extract().<String>path("id"))));
            }
            for (Future<?> write : writes) {
                write.get();
            }
            pool.shutdown();

            List<JsonNode> events = new ArrayList<>();
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                events.addAll(probe.drain(PROBE));
                return events.stream().map(e -> e.path("subject").asText()).collect(Collectors.toSet())
                        .containsAll(created);
            });
            // Rows are marked sent only after the broker confirmed them, and a confirmed message is
            // already in the queue: once nothing is pending, any second publication is in the probe.
            await().atMost(Duration.ofSeconds(30)).until(() -> Database.count("oncall",
                    "select count(*) from outbox_event where published_at is null") == 0);
            events.addAll(probe.drain(PROBE));

            Map<String, Long> perSubject = events.stream()
                    .collect(Collectors.groupingBy(e -> e.path("subject").asText(), Collectors.counting()));
            Map<String, Long> perId = events.stream()
                    .collect(Collectors.groupingBy(e -> e.path("id").asText(), Collectors.counting()));
            assertEquals(created.size(), perSubject.size());
            assertEquals(List.of(), perSubject.entrySet().stream().filter(e -> e.getValue() > 1).toList(),
                    "subjects published more than once");
            assertEquals(created.size(), perId.size());
            probe.deleteQueue(PROBE);
        }
    }
}

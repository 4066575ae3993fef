package dev.toban.system;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.toban.plumbing.testing.BrokerProbe;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * A soak: steady Events API traffic for a configurable time (default 10 minutes), each alert
 * triggered, acknowledged and resolved, while heap, RSS, outbox and queue depths are sampled.
 * It fails if anything errs or memory keeps growing. bin/toban test runs it for 45 s; the long run (the default length):
 * {@code ./mvnw -B -pl system-tests verify -Dit.test=SoakIT -Dtoban.soak.duration=PT10M}.
 */
@Tag("soak") // a tier: bin/toban test --quick leaves it out
class SoakIT {

    static final Duration LENGTH = Duration.parse(System.getProperty("toban.soak.duration", "PT10M"));
    static final int RATE = Integer.getInteger("toban.soak.rate", 30);
    static final List<String> QUEUES = List.of("notify-service.incident-events", "postmortem-service.incident-events",
            "incident-service.notify-events", "incident-service.oncall-events", "notify-service.oncall-events");
    static TobanSystem toban;

    @BeforeAll
    static void start() {
        toban = TobanSystem.start(Map.of(
                "TOBAN_INCIDENT_INGEST_RATE_LIMIT_EVENTS_PER_MINUTE", "600000",
                "TOBAN_INCIDENT_INGEST_RATE_LIMIT_BURST", "10000",
                "TOBAN_SLACK_POST_INTERVAL", "50ms"));
    }

    @AfterAll
    static void stop() {
        if (toban != null) {
            toban.close();
        }
    }

    static Map<String, ServiceStats> stats() {
        Map<String, ServiceStats> all = new LinkedHashMap<>();
        all.put("oncall", ServiceStats.of("oncall", toban.oncall));
        all.put("incident", ServiceStats.of("incident", toban.incident));
        all.put("notify", ServiceStats.of("notify", toban.notify));
        all.put("postmortem", ServiceStats.of("postmortem", toban.postmortem));
        return all;
    }

    @Test
    void steadyTrafficKeepsMemoryFlatAndLosesNothing() throws Exception {
        HttpClient http = HttpClient.newBuilder().executor(Executors.newFixedThreadPool(8)).build();
        String key = TobanSystem.demoIntegrationKey();
        String run = "soak-" + UUID.randomUUID().toString().substring(0, 8);
        ExecutorService senders = Executors.newFixedThreadPool(16);
        List<Long> latencies = Collections.synchronizedList(new ArrayList<>());
        AtomicInteger errors = new AtomicInteger();
        AtomicInteger sent = new AtomicInteger();
        List<Map<String, ServiceStats>> samples = Collections.synchronizedList(new ArrayList<>());
        var sampler = Executors.newSingleThreadScheduledExecutor();
        sampler.scheduleAtFixedRate(() -> samples.add(stats()), 0, Math.max(1, LENGTH.toSeconds() / 10), TimeUnit.SECONDS);

        // each dedup key lives for 10 events: 8 triggers, then acknowledge, then resolve
        long interval = TimeUnit.SECONDS.toNanos(1) / RATE;
        long start = System.nanoTime();
        long end = start + LENGTH.toNanos();
        for (long i = 0; System.nanoTime() < end; i++) {
            long due = start + i * interval;
            LockSupport.parkNanos(Math.max(0, due - System.nanoTime())); // pacing the load, not waiting for a result
            long n = i;
            String action = n % 10 == 8 ? "acknowledge" : n % 10 == 9 ? "resolve" : "trigger";
            String body = """
                    {"routing_key":"%s","event_action":"%s","dedup_key":"%s-%d",
                     "payload":{"summary":"Soak %s","source":"soak","severity":"warning"}}
                    """.formatted(key, action, run, n / 10, run);
            senders.submit(() -> {
                long t0 = System.nanoTime();
                try {
                    HttpResponse<Void> r = http.send(HttpRequest.newBuilder(URI.create(toban.incident.url() + "/v2/enqueue"))
                            .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body))
                            .build(), HttpResponse.BodyHandlers.discarding());
                    if (r.statusCode() == 202) {
                        latencies.add(System.nanoTime() - t0);
                    } else {
                        errors.incrementAndGet();
                    }
                } catch (Exception e) {
                    errors.incrementAndGet();
                }
                sent.incrementAndGet();
            });
        }
        senders.shutdown();
        assertTrue(senders.awaitTermination(1, TimeUnit.MINUTES));
        sampler.shutdownNow();
        long elapsedNanos = System.nanoTime() - start;
        // the backlog drains: nothing left in the outboxes or the queues
        try (BrokerProbe probe = new BrokerProbe("toban_it")) {
            await().atMost(Duration.ofMinutes(3)).until(() -> stats().values().stream().allMatch(s -> s.outboxPending() == 0)
                    && QUEUES.stream().allMatch(q -> probe.depth(q) <= 0));
        }
        samples.add(stats());

        List<Long> sorted = new ArrayList<>(latencies);
        Collections.sort(sorted);
        double p99 = sorted.isEmpty() ? 0 : sorted.get((int) Math.ceil(sorted.size() * 0.99) - 1) / 1e6;
        double throughput = latencies.size() / (elapsedNanos / 1e9);
        StringBuilder memory = new StringBuilder();
        // the baseline is taken once the JVMs have warmed up (30% into the run)
        Map<String, ServiceStats> first = samples.get(Math.min(3, samples.size() - 1));
        Map<String, ServiceStats> last = samples.get(samples.size() - 1);
        for (String service : first.keySet()) {
            memory.append(String.format("%s heap %s -> %s, RSS %s -> %s; ", service,
                    ServiceStats.mb(first.get(service).heapUsedBytes()), ServiceStats.mb(last.get(service).heapUsedBytes()),
                    ServiceStats.mb(first.get(service).rssBytes()), ServiceStats.mb(last.get(service).rssBytes())));
        }
        String summary = String.format("%d s at %d events/s: %.1f accepted/s, p99 %.1f ms, %d errors; %s",
                LENGTH.toSeconds(), RATE, throughput, p99, errors.get(), memory);
        System.out.println("[soak] " + summary);
        Reliability.report(new Reliability.Row("Soak", RATE + " events/s for " + LENGTH.toSeconds()
                + " s (trigger x8, acknowledge, resolve per key)", "nothing; " + memory.toString().trim(),
                sent.get(), latencies.size(), errors.get(), 0, "outboxes and queues drained"));

        assertEquals(0, errors.get(), "every event accepted");
        // memory must not grow without bound: RSS at the end stays within 25% (+96 MB) of the warmed-up baseline
        for (String service : first.keySet()) {
            long before = first.get(service).rssBytes();
            long after = last.get(service).rssBytes();
            assertTrue(after <= before * 1.25 + 96L * 1048576, service + " RSS grew from " + ServiceStats.mb(before)
                    + " to " + ServiceStats.mb(after));
        }
    }
}

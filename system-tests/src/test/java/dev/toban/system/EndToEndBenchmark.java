package dev.toban.system;

import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.toban.plumbing.testing.BrokerProbe;
import dev.toban.plumbing.testing.FakeSlack;
import dev.toban.plumbing.testing.KeycloakTokens;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Benchmark, not a test (failsafe does not pick it up by itself): {@code bench/end-to-end.sh}.
 * For N incidents triggered through the Events API at a steady rate, with Slack pacing off:
 * the time until toban.incident.triggered is routed to notify-service's queue, and until the
 * Slack parent message arrives at the fake Slack. Baseline in the same run: a bare RabbitMQ
 * publish-to-consume round trip and an HTTP round trip to incident-service's liveness check.
 */
class EndToEndBenchmark {

    static final int INCIDENTS = Integer.getInteger("toban.bench.incidents", 200);
    static final int RATE = Integer.getInteger("toban.bench.rate", 5);
    /** Unmeasured incidents first, so that JIT compilation and connection pools are warm. */
    static final int WARMUP = Integer.getInteger("toban.bench.warmup", 300);
    static final int WARMUP_RATE = Integer.getInteger("toban.bench.warmup-rate", 10);
    /**
     * Slack channels the incidents are spread over: 1 is the demo service's #svc-news-api; more creates that many
     * services, each with its own channel and integration key, triggered in turn.
     */
    static final int CHANNELS = Integer.getInteger("toban.bench.channels", 1);
    static final List<String> KEYS = new ArrayList<>();
    static final List<String> SLACK_CHANNELS = new ArrayList<>();
    static TobanSystem toban;
    static double triggerSeconds;

    @BeforeAll
    static void start() {
        toban = TobanSystem.start(Map.of(
                "TOBAN_INCIDENT_INGEST_RATE_LIMIT_EVENTS_PER_MINUTE", "600000",
                "TOBAN_INCIDENT_INGEST_RATE_LIMIT_BURST", "10000",
                "TOBAN_SLACK_POST_INTERVAL", "0ms"));
        if (CHANNELS <= 1) {
            KEYS.add(TobanSystem.demoIntegrationKey());
            SLACK_CHANNELS.add("#svc-news-api");
            return;
        }
        String run = UUID.randomUUID().toString().substring(0, 6);
        for (int i = 0; i < CHANNELS; i++) {
            String name = "Bench " + run + " " + i;
            String channel = "#bench-" + run + "-" + i;
            // the team reaches incident-service's directory through oncall-service's events
            String service = await().atMost(Duration.ofSeconds(60)).until(() -> {
                var response = Api.as(KeycloakTokens.ADMIN, toban.incident)
                        .body(Map.of("name", name, "owningTeamId", Demo.TEAM_SERVER,
                                "escalationPolicyId", Demo.POLICY_SERVER, "slackChannel", channel))
                        .post("/api/services");
                return response.statusCode() == 201 ? response.then().extract().<String>path("id") : null;
            }, id -> id != null);
            KEYS.add(Api.as(KeycloakTokens.ADMIN, toban.incident).body(Map.of("name", "bench", "type", "events_v2"))
                    .post("/api/services/" + service + "/integration-keys").then().statusCode(201).extract().path("key"));
            SLACK_CHANNELS.add(channel);
        }
    }

    /** The Slack parents posted so far in the benchmark's channels. */
    static List<FakeSlack.Posted> parents() {
        List<FakeSlack.Posted> all = new ArrayList<>();
        SLACK_CHANNELS.forEach(c -> all.addAll(toban.slack.parents(c)));
        return all;
    }

    @AfterAll
    static void stop() {
        if (toban != null) {
            toban.close();
        }
    }

    @Test
    void triggerToNotifyQueueAndToSlack() throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        String run = "bench-" + UUID.randomUUID().toString().substring(0, 8);
        Map<String, Long> sentAt = new ConcurrentHashMap<>();
        Map<String, Long> routedAt = new ConcurrentHashMap<>();
        Map<String, String> incidentOf = new ConcurrentHashMap<>();
        List<Long> baselineBroker = new ArrayList<>();
        List<Long> baselineHttp = new ArrayList<>();
        Map<String, Long> cpuBefore = new LinkedHashMap<>();
        Map<String, Long> cpuAfter = new LinkedHashMap<>();

        try (BrokerProbe probe = new BrokerProbe("toban_it")) {
            // baseline 1: publish a message and consume it back through the same broker
            String echo = "bench.echo." + run;
            probe.durableQueue(echo, "toban.bench", "echo");
            for (int i = 0; i < 200; i++) {
                long t0 = System.nanoTime();
                probe.publish("toban.bench", "echo", "{}");
                await().pollInterval(Duration.ofMillis(1)).atMost(Duration.ofSeconds(5)).until(() -> probe.take(echo) != null);
                baselineBroker.add(System.nanoTime() - t0);
            }
            probe.deleteQueue(echo);
            // baseline 2: an HTTP round trip to the service
            for (int i = 0; i < 200; i++) {
                long t0 = System.nanoTime();
                http.send(HttpRequest.newBuilder(URI.create(toban.incident.managementUrl() + "/q/health/live")).build(),
                        HttpResponse.BodyHandlers.discarding());
                baselineHttp.add(System.nanoTime() - t0);
            }

            if (WARMUP > 0) {
                int before = parents().size();
                trigger(http, "warmup-" + run, WARMUP, WARMUP_RATE, new ConcurrentHashMap<>());
                await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(100))
                        .until(() -> parents().size() >= before + WARMUP);
            }
            BrokerProbe watcher = new BrokerProbe("toban_it").watch("toban.incident", "toban.incident.triggered");
            toban.services().forEach(service -> cpuBefore.put(service.name(), ServiceStats.cpuMillis(service.pid())));
            long started = System.nanoTime();
            // the watcher stamps each event as it arrives: reading them all once afterwards keeps the sender light
            trigger(http, run, INCIDENTS, RATE, sentAt);
            triggerSeconds = (System.nanoTime() - started) / 1e9;
            await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(20)).until(() -> {
                note(watcher, routedAt, incidentOf);
                return incidentOf.size() == INCIDENTS && parents().stream()
                        .filter(m -> incidentOf.containsValue(m.incidentId())).count() == INCIDENTS;
            });
            toban.services().forEach(service -> cpuAfter.put(service.name(), ServiceStats.cpuMillis(service.pid())));
            watcher.close();
        }
        Map<String, Long> postedByIncident = new HashMap<>();
        for (FakeSlack.Posted m : parents()) {
            if (m.incidentId() != null) {
                postedByIncident.putIfAbsent(m.incidentId(), m.receivedAtMillis);
            }
        }
        Map<String, Long> postedAt = new HashMap<>();
        incidentOf.forEach((summary, incident) -> {
            if (postedByIncident.containsKey(incident)) {
                postedAt.put(summary, postedByIncident.get(incident));
            }
        });
        List<Long> toQueue = new ArrayList<>();
        List<Long> toSlack = new ArrayList<>();
        sentAt.forEach((summary, t) -> {
            if (routedAt.containsKey(summary)) {
                toQueue.add(routedAt.get(summary) - t);
            }
            if (postedAt.containsKey(summary)) {
                toSlack.add(postedAt.get(summary) - t);
            }
        });
        String report = String.format("""
                | figure | p50 | p99 | n |
                |---|---|---|---|
                | baseline: RabbitMQ publish -> consume | %.2f ms | %.2f ms | %d |
                | baseline: HTTP round trip to incident-service | %.2f ms | %.2f ms | %d |
                | trigger -> toban.incident.triggered in notify-service's queue | %d ms | %d ms | %d |
                | trigger -> Slack parent message (pacing off) | %d ms | %d ms | %d |

                %d incidents at %d/s asked (%.1f/s sent, %.0f s) into %d Slack channel(s): %d with a Slack parent.
                """, pct(baselineBroker, 50) / 1e6, pct(baselineBroker, 99) / 1e6, baselineBroker.size(),
                pct(baselineHttp, 50) / 1e6, pct(baselineHttp, 99) / 1e6, baselineHttp.size(),
                pct(toQueue, 50), pct(toQueue, 99), toQueue.size(), pct(toSlack, 50), pct(toSlack, 99), toSlack.size(),
                INCIDENTS, RATE, INCIDENTS / triggerSeconds, triggerSeconds, SLACK_CHANNELS.size(), toSlack.size());
        // issue 20's figures: process CPU per incident over the measured phase (idle work included), RSS after it
        StringBuilder cost = new StringBuilder(String.format("%n| service | CPU per incident (measured phase) | RSS after the run "
                + "| of which anonymous / file-backed | heap committed / non-heap committed |%n|---|---|---|---|---|%n"));
        long total = 0;
        Map<ServiceProcess, String> metricsOf = new LinkedHashMap<>();
        for (ServiceProcess service : toban.services()) {
            long cpu = cpuAfter.get(service.name()) - cpuBefore.get(service.name());
            total += cpu;
            String metrics = http.send(HttpRequest.newBuilder(URI.create(service.managementUrl() + "/q/metrics")).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
            metricsOf.put(service, metrics);
            cost.append(String.format("| %s | %.1f ms | %d MiB | %d / %d MiB | %.0f / %.0f MiB |%n", service.name(),
                    (double) cpu / INCIDENTS, ServiceStats.rss(service.pid()) / 1048576,
                    ServiceStats.status(service.pid(), "RssAnon:") / 1048576,
                    ServiceStats.status(service.pid(), "RssFile:") / 1048576,
                    ServiceStats.sum(metrics, "jvm_memory_committed_bytes{area=\"heap\"") / 1048576,
                    ServiceStats.sum(metrics, "jvm_memory_committed_bytes{area=\"nonheap\"") / 1048576));
        }
        cost.append(String.format("| all four | **%.1f ms** (target <= 15 ms) | (target < 200 MiB each) | | |%n",
                (double) total / INCIDENTS));
        report += cost;
        System.out.println(report);
        Path out = ServiceProcess.repositoryRoot().resolve("system-tests/target/bench/end-to-end.md");
        Files.createDirectories(out.getParent());
        Files.writeString(out, report);
        // the services' own timers (HTTP, sends, REST clients), to see where the time went
        for (Map.Entry<ServiceProcess, String> metrics : metricsOf.entrySet()) {
            Files.writeString(out.resolveSibling("metrics-" + metrics.getKey().port() + ".txt"), metrics.getValue());
        }
    }

    /**
     * Sends {@code count} Events API triggers at {@code rate} a second, noting when each went. Sent without waiting for
     * the previous answer (as many monitors would), so that a slow answer does not slow the load.
     */
    static void trigger(HttpClient http, String run, int count, int rate, Map<String, Long> sentAt)
            throws Exception {
        long interval = TimeUnit.SECONDS.toNanos(1) / rate;
        long start = System.nanoTime();
        List<CompletableFuture<HttpResponse<Void>>> answers = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            LockSupport.parkNanos(Math.max(0, start + i * interval - System.nanoTime())); // pacing the load
            String summary = run + " incident " + i;
            sentAt.put(summary, System.currentTimeMillis());
            answers.add(http.sendAsync(HttpRequest.newBuilder(URI.create(toban.incident.url() + "/v2/enqueue"))
                    .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("""
                            {"routing_key":"%s","event_action":"trigger","dedup_key":"%s-%d",
                             "payload":{"summary":"%s","source":"bench","severity":"critical"}}
                            """.formatted(KEYS.get(i % KEYS.size()), run, i, summary))).build(),
                    HttpResponse.BodyHandlers.discarding()));
        }
        for (CompletableFuture<HttpResponse<Void>> answer : answers) {
            int status = answer.get(30, TimeUnit.SECONDS).statusCode();
            if (status != 202) {
                throw new IllegalStateException("trigger answered " + status);
            }
        }
    }

    /** Records when each triggered event was first seen on the exchange, and its incident id. */
    static void note(BrokerProbe watcher, Map<String, Long> routedAt, Map<String, String> incidentOf) {
        for (JsonNode event : watcher.received("toban.incident.triggered")) {
            String title = event.path("data").path("incident").path("title").asText();
            routedAt.putIfAbsent(title, watcher.arrivalOf(event));
            incidentOf.putIfAbsent(title, event.path("data").path("incident").path("id").asText());
        }
    }

    static long pct(List<Long> values, int percentile) {
        if (values.isEmpty()) {
            return -1;
        }
        List<Long> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        return sorted.get(Math.max(0, (int) Math.ceil(sorted.size() * percentile / 100.0) - 1));
    }
}

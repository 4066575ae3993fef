package dev.toban.system;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * A storm of PagerDuty Events API v2 triggers at a steady rate over a set of dedup keys, sent the
 * way a monitoring tool does: a refused connection, a 429 or a 5xx is retried (honouring
 * Retry-After) until it is accepted, so "nothing lost" means every trigger ends in 202.
 */
final class Storm {

    record Result(int sent, int accepted, int gaveUp, int retries, Map<Integer, Integer> statuses,
                  List<Long> acceptLatenciesMillis, Map<Integer, Long> latencyBySend) {
        /** The k slowest accepts as "#n:ms", n the send's position in the storm: where the tail sits in time. */
        String slowest(int k) {
            return latencyBySend.entrySet().stream().sorted(Map.Entry.<Integer, Long>comparingByValue().reversed())
                    .limit(k).map(e -> "#" + e.getKey() + ":" + e.getValue()).collect(java.util.stream.Collectors.joining(" "));
        }

        /** p99 of the accepts after the first {@code skip} sends (the JVMs' and the first incidents' start). */
        long p99After(int skip) {
            List<Long> sorted = latencyBySend.entrySet().stream().filter(e -> e.getKey() > skip)
                    .map(Map.Entry::getValue).sorted().toList();
            return sorted.isEmpty() ? 0 : sorted.get((int) Math.min(sorted.size() - 1, Math.ceil(sorted.size() * 0.99) - 1));
        }
        long p99Millis() {
            if (acceptLatenciesMillis.isEmpty()) {
                return 0;
            }
            List<Long> sorted = new ArrayList<>(acceptLatenciesMillis);
            Collections.sort(sorted);
            return sorted.get((int) Math.min(sorted.size() - 1, Math.ceil(sorted.size() * 0.99) - 1));
        }
    }

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2))
            .executor(Executors.newFixedThreadPool(16)).build();

    private final String url;
    private final String routingKey;
    private final String run;
    private final int keys;
    /** With groups: every trigger its own dedup key, payload.group one of this many (a storm for alert grouping). */
    private int groups;
    private final AtomicInteger sent = new AtomicInteger();
    private final AtomicInteger accepted = new AtomicInteger();
    private final AtomicInteger gaveUp = new AtomicInteger();
    private final LongAdder retries = new LongAdder();
    private final Map<Integer, Integer> statuses = new ConcurrentHashMap<>();
    private final AtomicInteger unavailableWithRetryAfter = new AtomicInteger();
    private final List<Long> latencies = Collections.synchronizedList(new ArrayList<>());
    private final Map<Integer, Long> latencyBySend = new ConcurrentHashMap<>();
    private final ExecutorService senders = Executors.newFixedThreadPool(32);
    private final List<Future<?>> inFlight = Collections.synchronizedList(new ArrayList<>());
    private Thread pacer;

    private Storm(String url, String routingKey, String run, int keys) {
        this.url = url;
        this.routingKey = routingKey;
        this.run = run;
        this.keys = keys;
    }

    /** Starts sending {@code perSecond} triggers a second over {@code keys} dedup keys for {@code length}. */
    static Storm start(String incidentUrl, String routingKey, String run, int perSecond, int keys, Duration length) {
        Storm storm = new Storm(incidentUrl + "/v2/enqueue", routingKey, run, keys);
        storm.pacer = Thread.ofPlatform().name("storm-" + run).start(() -> storm.pace(1_000_000_000L / perSecond, length));
        return storm;
    }

    /**
     * {@code total} triggers evenly over {@code length}, each with a dedup key of its own and
     * {@code payload.group} one of {@code groups} ({@link #group}): hundreds of distinct alerts, few causes.
     */
    static Storm grouped(String incidentUrl, String routingKey, String run, int total, int groups, Duration length) {
        Storm storm = new Storm(incidentUrl + "/v2/enqueue", routingKey, run, Integer.MAX_VALUE);
        storm.groups = groups;
        storm.pacer = Thread.ofPlatform().name("storm-" + run).start(() -> storm.pace(length.toNanos() / total, length));
        return storm;
    }

    static String group(String run, int n) {
        return run + "-g" + n;
    }

    static String dedupKey(String run, int key) {
        return run + "-" + key;
    }

    private void pace(long intervalNanos, Duration length) {
        long start = System.nanoTime();
        long end = start + length.toNanos();
        for (long i = 0; ; i++) {
            long due = start + i * intervalNanos;
            if (due >= end) {
                return;
            }
            long wait = due - System.nanoTime();
            if (wait > 0) {
                java.util.concurrent.locks.LockSupport.parkNanos(wait);
            }
            int n = sent.incrementAndGet();
            inFlight.add(senders.submit(() -> send(n)));
        }
    }

    private void send(int n) {
        String key = dedupKey(run, groups > 0 ? n : n % keys);
        String body = groups > 0 ? """
                {"routing_key":"%s","event_action":"trigger","dedup_key":"%s",
                 "payload":{"summary":"Storm %s alert %d","source":"pod-%d","severity":"error","group":"%s"}}
                """.formatted(routingKey, key, run, n, n, group(run, n % groups)) : """
                {"routing_key":"%s","event_action":"trigger","dedup_key":"%s",
                 "payload":{"summary":"Storm %s key %d","source":"fault-injection","severity":"error"}}
                """.formatted(routingKey, key, run, n % keys);
        HttpRequest request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build();
        long first = System.nanoTime();
        long giveUpAt = first + TimeUnit.MINUTES.toNanos(5);
        long backoff = 100;
        while (true) {
            long attempt = System.nanoTime();
            int status;
            String retryAfter = null;
            try {
                HttpResponse<Void> response = HTTP.send(request, HttpResponse.BodyHandlers.discarding());
                status = response.statusCode();
                retryAfter = response.headers().firstValue("Retry-After").orElse(null);
            } catch (IOException e) {
                status = -1; // connection refused or reset: the service is down or restarting
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            statuses.merge(status, 1, Integer::sum);
            if (status == 503 && retryAfter != null) {
                unavailableWithRetryAfter.incrementAndGet();
            }
            if (status == 202) {
                accepted.incrementAndGet();
                long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - attempt);
                latencies.add(millis);
                latencyBySend.put(n, millis);
                return;
            }
            if (status == 400 || System.nanoTime() > giveUpAt) {
                gaveUp.incrementAndGet();
                return;
            }
            retries.increment();
            long pause = retryAfter == null ? backoff : Math.min(5000, Long.parseLong(retryAfter.trim()) * 1000);
            backoff = Math.min(2000, backoff * 2);
            // the sender's own backoff between retries, as a monitoring tool does
            java.util.concurrent.locks.LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(pause));
        }
    }

    /** Waits until the storm has ended and every trigger was answered for good. */
    Result finish() {
        try {
            pacer.join();
            for (Future<?> f : new ArrayList<>(inFlight)) {
                f.get(6, TimeUnit.MINUTES);
            }
        } catch (Exception e) {
            throw new IllegalStateException("the storm did not finish", e);
        } finally {
            senders.shutdown();
        }
        return new Result(sent.get(), accepted.get(), gaveUp.get(), retries.intValue(), Map.copyOf(statuses),
                List.copyOf(latencies), Map.copyOf(latencyBySend));
    }

    /** How many 503 answers carried Retry-After. */
    int unavailableWithRetryAfter() {
        return unavailableWithRetryAfter.get();
    }

    int sentSoFar() {
        return sent.get();
    }

    /** Statuses seen so far (for checks while a fault lasts). */
    Map<Integer, Integer> statusesSoFar() {
        return Map.copyOf(statuses);
    }
}

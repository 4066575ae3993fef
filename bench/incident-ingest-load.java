// Load generator for bench/incident-ingest.sh (run with the packaged service's libraries on the class path:
// java -cp "incident-service/target/quarkus-app/lib/main/*" bench/incident-ingest-load.java ...).
// Phases: warm-up and closed-loop maximum throughput (skipped with --closed-loop false when wrk measures it);
// open-loop fixed rate with accept latency measured from
// the intended send time (no coordinated omission); single new triggers timed until their
// toban.incident.triggered event arrives on the broker (the outbox exit).

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.DeliverCallback;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

public class IncidentIngestLoad {

    static final int DEDUP_KEYS = 100;

    public static void main(String[] args) throws Exception {
        Map<String, String> opt = new java.util.HashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            opt.put(args[i].replaceFirst("^--", ""), args[i + 1]);
        }
        String url = opt.getOrDefault("url", "http://localhost:18082") + "/v2/enqueue";
        List<String> keys = Files.readAllLines(Path.of(opt.get("keys"))).stream().filter(s -> !s.isBlank()).toList();
        int seconds = Integer.parseInt(opt.getOrDefault("seconds", "20"));
        int concurrency = Integer.parseInt(opt.getOrDefault("concurrency", "32"));
        int rate = Integer.parseInt(opt.getOrDefault("rate", "2000"));
        int pages = Integer.parseInt(opt.getOrDefault("pages", "200"));

        byte[][] bodies = new byte[DEDUP_KEYS][];
        String run = UUID.randomUUID().toString().substring(0, 8);
        for (int d = 0; d < DEDUP_KEYS; d++) {
            bodies[d] = trigger(keys.get(d % keys.size()), "bench-" + run + "-" + d, "Bench alert " + d);
        }
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .executor(Executors.newFixedThreadPool(4)).connectTimeout(Duration.ofSeconds(5)).build();

        boolean closed = !"false".equals(opt.get("closed-loop"));
        if (closed) {
            closedLoop(http, url, bodies, concurrency, 5, null); // warm-up: JIT, pools, the 100 incidents
            Result max = closedLoop(http, url, bodies, concurrency, seconds, "max");
            System.out.printf("RESULT max_events_per_s=%.0f max_p50_ms=%.2f max_p99_ms=%.2f max_errors=%d%n",
                    max.rate, max.p50, max.p99, max.errors);
        }
        Result fixed = rate > 0 ? openLoop(http, url, bodies, rate, seconds) : null;
        Result page = pages > 0 ? pageLatency(http, url, keys.get(0), opt, pages) : null;

        if (fixed != null) {
            System.out.printf("RESULT rate_target=%d rate_achieved=%.0f rate_p50_ms=%.2f rate_p99_ms=%.2f rate_errors=%d%n",
                    rate, fixed.rate, fixed.p50, fixed.p99, fixed.errors);
        }
        if (page != null) {
            System.out.printf("RESULT page_count=%d page_p50_ms=%.2f page_p99_ms=%.2f page_missing=%d%n",
                    page.count, page.p50, page.p99, page.errors);
        }
        System.exit(0);
    }

    record Result(double rate, double p50, double p99, long errors, int count) {
    }

    static byte[] trigger(String routingKey, String dedupKey, String summary) {
        return ("{\"routing_key\":\"" + routingKey + "\",\"event_action\":\"trigger\",\"dedup_key\":\"" + dedupKey
                + "\",\"payload\":{\"summary\":\"" + summary + "\",\"source\":\"bench-host\",\"severity\":\"error\","
                + "\"component\":\"api\"},\"client\":\"bench\"}").getBytes(StandardCharsets.UTF_8);
    }

    static HttpRequest request(String url, byte[] body) {
        return HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
    }

    /** Keeps {@code concurrency} requests in flight for {@code seconds}. */
    static Result closedLoop(HttpClient http, String url, byte[][] bodies, int concurrency, int seconds, String name)
            throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        long[] latencies = new long[Math.max(1, seconds) * 50_000];
        AtomicInteger n = new AtomicInteger();
        AtomicLong errors = new AtomicLong();
        AtomicInteger next = new AtomicInteger();
        Semaphore inFlight = new Semaphore(concurrency);
        long started = System.nanoTime();
        while (System.nanoTime() < end) {
            inFlight.acquire();
            long sent = System.nanoTime();
            byte[] body = bodies[Math.floorMod(next.getAndIncrement(), bodies.length)];
            http.sendAsync(request(url, body), HttpResponse.BodyHandlers.discarding()).whenComplete((r, e) -> {
                long took = System.nanoTime() - sent;
                if (e != null || r.statusCode() != 202) {
                    errors.incrementAndGet();
                }
                int i = n.getAndIncrement();
                if (i < latencies.length) {
                    latencies[i] = took;
                }
                inFlight.release();
            });
        }
        inFlight.acquire(concurrency);
        inFlight.release(concurrency);
        double elapsed = (System.nanoTime() - started) / 1e9;
        int count = Math.min(n.get(), latencies.length);
        return summarize(latencies, count, n.get() / elapsed, errors.get());
    }

    /** Sends at a fixed rate; latency counts from when each request should have been sent. */
    static Result openLoop(HttpClient http, String url, byte[][] bodies, int rate, int seconds) throws InterruptedException {
        int total = rate * seconds;
        long[] latencies = new long[total];
        AtomicInteger done = new AtomicInteger();
        AtomicLong errors = new AtomicLong();
        CountDownLatch finished = new CountDownLatch(total);
        long interval = 1_000_000_000L / rate;
        long start = System.nanoTime() + 10_000_000L;
        // at most 512 requests in flight: beyond that the service is not keeping up, and the request
        // counts as failed rather than opening ever more connections
        Semaphore outstanding = new Semaphore(512);
        for (int i = 0; i < total; i++) {
            long intended = start + i * interval;
            long wait = intended - System.nanoTime();
            if (wait > 0) {
                TimeUnit.NANOSECONDS.sleep(wait);
            }
            if (!outstanding.tryAcquire()) {
                latencies[i] = System.nanoTime() - intended;
                errors.incrementAndGet();
                done.incrementAndGet();
                finished.countDown();
                continue;
            }
            int index = i;
            http.sendAsync(request(url, bodies[i % bodies.length]), HttpResponse.BodyHandlers.discarding())
                    .whenComplete((r, e) -> {
                        latencies[index] = System.nanoTime() - intended;
                        if (e != null || r.statusCode() != 202) {
                            errors.incrementAndGet();
                        }
                        outstanding.release();
                        done.incrementAndGet();
                        finished.countDown();
                    });
        }
        finished.await(60, TimeUnit.SECONDS);
        if ("true".equals(System.getProperty("bench.perSecond"))) {
            for (int sec = 0; sec < seconds; sec++) {
                long worst = 0;
                for (int i = sec * rate; i < Math.min(total, (sec + 1) * rate); i++) {
                    worst = Math.max(worst, latencies[i]);
                }
                System.out.printf("second %d: worst %.1f ms%n", sec, worst / 1e6);
            }
        }
        double elapsed = (System.nanoTime() - start) / 1e9;
        return summarize(latencies, done.get(), done.get() / elapsed, errors.get() + (total - done.get()));
    }

    /** New dedup keys one at a time: from the POST until toban.incident.triggered is on the broker. */
    static Result pageLatency(HttpClient http, String url, String routingKey, Map<String, String> opt, int pages)
            throws Exception {
        ConnectionFactory factory = new ConnectionFactory();
        factory.setHost(opt.getOrDefault("amqp-host", "localhost"));
        factory.setUsername(opt.getOrDefault("amqp-user", "guest"));
        factory.setPassword(opt.getOrDefault("amqp-password", "guest"));
        factory.setVirtualHost(opt.get("vhost"));
        Pattern dedup = Pattern.compile("\"dedupKey\":\"(page-[^\"]+)\"");
        Map<String, Long> sentAt = new ConcurrentHashMap<>();
        Map<String, Long> took = new ConcurrentHashMap<>();
        try (Connection connection = factory.newConnection("incident-bench"); Channel channel = connection.createChannel()) {
            channel.exchangeDeclare("toban.incident", "topic", true);
            String queue = channel.queueDeclare("", false, true, true, null).getQueue();
            channel.queueBind(queue, "toban.incident", "toban.incident.triggered");
            DeliverCallback onEvent = (tag, delivery) -> {
                long now = System.nanoTime();
                Matcher m = dedup.matcher(new String(delivery.getBody(), StandardCharsets.UTF_8));
                if (m.find()) {
                    Long sent = sentAt.get(m.group(1));
                    if (sent != null) {
                        took.putIfAbsent(m.group(1), now - sent);
                    }
                }
            };
            channel.basicConsume(queue, true, onEvent, tag -> { });
            String run = UUID.randomUUID().toString().substring(0, 8);
            for (int i = 0; i < pages; i++) {
                String key = "page-" + run + "-" + i;
                sentAt.put(key, System.nanoTime());
                http.send(request(url, trigger(routingKey, key, "Page " + i)), HttpResponse.BodyHandlers.discarding());
                TimeUnit.MILLISECONDS.sleep(50);
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (took.size() < pages && System.nanoTime() < deadline) {
                TimeUnit.MILLISECONDS.sleep(100);
            }
        }
        long[] values = took.values().stream().mapToLong(Long::longValue).toArray();
        return summarize(values, values.length, 0, pages - values.length);
    }

    static Result summarize(long[] latencies, int count, double rate, long errors) {
        long[] sorted = Arrays.copyOf(latencies, count);
        Arrays.sort(sorted);
        return new Result(rate, percentile(sorted, 0.50), percentile(sorted, 0.99), errors, count);
    }

    static double percentile(long[] sorted, double p) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        int index = (int) Math.ceil(p * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, index))] / 1e6;
    }
}

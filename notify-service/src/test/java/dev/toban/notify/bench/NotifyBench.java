package dev.toban.notify.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.DeliverCallback;
import dev.toban.notify.testing.Events;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Driver of bench/notify.sh (not a test). Publishes toban.incident.triggered events to the broker
 * and reads from the fake Slack when each parent message arrived; the baseline is the broker round
 * trip of a bare publish and consume, measured in the same run on the same broker.
 *
 * <p>Arguments: fakeSlackBaseUrl rabbitHost rabbitPort user password vhost count intervalMillis channels
 */
public final class NotifyBench {

    private NotifyBench() {
    }

    public static void main(String[] args) throws Exception {
        String fake = args[0];
        int count = Integer.parseInt(args[6]);
        long intervalMillis = Long.parseLong(args[7]);
        int channels = Integer.parseInt(args[8]);
        ConnectionFactory factory = new ConnectionFactory();
        factory.setHost(args[1]);
        factory.setPort(Integer.parseInt(args[2]));
        factory.setUsername(args[3]);
        factory.setPassword(args[4]);
        factory.setVirtualHost(args[5]);
        try (Connection connection = factory.newConnection("notify-bench")) {
            Stats baseline = baseline(connection, count);
            // unmeasured: the service's JIT and connection pools warm up
            run(connection, fake, count, 0, channels, "warmup");
            Stats paced = run(connection, fake, count, intervalMillis, channels, "paced");
            Stats burst = run(connection, fake, count, 0, channels, "burst");
            System.out.printf("%nbaseline  broker round trip (publish -> consume), %d messages: %s%n", count, baseline);
            System.out.printf("notify    trigger -> Slack parent, %d incidents, one every %d ms, %d channels: %s%n",
                    count, intervalMillis, channels, paced);
            System.out.printf("notify    trigger -> Slack parent, %d incidents at once, %d channels: %s%n",
                    count, channels, burst);
            System.out.printf("ratio     notify p50 / baseline p50 = %.1f, notify p99 / baseline p99 = %.1f (paced run)%n",
                    paced.p50 / Math.max(0.001, baseline.p50), paced.p99 / Math.max(0.001, baseline.p99));
            System.out.printf("RESULT baseline_p50_ms=%.2f baseline_p99_ms=%.2f paced_p50_ms=%.1f paced_p99_ms=%.1f "
                            + "burst_p50_ms=%.1f burst_p99_ms=%.1f burst_all_ms=%.0f%n",
                    baseline.p50, baseline.p99, paced.p50, paced.p99, burst.p50, burst.p99, burst.max);
        }
    }

    /** p50/p99/max in milliseconds. */
    record Stats(double p50, double p95, double p99, double max) {
        static Stats of(List<Double> values) {
            List<Double> sorted = new ArrayList<>(values);
            Collections.sort(sorted);
            return new Stats(pct(sorted, 50), pct(sorted, 95), pct(sorted, 99), sorted.get(sorted.size() - 1));
        }

        private static double pct(List<Double> sorted, int p) {
            int index = (int) Math.ceil(p / 100.0 * sorted.size()) - 1;
            return sorted.get(Math.max(0, Math.min(sorted.size() - 1, index)));
        }

        @Override
        public String toString() {
            return String.format("p50 %.1f ms, p95 %.1f ms, p99 %.1f ms, max %.1f ms", p50, p95, p99, max);
        }
    }

    /** Publish one persistent message, wait until it is consumed; repeated. */
    static Stats baseline(Connection connection, int count) throws Exception {
        try (Channel channel = connection.createChannel()) {
            String queue = channel.queueDeclare("", false, true, true, null).getQueue();
            BlockingQueue<Long> arrivals = new ArrayBlockingQueue<>(1);
            DeliverCallback onMessage = (tag, delivery) -> arrivals.offer(System.nanoTime());
            channel.basicConsume(queue, true, onMessage, tag -> { });
            List<Double> samples = new ArrayList<>();
            byte[] body = Events.triggered(UUID.randomUUID().toString(),
                    Events.incident(UUID.randomUUID(), 1, "#bench", "triggered", 1)).getBytes(StandardCharsets.UTF_8);
            for (int i = 0; i < count + 20; i++) {
                long start = System.nanoTime();
                channel.basicPublish("", queue, new AMQP.BasicProperties.Builder().deliveryMode(2).build(), body);
                Long arrived = arrivals.poll(10, TimeUnit.SECONDS);
                if (arrived == null) {
                    throw new IllegalStateException("baseline message lost");
                }
                if (i >= 20) { // warm-up
                    samples.add((arrived - start) / 1e6);
                }
            }
            return Stats.of(samples);
        }
    }

    static Stats run(Connection connection, String fake, int count, long intervalMillis, int channels, String label)
            throws Exception {
        Map<String, Long> publishedAt = new HashMap<>();
        try (Channel channel = connection.createChannel()) {
            for (int i = 0; i < count; i++) {
                UUID id = UUID.randomUUID();
                String body = Events.triggered(UUID.randomUUID().toString(),
                        Events.incident(id, 10_000 + i, "#bench-" + label + "-" + (i % channels), "triggered", 1));
                publishedAt.put(id.toString(), System.currentTimeMillis());
                channel.basicPublish("toban.incident", "toban.incident.triggered", new AMQP.BasicProperties.Builder()
                        .contentType("application/cloudevents+json").deliveryMode(2).build(),
                        body.getBytes(StandardCharsets.UTF_8));
                if (intervalMillis > 0) {
                    LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(intervalMillis));
                }
            }
        }
        HttpClient http = HttpClient.newHttpClient();
        long deadline = System.currentTimeMillis() + 180_000;
        Map<String, Long> arrivedAt = new HashMap<>();
        while (arrivedAt.size() < count) {
            if (System.currentTimeMillis() > deadline) {
                throw new IllegalStateException(label + ": only " + arrivedAt.size() + " of " + count + " parents arrived");
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(200));
            String json = http.send(HttpRequest.newBuilder(URI.create(fake + "/_fake/messages")).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
            for (JsonNode m : Events.JSON.readTree(json)) {
                String incident = m.path("metadata").path("event_payload").path("incident_id").asText(null);
                if (incident != null && publishedAt.containsKey(incident) && !m.has("thread_ts")) {
                    arrivedAt.putIfAbsent(incident, m.path("receivedAtMillis").asLong());
                }
            }
        }
        List<Double> latencies = new ArrayList<>();
        publishedAt.forEach((id, at) -> latencies.add((double) (arrivedAt.get(id) - at)));
        return Stats.of(latencies);
    }
}

package dev.toban.oncall.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Sends GET requests to one URL with a bearer token: a warm-up, then {@code requests} timed requests
 * from {@code concurrency} clients; prints p50/p90/p99/max latency in milliseconds, the throughput
 * and the response size. Run by bench/oncall.sh; not a test.
 *
 * <p>Arguments: url token warmup requests concurrency
 */
public final class NowLoadGenerator {

    private NowLoadGenerator() {
    }

    public static void main(String[] args) throws Exception {
        String url = args[0];
        String token = args[1];
        int warmup = Integer.parseInt(args[2]);
        int requests = Integer.parseInt(args[3]);
        int concurrency = Integer.parseInt(args[4]);
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5)).build();
        HttpRequest request = HttpRequest.newBuilder(URI.create(url)).header("Authorization", "Bearer " + token)
                .timeout(Duration.ofSeconds(30)).GET().build();
        long bytes = 0;
        for (int i = 0; i < warmup; i++) {
            HttpResponse<java.io.InputStream> r = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
            bytes = drain(r.body());
            if (r.statusCode() != 200) {
                throw new IllegalStateException("HTTP " + r.statusCode());
            }
        }
        List<Long> latencies = Collections.synchronizedList(new ArrayList<>());
        ExecutorService pool = Executors.newFixedThreadPool(concurrency);
        long started = System.nanoTime();
        List<Future<?>> futures = new ArrayList<>();
        for (int c = 0; c < concurrency; c++) {
            int share = requests / concurrency;
            futures.add(pool.submit(() -> {
                for (int i = 0; i < share; i++) {
                    long t0 = System.nanoTime();
                    HttpResponse<java.io.InputStream> r = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
                    drain(r.body());
                    latencies.add(System.nanoTime() - t0);
                    if (r.statusCode() != 200) {
                        throw new IllegalStateException("HTTP " + r.statusCode());
                    }
                }
                return null;
            }));
        }
        for (Future<?> f : futures) {
            f.get();
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        pool.shutdown();
        List<Long> sorted = new ArrayList<>(latencies);
        Collections.sort(sorted);
        System.out.printf("requests=%d%n", sorted.size());
        System.out.printf("response_bytes=%d%n", bytes);
        System.out.printf("p50_ms=%.2f%n", percentile(sorted, 0.50));
        System.out.printf("p90_ms=%.2f%n", percentile(sorted, 0.90));
        System.out.printf("p99_ms=%.2f%n", percentile(sorted, 0.99));
        System.out.printf("max_ms=%.2f%n", sorted.get(sorted.size() - 1) / 1e6);
        System.out.printf("throughput_rps=%.1f%n", sorted.size() / seconds);
    }

    /** Reads the whole body (the latency includes the transfer) without keeping it. */
    static long drain(java.io.InputStream in) throws java.io.IOException {
        byte[] buffer = new byte[64 * 1024];
        long total = 0;
        try (in) {
            for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                total += n;
            }
        }
        return total;
    }

    static double percentile(List<Long> sorted, double p) {
        int index = (int) Math.ceil(p * sorted.size()) - 1;
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, index))) / 1e6;
    }
}

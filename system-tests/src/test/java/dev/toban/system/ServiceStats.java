package dev.toban.system;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/** Heap, RSS and outbox depth of a running service, from its /q/metrics and /proc. */
record ServiceStats(String service, long heapUsedBytes, long rssBytes, long outboxPending) {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    static ServiceStats of(String name, ServiceProcess service) {
        String metrics = "";
        try {
            metrics = HTTP.send(HttpRequest.newBuilder(URI.create(service.managementUrl() + "/q/metrics")).timeout(Duration.ofSeconds(5))
                    .build(), HttpResponse.BodyHandlers.ofString()).body();
        } catch (IOException e) {
            // the service is down: report zeros
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return new ServiceStats(name, (long) sum(metrics, "jvm_memory_used_bytes{area=\"heap\""),
                rss(service.pid()), (long) sum(metrics, "toban_outbox_pending"));
    }

    /** Sum of every sample of a metric whose line starts with {@code prefix}. */
    static double sum(String metrics, String prefix) {
        double total = 0;
        for (String line : metrics.split("\n")) {
            if (line.startsWith(prefix)) {
                total += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        return total;
    }

    static long rss(long pid) {
        return status(pid, "VmRSS:");
    }

    /** A size line of /proc/PID/status in bytes, e.g. {@code RssAnon:} (heap, stacks, malloc) or {@code RssFile:}. */
    static long status(long pid, String field) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
                if (line.startsWith(field)) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
                }
            }
        } catch (IOException e) {
            return 0;
        }
        return 0;
    }

    /** The process's CPU time so far (user + system), from /proc/PID/stat; clock ticks are 1/100 s on Linux. */
    static long cpuMillis(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            // the command name may hold spaces: fields are counted after its closing parenthesis
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return (Long.parseLong(f[11]) + Long.parseLong(f[12])) * 10;
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }

    static String mb(long bytes) {
        return String.format("%.0f MB", bytes / 1048576.0);
    }
}

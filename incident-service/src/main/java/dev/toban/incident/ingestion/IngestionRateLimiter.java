package dev.toban.incident.ingestion;

import dev.toban.incident.config.IncidentConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A token bucket per integration key, in this instance's memory. With N replicas a key may send up to N
 * times the limit; that is fine for a flood guard and needs no shared state on the hot path.
 */
@ApplicationScoped
public class IngestionRateLimiter {

    private final double perNano;
    private final double capacity;
    private final ConcurrentHashMap<UUID, Bucket> buckets = new ConcurrentHashMap<>();

    @Inject
    public IngestionRateLimiter(IncidentConfig config) {
        this(config.ingest().rateLimit().eventsPerMinute(), config.ingest().rateLimit().burst());
    }

    IngestionRateLimiter(int eventsPerMinute, int burst) {
        this.perNano = eventsPerMinute / 60e9;
        this.capacity = Math.max(1, burst);
    }

    /** Takes one token; false when the key is over its limit. */
    public boolean tryAcquire(UUID key) {
        return buckets.computeIfAbsent(key, k -> new Bucket(capacity, System.nanoTime())).take(perNano, capacity);
    }

    /** Seconds until one token is back: the {@code Retry-After} of a 429. */
    public long retryAfterSeconds() {
        return perNano <= 0 ? 60 : Math.max(1, (long) Math.ceil(1 / (perNano * 1e9)));
    }

    private static final class Bucket {
        private double tokens;
        private long last;

        Bucket(double tokens, long now) {
            this.tokens = tokens;
            this.last = now;
        }

        synchronized boolean take(double perNano, double capacity) {
            long now = System.nanoTime();
            tokens = Math.min(capacity, tokens + (now - last) * perNano);
            last = now;
            if (tokens >= 1) {
                tokens -= 1;
                return true;
            }
            return false;
        }
    }
}

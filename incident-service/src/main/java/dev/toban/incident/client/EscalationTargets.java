package dev.toban.incident.client;

import dev.toban.incident.config.IncidentConfig;
import dev.toban.incident.model.PolicyTargetsCache;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.jboss.logging.Logger;

/**
 * Asks oncall-service whom to page, keeps each live answer as the fallback, and never throws. A live answer is
 * also kept in memory until its {@code validUntil} (the next handoff or override edge, said by oncall-service), at
 * most {@code toban.incident.oncall.targets-cache-max}, and until an on-call change event arrives
 * ({@link #invalidateAll}): an alert storm asks once per level, not once per incident.
 */
@ApplicationScoped
public class EscalationTargets {

    private static final Logger LOG = Logger.getLogger(EscalationTargets.class);

    private final OnCallClient client;
    private final PolicyTargetsCache cache;
    private final Duration memoryMax;
    /** Logs the moment oncall-service stops or starts answering, not every call in between. */
    private final AtomicBoolean reachable = new AtomicBoolean(true);

    private record Key(UUID policyId, int level) {
    }

    /** A live answer, usable before {@code expires} while no change event came after it was asked ({@code generation}). */
    private record Remembered(PolicyTargets answer, Instant expires, long generation) {
    }

    private final Map<Key, Remembered> remembered = new ConcurrentHashMap<>();
    /**
     * Moves on with every change event, so an answer asked for before an event and arriving after it (already
     * stale) is never used, whatever the order of the map's writes.
     */
    private final AtomicLong generation = new AtomicLong();
    private final Counter hits;
    private final Counter misses;

    public EscalationTargets(OnCallClient client, PolicyTargetsCache cache, IncidentConfig config,
                             MeterRegistry registry) {
        this.client = client;
        this.cache = cache;
        this.memoryMax = config.oncall().targetsCacheMax();
        // hit: answered from memory; miss: oncall-service was asked (or its fallback answered)
        this.hits = Counter.builder("toban.incident.escalation.targets.lookups").tag("cache", "hit")
                .description("Whom-to-page lookups, answered from memory (hit) or by asking oncall-service (miss)")
                .register(registry);
        this.misses = Counter.builder("toban.incident.escalation.targets.lookups").tag("cache", "miss")
                .description("Whom-to-page lookups, answered from memory (hit) or by asking oncall-service (miss)")
                .register(registry);
    }

    /**
     * Someone's on-call may have changed (a schedule, override, policy, person or team event): forget every
     * remembered answer, so the next lookups ask oncall-service.
     */
    public void invalidateAll() {
        generation.incrementAndGet();
        remembered.clear();
    }

    /** The outcome of one lookup. */
    public sealed interface Lookup permits Found, Rejected, Unavailable {
    }

    /** An answer; {@code answer.cachedAt()} is set when it is the cached fallback. */
    public record Found(PolicyTargets answer) implements Lookup {
    }

    /** oncall-service said no (unknown policy, level out of range). */
    public record Rejected(int status, String reason) implements Lookup {
    }

    /** Neither oncall-service nor the cache could answer. */
    public record Unavailable(String reason) implements Lookup {
    }

    /**
     * The answer kept in memory for this policy and level, if it is still good; never asks oncall-service, so it may be
     * called inside a transaction. Counted as a hit when it answers.
     */
    public Optional<PolicyTargets> remembered(UUID policyId, int level) {
        if (policyId == null) {
            return Optional.empty();
        }
        Remembered known = remembered.get(new Key(policyId, level));
        if (known != null && known.generation() == generation.get() && Instant.now().isBefore(known.expires())) {
            hits.increment();
            return Optional.of(known.answer());
        }
        return Optional.empty();
    }

    /** Must not be called inside a transaction: it may wait for oncall-service for a few seconds. */
    public Lookup lookup(UUID policyId, int level) {
        if (policyId == null) {
            return new Rejected(0, "the service has no escalation policy");
        }
        Key key = new Key(policyId, level);
        long asked = generation.get();
        Instant now = Instant.now();
        Optional<PolicyTargets> known = remembered(policyId, level);
        if (known.isPresent()) {
            return new Found(known.get());
        }
        misses.increment();
        try {
            PolicyTargets answer = client.targets(policyId, level, OnCallClient.now());
            if (answer == null) {
                return new Unavailable("oncall-service sent an empty answer");
            }
            if (answer.cachedAt() != null) {
                unreachable("answered from the cache of " + answer.cachedAt());
            } else {
                if (reachable.compareAndSet(false, true)) {
                    LOG.info("oncall-service answers again");
                }
                remember(key, answer, now, asked);
                try {
                    cache.store(policyId, level, answer);
                } catch (RuntimeException e) {
                    LOG.warnf("Could not cache the answer for policy %s level %d: %s", policyId, level, e.toString());
                }
            }
            return new Found(answer);
        } catch (OnCallRejectedException e) {
            return new Rejected(e.status(), e.getMessage());
        } catch (RuntimeException e) {
            unreachable("no cached answer for policy " + policyId + " level " + level);
            return new Unavailable(rootMessage(e));
        }
    }

    /**
     * Keeps a live answer until the earlier of its {@code validUntil} and {@code asked + targets-cache-max}; one
     * without {@code validUntil} (an older oncall-service) is not kept. {@code asked} is when the question left,
     * so time spent waiting for the answer counts.
     */
    private void remember(Key key, PolicyTargets answer, Instant asked, long askedGeneration) {
        if (answer.validUntil() == null || memoryMax.isZero() || memoryMax.isNegative()) {
            return;
        }
        Instant capped = asked.plus(memoryMax);
        Instant expires = answer.validUntil().isBefore(capped) ? answer.validUntil() : capped;
        if (Instant.now().isBefore(expires)) {
            remembered.put(key, new Remembered(answer, expires, askedGeneration));
        }
    }

    private void unreachable(String what) {
        if (reachable.compareAndSet(true, false)) {
            LOG.warnf("oncall-service is not answering; using the documented fallback (%s)", what);
        }
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t && !(t instanceof OnCallUnavailableException)) {
            t = t.getCause();
        }
        return t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
    }
}

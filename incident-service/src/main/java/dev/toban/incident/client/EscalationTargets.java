package dev.toban.incident.client;

import dev.toban.incident.model.PolicyTargetsCache;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jboss.logging.Logger;

/** Asks oncall-service whom to page, keeps each live answer as the fallback, and never throws. */
@ApplicationScoped
public class EscalationTargets {

    private static final Logger LOG = Logger.getLogger(EscalationTargets.class);

    private final OnCallClient client;
    private final PolicyTargetsCache cache;
    /** Logs the moment oncall-service stops or starts answering, not every call in between. */
    private final AtomicBoolean reachable = new AtomicBoolean(true);

    public EscalationTargets(OnCallClient client, PolicyTargetsCache cache) {
        this.client = client;
        this.cache = cache;
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

    /** Must not be called inside a transaction: it may wait for oncall-service for a few seconds. */
    public Lookup lookup(UUID policyId, int level) {
        if (policyId == null) {
            return new Rejected(0, "the service has no escalation policy");
        }
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

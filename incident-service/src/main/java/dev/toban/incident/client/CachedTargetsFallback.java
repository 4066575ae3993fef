package dev.toban.incident.client;

import dev.toban.incident.model.PolicyTargetsCache;
import java.util.UUID;
import org.eclipse.microprofile.faulttolerance.ExecutionContext;
import org.eclipse.microprofile.faulttolerance.FallbackHandler;
import org.jboss.logging.Logger;

/** The documented fallback: the last answer for this policy and level, marked with when it was fetched. */
public class CachedTargetsFallback implements FallbackHandler<PolicyTargets> {

    private static final Logger LOG = Logger.getLogger(CachedTargetsFallback.class);

    private final PolicyTargetsCache cache;

    public CachedTargetsFallback(PolicyTargetsCache cache) {
        this.cache = cache;
    }

    @Override
    public PolicyTargets handle(ExecutionContext context) {
        UUID policyId = (UUID) context.getParameters()[0];
        int level = (Integer) context.getParameters()[1];
        Throwable failure = context.getFailure();
        LOG.debugf("oncall-service did not answer for policy %s level %d (%s); trying the cached answer",
                policyId, level, failure == null ? "?" : failure.toString());
        return cache.find(policyId, level)
                .orElseThrow(() -> new OnCallUnavailableException("oncall-service is unreachable ("
                        + (failure == null ? "?" : failure.getClass().getSimpleName())
                        + ") and no answer for this policy and level is cached", failure));
    }
}

package dev.toban.incident.client;

import dev.toban.incident.model.PolicyTargetsCache;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.eclipse.microprofile.faulttolerance.CircuitBreaker;
import org.eclipse.microprofile.faulttolerance.Fallback;
import org.eclipse.microprofile.faulttolerance.Retry;
import org.eclipse.microprofile.faulttolerance.Timeout;
import org.eclipse.microprofile.faulttolerance.exceptions.CircuitBreakerOpenException;
import org.eclipse.microprofile.rest.client.inject.RestClient;
import org.jboss.logging.Logger;

/**
 * Calls to oncall-service. Each attempt times out after 2 s; failures are retried; a circuit breaker
 * (one per operation) stops hammering a service that is down. Fallbacks (docs/architecture.md): for
 * whom to page, the last answer cached for that policy and level; for a team or policy lookup none,
 * the caller refuses what it cannot check ({@link OnCallUnavailableException}). Never call these inside
 * a database transaction.
 */
@ApplicationScoped
public class OnCallClient {

    private static final Logger LOG = Logger.getLogger(OnCallClient.class);

    private final OnCallApi api;
    private final PolicyTargetsCache cache;

    public OnCallClient(@RestClient OnCallApi api, PolicyTargetsCache cache) {
        this.api = api;
        this.cache = cache;
    }

    /** The escalation policies to choose from, and whether oncall-service gave them ({@code live}) or the cache. */
    public record Policies(List<OnCallReference> policies, boolean live) {
    }

    /**
     * The active escalation policies, for the catalog's pages. Fallback: the policies this service has paged
     * through (their names as oncall-service last gave them), marked not live.
     */
    @Timeout(2000)
    @Retry(maxRetries = 1, delay = 200, jitter = 100, abortOn = CircuitBreakerOpenException.class)
    @CircuitBreaker(requestVolumeThreshold = 4, failureRatio = 0.5, delay = 10_000, successThreshold = 1)
    @Fallback(fallbackMethod = "knownPolicies")
    public Policies policies() {
        List<OnCallReference> answer = api.policies();
        if (answer == null) {
            throw new OnCallUnavailableException("oncall-service sent an empty answer");
        }
        return new Policies(answer.stream().filter(p -> p.id() != null && !p.archived()).toList(), true);
    }

    Policies knownPolicies(Throwable cause) {
        LOG.debugf("oncall-service cannot list escalation policies (%s); offering the ones known here", cause);
        return new Policies(cache.knownPolicies(), false);
    }

    /** Who is on call now, and whether oncall-service said so just now ({@code live}) or earlier ({@code asOf}). */
    public record OnCallNowAnswer(List<OnCallNow> schedules, boolean live, Instant asOf) {
    }

    /** The last live answer to {@link #onCallNow}, for its fallback. */
    private final java.util.concurrent.atomic.AtomicReference<OnCallNowAnswer> lastOnCallNow =
            new java.util.concurrent.atomic.AtomicReference<>();

    /**
     * Who is on call now in every schedule. Fallback: the last answer this instance got, marked not live with its
     * time; without one, {@link OnCallUnavailableException}.
     */
    @Timeout(2000)
    @Retry(maxRetries = 1, delay = 200, jitter = 100, abortOn = CircuitBreakerOpenException.class)
    @CircuitBreaker(requestVolumeThreshold = 4, failureRatio = 0.5, delay = 10_000, successThreshold = 1)
    @Fallback(fallbackMethod = "lastKnownOnCall")
    public OnCallNowAnswer onCallNow() {
        List<OnCallNow> answer = api.now();
        if (answer == null) {
            throw new OnCallUnavailableException("oncall-service sent an empty answer");
        }
        OnCallNowAnswer fresh = new OnCallNowAnswer(List.copyOf(answer), true, Instant.now());
        lastOnCallNow.set(fresh);
        return fresh;
    }

    OnCallNowAnswer lastKnownOnCall(Throwable cause) {
        OnCallNowAnswer last = lastOnCallNow.get();
        if (last == null) {
            throw new OnCallUnavailableException("oncall-service cannot say who is on call (" + cause + ")", cause);
        }
        LOG.debugf("oncall-service cannot say who is on call (%s); answering its answer of %s", cause, last.asOf());
        return new OnCallNowAnswer(last.schedules(), false, last.asOf());
    }

    /** Whom to page at {@code level} (from 1) of the policy at {@code at}. */
    @Timeout(2000)
    @Retry(maxRetries = 2, delay = 200, jitter = 100,
            abortOn = {OnCallRejectedException.class, CircuitBreakerOpenException.class})
    @CircuitBreaker(requestVolumeThreshold = 4, failureRatio = 0.5, delay = 10_000, successThreshold = 1,
            skipOn = OnCallRejectedException.class)
    @Fallback(value = CachedTargetsFallback.class, skipOn = OnCallRejectedException.class)
    public PolicyTargets targets(UUID policyId, int level, Instant at) {
        return api.targets(policyId, level, at);
    }

    /** The team, or empty when oncall-service does not know it (404). */
    @Timeout(2000)
    @Retry(maxRetries = 1, delay = 200, jitter = 100,
            abortOn = {OnCallRejectedException.class, CircuitBreakerOpenException.class})
    @CircuitBreaker(requestVolumeThreshold = 4, failureRatio = 0.5, delay = 10_000, successThreshold = 1,
            skipOn = OnCallRejectedException.class)
    @Fallback(fallbackMethod = "teamUnavailable", skipOn = OnCallRejectedException.class)
    public Optional<OnCallReference> team(UUID id) {
        return found(() -> api.team(id));
    }

    /** The escalation policy, or empty when oncall-service does not know it (404). */
    @Timeout(2000)
    @Retry(maxRetries = 1, delay = 200, jitter = 100,
            abortOn = {OnCallRejectedException.class, CircuitBreakerOpenException.class})
    @CircuitBreaker(requestVolumeThreshold = 4, failureRatio = 0.5, delay = 10_000, successThreshold = 1,
            skipOn = OnCallRejectedException.class)
    @Fallback(fallbackMethod = "policyUnavailable", skipOn = OnCallRejectedException.class)
    public Optional<OnCallReference> policy(UUID id) {
        return found(() -> api.policy(id));
    }

    Optional<OnCallReference> teamUnavailable(UUID id, Throwable cause) {
        throw unavailable("team", id, cause);
    }

    Optional<OnCallReference> policyUnavailable(UUID id, Throwable cause) {
        throw unavailable("escalation policy", id, cause);
    }

    /** {@code at} in whole seconds, as the contract's example shows. */
    public static Instant now() {
        return Instant.now().truncatedTo(ChronoUnit.SECONDS);
    }

    private static Optional<OnCallReference> found(java.util.function.Supplier<OnCallReference> call) {
        try {
            OnCallReference answer = call.get();
            if (answer == null || answer.id() == null) {
                throw new OnCallUnavailableException("oncall-service sent an empty answer");
            }
            return Optional.of(answer);
        } catch (OnCallRejectedException e) {
            if (e.status() == 404) {
                return Optional.empty(); // a definite "no such thing": not a failure of the call
            }
            throw e;
        }
    }

    private static OnCallUnavailableException unavailable(String what, UUID id, Throwable cause) {
        LOG.debugf("oncall-service cannot confirm %s %s: %s", what, id, cause);
        return new OnCallUnavailableException("oncall-service cannot confirm " + what + " " + id + " ("
                + (cause == null ? "?" : cause.getClass().getSimpleName()) + ")", cause);
    }
}

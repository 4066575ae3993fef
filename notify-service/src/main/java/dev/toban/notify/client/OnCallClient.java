package dev.toban.notify.client;

import com.fasterxml.jackson.databind.JsonNode;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.faulttolerance.CircuitBreaker;
import org.eclipse.microprofile.faulttolerance.Fallback;
import org.eclipse.microprofile.faulttolerance.Retry;
import org.eclipse.microprofile.faulttolerance.Timeout;
import org.eclipse.microprofile.faulttolerance.exceptions.CircuitBreakerOpenException;
import org.eclipse.microprofile.rest.client.inject.RestClient;

/**
 * Calls to oncall-service, each with a timeout, one retry and a circuit breaker. When it cannot answer (down,
 * slow, circuit open, unknown person) the answer is null and the caller makes do: a page uses the PersonRef
 * carried in the event (a Slack DM now, then email; docs/architecture.md), the sandbox asks again later. Never
 * call these inside a database transaction.
 */
@ApplicationScoped
public class OnCallClient {

    private final OnCallApi api;

    public OnCallClient(@RestClient OnCallApi api) {
        this.api = api;
    }

    /** How to reach a person (contact methods, notification rules, language, zone); null when it cannot say. */
    @Timeout(value = 2, unit = ChronoUnit.SECONDS)
    @Retry(maxRetries = 1, delay = 200, delayUnit = ChronoUnit.MILLIS, abortOn = CircuitBreakerOpenException.class)
    @CircuitBreaker(requestVolumeThreshold = 4, failureRatio = 0.75, delay = 30, delayUnit = ChronoUnit.SECONDS)
    @Fallback(fallbackMethod = "personUnavailable")
    public PersonDetails person(UUID id) {
        return api.person(id);
    }

    PersonDetails personUnavailable(UUID id) {
        return null;
    }

    /**
     * Everyone (not archived), for the Slack sandbox: which person a signed-in user is (by username) and the names
     * behind Slack user ids. Null: cannot say now (the sandbox uses the people it has seen, or refuses the action).
     */
    @Timeout(value = 3, unit = ChronoUnit.SECONDS)
    @Retry(maxRetries = 1, delay = 200, delayUnit = ChronoUnit.MILLIS, abortOn = CircuitBreakerOpenException.class)
    @CircuitBreaker(requestVolumeThreshold = 4, failureRatio = 0.75, delay = 30, delayUnit = ChronoUnit.SECONDS)
    @Fallback(fallbackMethod = "peopleUnavailable")
    public List<PersonDetails> people() {
        return api.people();
    }

    List<PersonDetails> peopleUnavailable() {
        return null;
    }

    /** Who is on call now, for the Slack sandbox's welcome; null when it cannot say (asked again later). */
    @Timeout(value = 3, unit = ChronoUnit.SECONDS)
    @Retry(maxRetries = 1, delay = 200, delayUnit = ChronoUnit.MILLIS, abortOn = CircuitBreakerOpenException.class)
    @CircuitBreaker(requestVolumeThreshold = 4, failureRatio = 0.75, delay = 30, delayUnit = ChronoUnit.SECONDS)
    @Fallback(fallbackMethod = "nowUnavailable")
    public JsonNode now() {
        return api.now();
    }

    JsonNode nowUnavailable() {
        return null;
    }
}

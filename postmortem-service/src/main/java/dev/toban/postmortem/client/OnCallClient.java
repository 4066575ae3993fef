package dev.toban.postmortem.client;

import dev.toban.contracts.PersonRef;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import java.util.UUID;
import org.eclipse.microprofile.faulttolerance.CircuitBreaker;
import org.eclipse.microprofile.faulttolerance.Fallback;
import org.eclipse.microprofile.faulttolerance.Retry;
import org.eclipse.microprofile.faulttolerance.Timeout;
import org.eclipse.microprofile.rest.client.inject.RestClient;
import org.jboss.logging.Logger;

/**
 * Calls to oncall-service with a timeout, retries and a circuit breaker. Fallback (docs/architecture.md):
 * an empty answer, and the caller uses the people carried in the incident event instead.
 * A 404 is an answer, not a failure: it is neither retried nor counted by the breaker.
 */
@ApplicationScoped
public class OnCallClient {

    private static final Logger LOG = Logger.getLogger(OnCallClient.class);

    /** What a person lookup found. */
    public sealed interface PersonLookup {
        record Found(PersonRef person) implements PersonLookup {
        }

        record Unknown() implements PersonLookup {
        }

        record Unavailable() implements PersonLookup {
        }
    }

    private final OnCallApi api;

    public OnCallClient(@RestClient OnCallApi api) {
        this.api = api;
    }

    /**
     * The team with its members and their emails; empty when oncall-service cannot answer.
     *
     * @throws RemoteNotFoundException when oncall-service does not know the team
     */
    @Timeout(value = 3, unit = ChronoUnit.SECONDS)
    @Retry(maxRetries = 2, delay = 200, abortOn = RemoteNotFoundException.class)
    @CircuitBreaker(requestVolumeThreshold = 4, failureRatio = 0.5, delay = 30, delayUnit = ChronoUnit.SECONDS,
            skipOn = RemoteNotFoundException.class)
    @Fallback(fallbackMethod = "teamUnavailable", skipOn = RemoteNotFoundException.class)
    public Optional<OnCallApi.Team> team(UUID id) {
        return Optional.ofNullable(api.team(id));
    }

    Optional<OnCallApi.Team> teamUnavailable(UUID id, Throwable cause) {
        LOG.warnf("oncall-service cannot answer for team %s: %s", id, cause.toString());
        return Optional.empty();
    }

    @Timeout(value = 3, unit = ChronoUnit.SECONDS)
    @Retry(maxRetries = 2, delay = 200, abortOn = RemoteNotFoundException.class)
    @CircuitBreaker(requestVolumeThreshold = 4, failureRatio = 0.5, delay = 30, delayUnit = ChronoUnit.SECONDS,
            skipOn = RemoteNotFoundException.class)
    @Fallback(fallbackMethod = "personUnavailable", skipOn = RemoteNotFoundException.class)
    public PersonLookup person(UUID id) {
        try {
            PersonRef person = api.person(id);
            return person == null ? new PersonLookup.Unknown() : new PersonLookup.Found(person);
        } catch (RemoteNotFoundException e) {
            return new PersonLookup.Unknown();
        }
    }

    PersonLookup personUnavailable(UUID id, Throwable cause) {
        LOG.warnf("oncall-service cannot look up person %s: %s", id, cause.toString());
        return new PersonLookup.Unavailable();
    }
}

package dev.toban.oncall.client;

import dev.toban.oncall.client.ServiceCatalogApi.Service;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import org.eclipse.microprofile.faulttolerance.CircuitBreaker;
import org.eclipse.microprofile.faulttolerance.Fallback;
import org.eclipse.microprofile.faulttolerance.Retry;
import org.eclipse.microprofile.faulttolerance.Timeout;
import org.eclipse.microprofile.rest.client.inject.RestClient;
import org.jboss.logging.Logger;

/**
 * Calls to incident-service with a timeout, a retry and a circuit breaker. Fallback
 * (docs/architecture.md): empty, meaning "cannot tell"; the caller then refuses to archive rather
 * than archive something a service may still use. Never call it inside a database transaction.
 */
@ApplicationScoped
public class ServiceCatalogClient {

    private static final Logger LOG = Logger.getLogger(ServiceCatalogClient.class);

    private final ServiceCatalogApi api;

    public ServiceCatalogClient(@RestClient ServiceCatalogApi api) {
        this.api = api;
    }

    /** The services owned by the team; empty when incident-service cannot answer. */
    @Timeout(value = 3, unit = ChronoUnit.SECONDS)
    @Retry(maxRetries = 1, delay = 200)
    @CircuitBreaker(requestVolumeThreshold = 4, failureRatio = 0.5, delay = 10, delayUnit = ChronoUnit.SECONDS)
    @Fallback(fallbackMethod = "teamUnknown")
    public Optional<List<Service>> ownedBy(UUID teamId) {
        // an incident-service that ignored the filter would list every service: keep only the team's
        return Optional.of(answer(api.ownedBy(teamId)).stream()
                .filter(s -> s.owningTeam() == null || s.owningTeam().id() == null || teamId.equals(s.owningTeam().id()))
                .toList());
    }

    /** The services that page through the policy; empty when incident-service cannot answer. */
    @Timeout(value = 3, unit = ChronoUnit.SECONDS)
    @Retry(maxRetries = 1, delay = 200)
    @CircuitBreaker(requestVolumeThreshold = 4, failureRatio = 0.5, delay = 10, delayUnit = ChronoUnit.SECONDS)
    @Fallback(fallbackMethod = "policyUnknown")
    public Optional<List<Service>> escalatingWith(UUID policyId) {
        return Optional.of(answer(api.escalatingWith(policyId)).stream()
                .filter(s -> s.escalationPolicyId() == null || policyId.equals(s.escalationPolicyId()))
                .toList());
    }

    private static List<Service> answer(List<Service> services) {
        if (services == null) {
            throw new IllegalStateException("incident-service answered no service list");
        }
        return services.stream().filter(Objects::nonNull).toList();
    }

    Optional<List<Service>> teamUnknown(UUID teamId, Throwable cause) {
        LOG.warnf("incident-service cannot say which services use team %s: %s", teamId, cause.toString());
        return Optional.empty();
    }

    Optional<List<Service>> policyUnknown(UUID policyId, Throwable cause) {
        LOG.warnf("incident-service cannot say which services use escalation policy %s: %s", policyId, cause.toString());
        return Optional.empty();
    }
}

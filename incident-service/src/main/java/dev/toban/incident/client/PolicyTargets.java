package dev.toban.incident.client;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.toban.contracts.PersonRef;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * oncall-service's answer to "whom to page at level k at time T" (docs/architecture.md, Contracts).
 * {@code people} lists who is on call for every target, primary first. {@code cachedAt} is ours: set
 * when the answer is the cached fallback rather than a live one.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record PolicyTargets(
        UUID policyId,
        String policyName,
        int level,
        int levels,
        int repeatCount,
        int delayMinutes,
        List<Target> targets,
        List<PersonRef> people,
        Instant validUntil,
        Instant cachedAt) {

    public record Target(String type, UUID id, String name) {
    }

    public List<PersonRef> peopleOrEmpty() {
        return people == null ? List.of() : people;
    }

    public PolicyTargets cached(Instant fetchedAt) {
        return new PolicyTargets(policyId, policyName, level, levels, repeatCount, delayMinutes, targets, people,
                validUntil, fetchedAt);
    }
}

package dev.toban.incident.model;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

@ApplicationScoped
public class TechnicalServiceRepository implements PanacheRepositoryBase<TechnicalService, UUID> {

    public Optional<TechnicalService> findByName(String name) {
        return find("lower(name) = lower(?1)", name).firstResultOptional();
    }

    /** Services by name, without the archived ones unless asked; optionally only those naming a team or a policy. */
    public List<TechnicalService> list(boolean includeArchived, UUID owningTeamId, UUID escalationPolicyId) {
        StringBuilder query = new StringBuilder("1 = 1");
        List<Object> params = new ArrayList<>();
        if (!includeArchived) {
            query.append(" and archivedAt is null");
        }
        if (owningTeamId != null) {
            params.add(owningTeamId);
            query.append(" and owningTeamId = ?").append(params.size());
        }
        if (escalationPolicyId != null) {
            params.add(escalationPolicyId);
            query.append(" and escalationPolicyId = ?").append(params.size());
        }
        return list(query.append(" order by lower(name)").toString(), params.toArray());
    }

    /** The service locked against concurrent openings and changes (FOR UPDATE). */
    public Optional<TechnicalService> lockExclusive(UUID id) {
        return findByIdOptional(id, LockModeType.PESSIMISTIC_WRITE);
    }
}

package dev.toban.incident.model;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.FlushModeType;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

@ApplicationScoped
public class IncidentResponderRepository implements PanacheRepositoryBase<IncidentResponder, UUID> {

    /** The responders' person ids in joining order, without loading the rows; {@code flush} as in IncidentTeamRepository. */
    public List<UUID> personIds(UUID incidentId, FlushModeType flush) {
        return getEntityManager().createQuery(
                        "select r.personId from IncidentResponder r where r.incidentId = ?1 order by r.joinedAt, r.id", UUID.class)
                .setParameter(1, incidentId).setFlushMode(flush).getResultList();
    }

    public Optional<IncidentResponder> find(UUID incidentId, UUID personId) {
        return find("incidentId = ?1 and personId = ?2", incidentId, personId).firstResultOptional();
    }
}

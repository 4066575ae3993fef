package dev.toban.incident.model;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.FlushModeType;
import java.util.List;
import java.util.UUID;

@ApplicationScoped
public class IncidentTeamRepository implements PanacheRepositoryBase<IncidentTeam, UUID> {

    /**
     * The assigned teams' ids in assignment order, without loading the rows. {@code flush}: COMMIT when the caller has
     * just flushed (AUTO would dirty-check every managed entity again for nothing).
     */
    public List<UUID> teamIds(UUID incidentId, FlushModeType flush) {
        return getEntityManager().createQuery(
                        "select t.teamId from IncidentTeam t where t.incidentId = ?1 order by t.assignedAt, t.id", UUID.class)
                .setParameter(1, incidentId).setFlushMode(flush).getResultList();
    }

    /** A plain query rather than Panache's count(), whose count query is built anew (and never plan-cached) each call. */
    public boolean assigned(UUID incidentId, UUID teamId) {
        return getEntityManager().createQuery(
                        "select count(t) from IncidentTeam t where t.incidentId = ?1 and t.teamId = ?2", Long.class)
                .setParameter(1, incidentId).setParameter(2, teamId).getSingleResult() > 0;
    }
}

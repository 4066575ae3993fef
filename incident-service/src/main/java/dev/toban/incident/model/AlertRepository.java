package dev.toban.incident.model;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.FlushModeType;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

@ApplicationScoped
public class AlertRepository implements PanacheRepositoryBase<Alert, UUID> {

    public List<Alert> forIncident(UUID incidentId) {
        return list("incidentId = ?1 order by createdAt, id", incidentId);
    }

    /**
     * The first alert's summary, source, severity, dedup key, component and links, without loading it (its five JSON
     * columns would be parsed, copied and dirty-checked by every later flush). Alerts are written by native SQL only,
     * so nothing pending has to be flushed first.
     */
    public Optional<Object[]> firstSummary(UUID incidentId) {
        return getEntityManager().createQuery("""
                        select a.summary, a.source, a.severity, a.dedupKey, a.component, a.links from Alert a
                        where a.incidentId = ?1 order by a.createdAt, a.id""", Object[].class)
                .setParameter(1, incidentId).setFlushMode(FlushModeType.COMMIT).setMaxResults(1)
                .getResultStream().findFirst();
    }

    /** A plain query rather than Panache's count(), whose count query is built anew (and never plan-cached) each call. */
    public long openCount(UUID incidentId) {
        return getEntityManager().createQuery(
                        "select count(a) from Alert a where a.incidentId = ?1 and a.status <> 'resolved'", Long.class)
                .setParameter(1, incidentId).setFlushMode(FlushModeType.COMMIT).getSingleResult(); // native writes only
    }
}

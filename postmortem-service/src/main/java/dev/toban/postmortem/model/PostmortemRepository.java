package dev.toban.postmortem.model;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Parameters;
import io.quarkus.panache.common.Sort;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

@ApplicationScoped
public class PostmortemRepository implements PanacheRepositoryBase<Postmortem, UUID> {

    public Optional<Postmortem> findByIncident(UUID incidentId) {
        return find("incidentId", incidentId).firstResultOptional();
    }

    /** The row locked for the rest of the transaction: commands on one postmortem run one at a time. */
    public Optional<Postmortem> lock(UUID id) {
        return findByIdOptional(id, LockModeType.PESSIMISTIC_WRITE);
    }

    public Optional<Postmortem> lockByIncident(UUID incidentId) {
        return find("incidentId", incidentId).withLock(LockModeType.PESSIMISTIC_WRITE).firstResultOptional();
    }

    /** Newest first, optionally filtered; {@code publishedOnly} for viewers. */
    public List<Postmortem> search(PostmortemState state, UUID incidentId, boolean publishedOnly, int limit) {
        StringBuilder query = new StringBuilder("1 = 1");
        Parameters params = new Parameters();
        if (publishedOnly) {
            query.append(" and state = :published");
            params.and("published", PostmortemState.PUBLISHED);
        }
        if (state != null) {
            query.append(" and state = :state");
            params.and("state", state);
        }
        if (incidentId != null) {
            query.append(" and incidentId = :incident");
            params.and("incident", incidentId);
        }
        return find(query.toString(), Sort.descending("createdAt"), params).page(0, limit).list();
    }
}

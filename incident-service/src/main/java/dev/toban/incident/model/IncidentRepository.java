package dev.toban.incident.model;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;
import java.util.Optional;
import java.util.UUID;

@ApplicationScoped
public class IncidentRepository implements PanacheRepositoryBase<Incident, UUID> {

    private final Sql sql;

    public IncidentRepository(Sql sql) {
        this.sql = sql;
    }

    /** The incident under a row lock: commands on one incident run one after the other. */
    public Optional<Incident> lock(UUID id) {
        return findByIdOptional(id, LockModeType.PESSIMISTIC_WRITE);
    }

    /**
     * Whether the incident exists, without loading it. Incident rows are inserted by native SQL and never deleted,
     * so no pending entity change can alter the answer: no flush first.
     */
    public boolean exists(UUID id) {
        // plain JDBC: Hibernate's native-query plan cache missed on every call and cost more than the query
        return !sql.queryUnflushed("select 1 from incident where id = ?", id).isEmpty();
    }
}

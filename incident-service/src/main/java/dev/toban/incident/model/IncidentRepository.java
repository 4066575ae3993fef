package dev.toban.incident.model;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.Optional;
import java.util.UUID;
import org.hibernate.Session;

@ApplicationScoped
public class IncidentRepository implements PanacheRepositoryBase<Incident, UUID> {

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
        return getEntityManager().unwrap(Session.class).doReturningWork(connection -> {
            try (PreparedStatement ps = connection.prepareStatement("select 1 from incident where id = ?")) {
                ps.setObject(1, id);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next();
                }
            }
        });
    }
}

package dev.toban.notify.model;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;
import java.util.Optional;
import java.util.UUID;

@ApplicationScoped
public class IncidentThreadRepository implements PanacheRepositoryBase<IncidentThread, UUID> {

    /** The thread row locked for this transaction, so two events of one incident never race on it. */
    public Optional<IncidentThread> findForUpdate(UUID incidentId) {
        return findByIdOptional(incidentId, LockModeType.PESSIMISTIC_WRITE);
    }
}

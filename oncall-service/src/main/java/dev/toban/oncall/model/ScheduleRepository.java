package dev.toban.oncall.model;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;
import java.util.Optional;
import java.util.UUID;

@ApplicationScoped
public class ScheduleRepository implements PanacheRepositoryBase<Schedule, UUID> {

    /** The team's live (not archived) schedule for the role. */
    public Optional<Schedule> findByTeamAndRole(UUID teamId, String role) {
        return find("teamId = ?1 and lower(role) = lower(?2) and archivedAt is null", teamId, role).firstResultOptional();
    }

    /** Serialises override and cover changes on one schedule, so overlap checks cannot race. */
    public Optional<Schedule> lock(UUID id) {
        return findByIdOptional(id, LockModeType.PESSIMISTIC_WRITE);
    }
}

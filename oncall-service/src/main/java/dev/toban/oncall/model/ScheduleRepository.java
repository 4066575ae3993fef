package dev.toban.oncall.model;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

@ApplicationScoped
public class ScheduleRepository implements PanacheRepositoryBase<Schedule, UUID> {

    public Optional<Schedule> findByTeamAndRole(UUID teamId, String role) {
        return find("teamId = ?1 and lower(role) = lower(?2)", teamId, role).firstResultOptional();
    }

    /** Serialises override and cover changes on one schedule, so overlap checks cannot race. */
    public Optional<Schedule> lock(UUID id) {
        return findByIdOptional(id, LockModeType.PESSIMISTIC_WRITE);
    }

    public List<Schedule> referencingPerson(UUID personId) {
        return getEntityManager().createQuery(
                        "select distinct s from Schedule s join s.layers l join l.participants p where p = ?1",
                        Schedule.class)
                .setParameter(1, personId).getResultList();
    }
}

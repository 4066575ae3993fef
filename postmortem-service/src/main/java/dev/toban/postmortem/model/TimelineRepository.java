package dev.toban.postmortem.model;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

@ApplicationScoped
public class TimelineRepository implements PanacheRepositoryBase<PostmortemTimeline, UUID> {

    /** A timeline the job may fetch now. */
    public record Due(UUID postmortemId, UUID incidentId) {
    }

    /**
     * Claims up to {@code limit} due timelines by pushing their next attempt {@code lease} ahead, so
     * another replica skips them while this one calls incident-service outside any transaction.
     */
    @SuppressWarnings("unchecked")
    public List<Due> claimDue(Instant now, Duration lease, int limit) {
        List<Object[]> rows = getEntityManager().createNativeQuery("""
                        update postmortem_timeline set next_attempt_at = :lease
                        where postmortem_id in (
                            select postmortem_id from postmortem_timeline
                            where fetched_at is null and next_attempt_at <= :now
                            order by next_attempt_at limit :limit
                            for update skip locked)
                        returning postmortem_id, incident_id""")
                .setParameter("lease", now.plus(lease))
                .setParameter("now", now)
                .setParameter("limit", limit)
                .getResultList();
        return rows.stream().map(r -> new Due((UUID) r[0], (UUID) r[1])).toList();
    }

    /** When the earliest timeline not yet filled in is due again (a claim's lease end included); null: none. */
    public Instant nextAttempt() {
        return (Instant) getEntityManager().createNativeQuery(
                "select min(next_attempt_at) from postmortem_timeline where fetched_at is null", Instant.class)
                .getSingleResult();
    }
}

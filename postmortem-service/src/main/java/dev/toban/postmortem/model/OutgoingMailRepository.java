package dev.toban.postmortem.model;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

@ApplicationScoped
public class OutgoingMailRepository implements PanacheRepositoryBase<OutgoingMail, UUID> {

    /** Unsent mails that are due, locked; rows another replica holds are skipped, not waited for. */
    @SuppressWarnings("unchecked")
    public List<OutgoingMail> lockDue(Instant now, int maxAttempts, int limit) {
        return getEntityManager().createNativeQuery("""
                        select * from outgoing_mail
                        where sent_at is null and next_attempt_at <= :now and attempts < :max
                        order by created_at limit :limit
                        for update skip locked""", OutgoingMail.class)
                .setParameter("now", now)
                .setParameter("max", maxAttempts)
                .setParameter("limit", limit)
                .getResultList();
    }

    /** When the next unsent mail with attempts left is due; null: none. */
    public java.time.Instant nextAttempt(int maxAttempts) {
        Object value = getEntityManager().createNativeQuery(
                        "select min(next_attempt_at) from outgoing_mail where sent_at is null and attempts < :max")
                .setParameter("max", maxAttempts)
                .getSingleResult();
        if (value instanceof java.time.OffsetDateTime o) {
            return o.toInstant();
        }
        if (value instanceof java.sql.Timestamp t) {
            return t.toInstant();
        }
        return (java.time.Instant) value;
    }

    public long unsent() {
        return count("sentAt is null");
    }
}

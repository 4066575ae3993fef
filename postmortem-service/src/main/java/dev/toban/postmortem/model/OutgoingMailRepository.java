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

    public long unsent() {
        return count("sentAt is null");
    }
}

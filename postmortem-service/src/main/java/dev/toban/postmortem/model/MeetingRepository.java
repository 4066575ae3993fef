package dev.toban.postmortem.model;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

@ApplicationScoped
public class MeetingRepository implements PanacheRepositoryBase<Meeting, UUID> {

    /** The meeting that is scheduled or was held; at most one per postmortem (a partial unique index). */
    public Optional<Meeting> currentOf(UUID postmortemId) {
        return find("postmortemId = ?1 and status <> ?2", postmortemId, MeetingStatus.CANCELLED).firstResultOptional();
    }

    /** A time some of these people are already in another postmortem meeting. */
    public record Busy(Instant start, Instant end, String who) {
    }

    /**
     * Meetings of other postmortems between {@code from} and {@code to} that any of these people
     * attend (matched by email, case-insensitive, or by oncall person id).
     */
    @SuppressWarnings("unchecked")
    public List<Busy> busy(UUID exceptPostmortem, Collection<String> emails, Collection<UUID> personIds,
                           Instant from, Instant to) {
        if (emails.isEmpty() && personIds.isEmpty()) {
            return List.of();
        }
        // placeholders keep "in (...)" valid when one of the lists is empty
        List<String> lowered = emails.isEmpty() ? List.of("") : emails.stream().map(String::toLowerCase).toList();
        List<UUID> ids = personIds.isEmpty() ? List.of(new UUID(0, 0)) : List.copyOf(personIds);
        List<Object[]> rows = getEntityManager().createNativeQuery("""
                        select m.start_at, m.end_at, coalesce(p.name, p.username, p.email)
                        from meeting m
                        join participant p on p.postmortem_id = m.postmortem_id and not p.removed
                        where m.status <> 'cancelled' and m.postmortem_id <> :except
                          and m.end_at > :from and m.start_at < :to
                          and (lower(p.email) in (:emails) or p.person_id in (:ids))
                        order by m.start_at""")
                .setParameter("except", exceptPostmortem)
                .setParameter("from", from)
                .setParameter("to", to)
                .setParameter("emails", lowered)
                .setParameter("ids", ids)
                .getResultList();
        return rows.stream().map(r -> new Busy(toInstant(r[0]), toInstant(r[1]), (String) r[2])).toList();
    }

    static Instant toInstant(Object value) {
        if (value instanceof Instant i) {
            return i;
        }
        if (value instanceof java.time.OffsetDateTime o) {
            return o.toInstant();
        }
        if (value instanceof java.sql.Timestamp t) {
            return t.toInstant();
        }
        throw new IllegalStateException("unexpected timestamp type " + value.getClass());
    }
}

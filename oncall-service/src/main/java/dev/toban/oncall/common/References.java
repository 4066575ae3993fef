package dev.toban.oncall.common;

import dev.toban.oncall.client.ServiceCatalogApi.Service;
import dev.toban.oncall.client.ServiceCatalogClient;
import dev.toban.plumbing.problem.ProblemException;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;

/**
 * Who still refers to a person, team, schedule or escalation policy, in words an admin can act on.
 * Archiving refuses (409) while anything live refers to the thing; unarchiving refuses while the thing
 * refers to something archived. Archived holders do not count: history may point at history.
 */
@ApplicationScoped
public class References {

    /** Tables whose rows other rows refer to. */
    public enum Table {
        PERSON("person"), TEAM("team"), SCHEDULE("schedule");

        final String name;

        Table(String name) {
            this.name = name;
        }
    }

    /** At most this many references are named in one answer. */
    static final int SHOWN = 10;

    private final EntityManager em;
    private final ServiceCatalogClient catalog;

    public References(EntityManager em, ServiceCatalogClient catalog) {
        this.em = em;
        this.catalog = catalog;
    }

    /**
     * The ids among {@code ids} that exist and are not archived, locked for share until the transaction
     * ends: a concurrent archive waits for the new reference to commit (and then sees it), or the new
     * reference waits for the archive (and then sees it archived).
     */
    public Set<UUID> lockActive(Table table, Collection<UUID> ids) {
        if (ids.isEmpty()) {
            return Set.of();
        }
        List<?> rows = em.createNativeQuery("select id from " + table.name
                        + " where id in (?1) and archived_at is null order by id for share")
                .setParameter(1, new HashSet<>(ids)).getResultList();
        Set<UUID> active = new HashSet<>();
        rows.forEach(r -> active.add((UUID) r));
        return active;
    }

    // ------------------------------------------------------------------ what refers to it (archive)

    public List<String> toPerson(UUID id, String name, Instant now) {
        String who = "person '" + name + "'";
        List<String> uses = new ArrayList<>();
        rows("select t.name from team_member m join team t on t.id = m.team_id "
                + "where m.person_id = ?1 and t.archived_at is null order by lower(t.name)", id, null)
                .forEach(r -> uses.add(who + " is a member of team '" + r[0] + "'"));
        rows("select distinct l.name, s.name from layer_participant lp join schedule_layer l on l.id = lp.layer_id "
                + "join schedule s on s.id = l.schedule_id where lp.person_id = ?1 and s.archived_at is null "
                + "order by s.name, l.name", id, null)
                .forEach(r -> uses.add(who + " is a member of layer '" + r[0] + "' of schedule '" + r[1] + "'"));
        rows("select distinct p.name, t.level from escalation_target t join escalation_policy p on p.id = t.policy_id "
                + "where t.target_type = 'person' and t.target_id = ?1 and p.archived_at is null order by p.name, t.level",
                id, null)
                .forEach(r -> uses.add(who + " is a target of escalation policy '" + r[0] + "' level " + r[1]));
        rows("select s.name, o.start_at, o.end_at, o.person_id = ?1 from schedule_override o "
                + "join schedule s on s.id = o.schedule_id where (o.person_id = ?1 or o.replaces_person_id = ?1) "
                + "and o.end_at > ?2 and s.archived_at is null order by o.start_at", id, now)
                .forEach(r -> uses.add(who + (Boolean.TRUE.equals(r[3]) ? " is on call through an override"
                        : " is replaced by an override") + " of schedule '" + r[0] + "' " + range(r[1], r[2])));
        rows("select s.name, c.start_at, c.end_at from cover_request c join schedule s on s.id = c.schedule_id "
                + "where c.status = 'open' and (c.requester_id = ?1 or c.target_id = ?1) and c.end_at > ?2 "
                + "and s.archived_at is null order by c.start_at", id, now)
                .forEach(r -> uses.add(who + " is named in an open cover request of schedule '" + r[0] + "' "
                        + range(r[1], r[2])));
        return uses;
    }

    public List<String> toSchedule(UUID id, String name, Instant now) {
        String what = "schedule '" + name + "'";
        List<String> uses = new ArrayList<>();
        rows("select distinct p.name, t.level from escalation_target t join escalation_policy p on p.id = t.policy_id "
                + "where t.target_type = 'schedule' and t.target_id = ?1 and p.archived_at is null "
                + "order by p.name, t.level", id, null)
                .forEach(r -> uses.add(what + " is a target of escalation policy '" + r[0] + "' level " + r[1]));
        rows("select p.name, c.start_at, c.end_at from cover_request c join person p on p.id = c.requester_id "
                + "where c.schedule_id = ?1 and c.status = 'open' and c.end_at > ?2 order by c.start_at", id, now)
                .forEach(r -> uses.add(what + " has an open cover request by '" + r[0] + "' " + range(r[1], r[2])));
        return uses;
    }

    /** Local references only; see {@link #servicesOfTeam} for incident-service's. */
    public List<String> toTeam(UUID id, String name) {
        List<String> uses = new ArrayList<>();
        rows("select name from schedule where team_id = ?1 and archived_at is null order by name", id, null)
                .forEach(r -> uses.add("team '" + name + "' is the team of schedule '" + r[0] + "'"));
        return uses;
    }

    /** incident-service's technical services owned by the team; 503 when it cannot answer. Outside transactions only. */
    public List<String> servicesOfTeam(UUID id, String name) {
        return services(catalog::ownedBy, id, s -> "team '" + name + "' is the owning team of service '" + s.name() + "'");
    }

    /** incident-service's technical services that page through the policy; 503 when it cannot answer. */
    public List<String> servicesOfPolicy(UUID id, String name) {
        return services(catalog::escalatingWith, id,
                s -> "escalation policy '" + name + "' is the escalation policy of service '" + s.name() + "'");
    }

    private static List<String> services(Function<UUID, Optional<List<Service>>> lookup, UUID id,
                                         Function<Service, String> describe) {
        if (QuarkusTransaction.isActive()) {
            // a remote call must not hold a database transaction (and its locks) open
            throw new IllegalStateException("incident-service is called outside database transactions only");
        }
        return lookup.apply(id)
                .orElseThrow(() -> new ProblemException(503, "Service unavailable",
                        "incident-service cannot check whether services still use it, retry", List.of()))
                .stream().map(describe).toList();
    }

    // ------------------------------------------------------------------ what it refers to (unarchive)

    public List<String> archivedInTeam(UUID teamId) {
        List<String> archived = new ArrayList<>();
        rows("select p.name from team_member m join person p on p.id = m.person_id "
                + "where m.team_id = ?1 and p.archived_at is not null order by m.position", teamId, null)
                .forEach(r -> archived.add("member '" + r[0] + "' is archived"));
        return archived;
    }

    public List<String> archivedInSchedule(UUID scheduleId) {
        List<String> archived = new ArrayList<>();
        rows("select t.name from schedule s join team t on t.id = s.team_id "
                + "where s.id = ?1 and t.archived_at is not null", scheduleId, null)
                .forEach(r -> archived.add("its team '" + r[0] + "' is archived"));
        rows("select distinct p.name, l.name from schedule_layer l join layer_participant lp on lp.layer_id = l.id "
                + "join person p on p.id = lp.person_id where l.schedule_id = ?1 and p.archived_at is not null "
                + "order by l.name, p.name", scheduleId, null)
                .forEach(r -> archived.add("person '" + r[0] + "' of layer '" + r[1] + "' is archived"));
        return archived;
    }

    public List<String> archivedInPolicy(UUID policyId) {
        List<String> archived = new ArrayList<>();
        rows("select t.level, s.name from escalation_target t join schedule s on s.id = t.target_id "
                + "where t.policy_id = ?1 and t.target_type = 'schedule' and s.archived_at is not null "
                + "order by t.level, s.name", policyId, null)
                .forEach(r -> archived.add("level " + r[0] + " target schedule '" + r[1] + "' is archived"));
        rows("select t.level, p.name from escalation_target t join person p on p.id = t.target_id "
                + "where t.policy_id = ?1 and t.target_type = 'person' and p.archived_at is not null "
                + "order by t.level, p.name", policyId, null)
                .forEach(r -> archived.add("level " + r[0] + " target person '" + r[1] + "' is archived"));
        return archived;
    }

    // ------------------------------------------------------------------ answers

    /** 409 naming what still refers to the thing, when anything does. */
    public static void refuseArchive(List<String> uses) {
        if (!uses.isEmpty()) {
            throw ProblemException.conflict(null, "cannot archive: " + listed(uses) + "; remove these references first");
        }
    }

    /** 409 naming the archived things the thing refers to, when there are any. */
    public static void refuseUnarchive(String what, List<String> archived) {
        if (!archived.isEmpty()) {
            throw ProblemException.conflict(null, "cannot unarchive " + what + ": " + listed(archived)
                    + "; unarchive or replace them first");
        }
    }

    /** 409 for a change to something archived: it is kept as history, read-only until unarchived. */
    public static ProblemException archived(String what) {
        return ProblemException.conflict(null, what + " is archived; unarchive it first");
    }

    private static String listed(List<String> items) {
        String shown = String.join("; ", items.subList(0, Math.min(SHOWN, items.size())));
        return items.size() > SHOWN ? shown + "; and " + (items.size() - SHOWN) + " more" : shown;
    }

    @SuppressWarnings("unchecked")
    private List<Object[]> rows(String sql, UUID id, Instant now) {
        var query = em.createNativeQuery(sql).setParameter(1, id);
        if (now != null) {
            query.setParameter(2, now);
        }
        List<Object[]> out = new ArrayList<>();
        for (Object row : (List<Object>) query.getResultList()) {
            out.add(row instanceof Object[] cols ? cols : new Object[] {row});
        }
        return out;
    }

    private static String range(Object start, Object end) {
        return "from " + instant(start) + " to " + instant(end);
    }

    private static Instant instant(Object value) {
        if (value instanceof Instant i) {
            return i;
        }
        if (value instanceof java.sql.Timestamp ts) {
            return ts.toInstant();
        }
        if (value instanceof OffsetDateTime odt) {
            return odt.toInstant();
        }
        throw new IllegalStateException("Unexpected timestamp type " + value.getClass());
    }
}

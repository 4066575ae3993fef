package dev.toban.incident.directory;

import dev.toban.contracts.TeamRef;
import dev.toban.contracts.oncall.OnCallContracts.TeamChanged;
import dev.toban.incident.model.Team;
import dev.toban.incident.model.TeamRepository;
import dev.toban.plumbing.inbox.PoisonEventException;
import io.quarkus.panache.common.Sort;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** Keeps the local copy of oncall-service's teams and their members current from its events. */
@ApplicationScoped
public class TeamDirectoryService {

    private final TeamRepository teams;
    private final EntityManager em;

    public TeamDirectoryService(TeamRepository teams, EntityManager em) {
        this.teams = teams;
        this.em = em;
    }


    public record TeamView(UUID id, String name, String slackChannel, String timeZone, List<UUID> memberIds,
                           Instant archivedAt, String warRoomUrl) {
    }

    @Transactional(Transactional.TxType.MANDATORY)
    public void apply(TeamChanged change) {
        if (change.id() == null || change.name() == null || change.timeZone() == null || change.version() == null) {
            throw new PoisonEventException("team event lacks id, name, timeZone or version");
        }
        Team team = teams.findById(change.id());
        if (team == null) {
            team = new Team();
            team.id = change.id();
        } else if (team.sourceVersion > change.version()) {
            return; // an older announcement arriving late
        }
        team.name = change.name();
        team.slackChannel = change.slackChannel();
        team.timeZone = change.timeZone();
        team.sourceVersion = change.version();
        team.updatedAt = change.updatedAt() == null ? Instant.now() : change.updatedAt();
        team.archivedAt = change.archivedAt();
        team.warRoomUrl = warRoom(change.warRoomUrl());
        teams.persist(team);
        teams.flush();
        if (change.memberIds() != null) { // an event without memberIds leaves the members as they were
            em.createNativeQuery("delete from team_member where team_id = ?1").setParameter(1, team.id).executeUpdate();
            for (UUID member : change.memberIds().stream().distinct().toList()) {
                em.createNativeQuery("insert into team_member (team_id, person_id) values (?1, ?2)")
                        .setParameter(1, team.id).setParameter(2, member).executeUpdate();
            }
        }
    }

    /**
     * An event that archives ({@code at} set) or restores ({@code at} null) a team. With the whole team in
     * its data it is applied like any team event; with less (an id and perhaps a version) only the archive
     * mark of a team the replica knows changes.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public void archive(TeamChanged change, Instant at) {
        if (change.id() == null) {
            throw new PoisonEventException("team event lacks id");
        }
        if (change.name() != null && change.timeZone() != null && change.version() != null) {
            apply(new TeamChanged(change.id(), change.name(), change.slackChannel(), change.timeZone(),
                    change.warRoomUrl(), change.memberIds(), change.updatedAt(), at != null, at, change.version()));
            return;
        }
        Team team = teams.findById(change.id());
        if (team == null || change.version() != null && team.sourceVersion > change.version()) {
            return; // unknown here (a lookup asks oncall-service), or an older announcement arriving late
        }
        team.archivedAt = at;
        if (change.version() != null) {
            team.sourceVersion = change.version();
        }
    }

    public List<TeamView> list() {
        return teams.listAll(Sort.by("name")).stream()
                .map(t -> new TeamView(t.id, t.name, t.slackChannel, t.timeZone, members(t.id), t.archivedAt,
                        t.warRoomUrl))
                .toList();
    }

    /** The team's default war-room link, or null. */
    public String warRoomUrl(UUID id) {
        Team team = id == null ? null : teams.findById(id);
        return team == null ? null : team.warRoomUrl;
    }

    /** Only an http(s) link is kept: it becomes a link on the pages and in messages. */
    static String warRoom(String url) {
        if (url == null || url.isBlank() || url.length() > 2000) {
            return null;
        }
        String value = url.strip();
        return value.matches("(?i)^https?://[^\\s/]+\\S*$") ? value : null;
    }

    public TeamRef ref(UUID id) {
        if (id == null) {
            return null;
        }
        Team team = teams.findById(id);
        return team == null ? TeamRef.unknown(id) : refOf(team);
    }

    /** A team of the directory as events carry them (the contract's TeamRef). */
    public static TeamRef refOf(Team t) {
        return new TeamRef(t.id, t.name, t.slackChannel, t.timeZone);
    }

    public boolean exists(UUID id) {
        return id != null && teams.findById(id) != null;
    }

    /** Known to the replica and not archived. */
    public boolean active(UUID id) {
        Team team = id == null ? null : teams.findById(id);
        return team != null && team.archivedAt == null;
    }

    @SuppressWarnings("unchecked")
    public List<UUID> members(UUID teamId) {
        return em.createNativeQuery("select person_id from team_member where team_id = ?1 order by person_id", UUID.class)
                .setParameter(1, teamId).getResultList();
    }
}

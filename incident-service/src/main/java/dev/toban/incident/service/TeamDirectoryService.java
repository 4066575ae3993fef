package dev.toban.incident.service;

import dev.toban.incident.model.Team;
import dev.toban.incident.model.TeamRepository;
import dev.toban.plumbing.inbox.PoisonEventException;
import io.quarkus.panache.common.Sort;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** Keeps the local copy of oncall-service's teams current from its events. */
@ApplicationScoped
public class TeamDirectoryService {

    private final TeamRepository teams;

    public TeamDirectoryService(TeamRepository teams) {
        this.teams = teams;
    }

    /** The {@code data} of {@code toban.oncall.team.created} and {@code .updated}. */
    public record TeamChanged(UUID id, String name, String slackChannel, String timeZone, Instant updatedAt, Long version) {
    }

    public record TeamView(UUID id, String name, String slackChannel, String timeZone) {
        static TeamView of(Team t) {
            return new TeamView(t.id, t.name, t.slackChannel, t.timeZone);
        }
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
        teams.persist(team);
    }

    public List<TeamView> list() {
        return teams.listAll(Sort.by("name")).stream().map(TeamView::of).toList();
    }
}

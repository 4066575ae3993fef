package dev.toban.oncall.team;

import dev.toban.oncall.model.Team;
import dev.toban.oncall.model.TeamRepository;
import dev.toban.oncall.people.PersonService.PersonRequest;
import dev.toban.oncall.people.PersonService.PersonView;
import dev.toban.oncall.people.PersonService;
import dev.toban.oncall.security.Caller;
import dev.toban.oncall.team.TeamService.TeamRequest;
import dev.toban.plumbing.problem.ProblemException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * A person together with the teams they belong to, as the person page edits them: one transaction
 * that goes through {@link PersonService} and {@link TeamService} (same rules, same events), so a
 * refused membership leaves the person unchanged too. Team memberships are an admin's to change.
 */
@ApplicationScoped
public class MembershipService {

    private final PersonService people;
    private final TeamService teamService;
    private final TeamRepository teams;
    private final Caller caller;

    public MembershipService(PersonService people, TeamService teamService, TeamRepository teams, Caller caller) {
        this.people = people;
        this.teamService = teamService;
        this.teams = teams;
        this.caller = caller;
    }

    @Transactional
    public PersonView create(PersonRequest request, Set<UUID> teamIds) {
        PersonView created = people.create(request);
        setTeams(created.id(), teamIds);
        return created;
    }

    /** {@code teamIds} null keeps the person's teams as they are. */
    @Transactional
    public PersonView update(UUID id, PersonRequest request, Set<UUID> teamIds) {
        PersonView updated = people.update(id, request);
        if (teamIds != null) {
            setTeams(id, teamIds);
        }
        return updated;
    }

    /** The live teams the person is a member of, by name. */
    public List<Team> teamsOf(UUID personId) {
        return teams.list("archivedAt is null order by lower(name)").stream()
                .filter(t -> t.memberIds.contains(personId)).toList();
    }

    private void setTeams(UUID personId, Set<UUID> teamIds) {
        if (!caller.isAdmin()) {
            throw ProblemException.forbidden("only an admin may change team members");
        }
        Set<UUID> wanted = new HashSet<>(teamIds);
        List<Team> live = teams.list("archivedAt is null");
        live.forEach(t -> wanted.remove(t.id));
        if (!wanted.isEmpty()) {
            throw ProblemException.invalid("teamIds", "is not a known team");
        }
        for (Team team : live) {
            boolean member = team.memberIds.contains(personId);
            if (member == teamIds.contains(team.id)) {
                continue;
            }
            List<UUID> members = new ArrayList<>(team.memberIds);
            if (member) {
                members.remove(personId);
            } else {
                members.add(personId);
            }
            teamService.update(team.id, new TeamRequest(team.name, team.slackChannel, team.timeZone, members, null));
        }
    }
}

package dev.toban.oncall.service;

import dev.toban.oncall.model.Team;
import dev.toban.oncall.model.TeamRepository;
import dev.toban.plumbing.outbox.Outbox;
import dev.toban.plumbing.problem.ProblemException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.UUID;

@ApplicationScoped
public class TeamService {

    public static final String TEAM_CREATED = "toban.oncall.team.created";
    public static final String TEAM_UPDATED = "toban.oncall.team.updated";

    private final TeamRepository teams;
    private final Outbox outbox;

    public TeamService(TeamRepository teams, Outbox outbox) {
        this.teams = teams;
        this.outbox = outbox;
    }

    public record TeamRequest(
            @NotBlank @Size(max = 100) String name,
            @Size(max = 100) @Pattern(regexp = "^[#A-Za-z0-9._-]*$", message = "must be a Slack channel name or id")
            String slackChannel,
            @NotBlank @Size(max = 64) String timeZone) {
    }

    public record TeamView(UUID id, String name, String slackChannel, String timeZone, Instant updatedAt, long version) {
        static TeamView of(Team t) {
            return new TeamView(t.id, t.name, t.slackChannel, t.timeZone, t.updatedAt, t.version);
        }
    }

    public List<TeamView> list() {
        return teams.listAll(io.quarkus.panache.common.Sort.by("name")).stream().map(TeamView::of).toList();
    }

    public TeamView get(UUID id) {
        return teams.findByIdOptional(id).map(TeamView::of).orElseThrow(() -> ProblemException.notFound("Team", id));
    }

    @Transactional
    public TeamView create(TeamRequest request) {
        ZoneId zone = zoneOf(request.timeZone());
        teams.findByName(request.name()).ifPresent(existing -> {
            throw ProblemException.conflict("name", "a team named '" + request.name() + "' already exists");
        });
        Team team = new Team();
        team.id = UUID.randomUUID();
        team.createdAt = Instant.now();
        apply(team, request, zone);
        teams.persistAndFlush(team);
        TeamView view = TeamView.of(team);
        outbox.publish(TEAM_CREATED, team.id.toString(), view);
        return view;
    }

    @Transactional
    public TeamView update(UUID id, TeamRequest request) {
        ZoneId zone = zoneOf(request.timeZone());
        Team team = teams.findByIdOptional(id).orElseThrow(() -> ProblemException.notFound("Team", id));
        teams.findByName(request.name()).filter(other -> !other.id.equals(id)).ifPresent(other -> {
            throw ProblemException.conflict("name", "a team named '" + request.name() + "' already exists");
        });
        apply(team, request, zone);
        teams.flush();
        TeamView view = TeamView.of(team);
        outbox.publish(TEAM_UPDATED, team.id.toString(), view);
        return view;
    }

    private static void apply(Team team, TeamRequest request, ZoneId zone) {
        team.name = request.name().strip();
        team.slackChannel = request.slackChannel() == null || request.slackChannel().isBlank() ? null : request.slackChannel();
        team.timeZone = zone.getId();
        team.updatedAt = Instant.now();
    }

    static ZoneId zoneOf(String value) {
        try {
            return ZoneId.of(value);
        } catch (DateTimeException e) {
            throw ProblemException.invalid("timeZone", "is not an IANA time zone such as Asia/Tokyo");
        }
    }
}

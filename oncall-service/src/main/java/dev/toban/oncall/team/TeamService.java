package dev.toban.oncall.team;

import dev.toban.contracts.PersonRef;
import dev.toban.contracts.oncall.OnCallContracts.TeamChanged;
import dev.toban.contracts.oncall.OnCallContracts;
import dev.toban.oncall.common.References;
import dev.toban.oncall.common.Refs;
import dev.toban.oncall.common.Validation;
import dev.toban.oncall.model.Person;
import dev.toban.oncall.model.PersonRepository;
import dev.toban.oncall.model.Team;
import dev.toban.oncall.model.TeamRepository;
import dev.toban.oncall.security.Caller;
import dev.toban.oncall.snapshot.OnCallSnapshots;
import dev.toban.plumbing.input.SingleLine;
import dev.toban.plumbing.outbox.Outbox;
import dev.toban.plumbing.problem.ProblemException;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.panache.common.Sort;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;
import jakarta.transaction.Transactional;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

@ApplicationScoped
public class TeamService {

    public static final String TEAM_CREATED = OnCallContracts.TEAM_CREATED.name();
    public static final String TEAM_UPDATED = OnCallContracts.TEAM_UPDATED.name();

    private final TeamRepository teams;
    private final PersonRepository people;
    private final Outbox outbox;
    private final OnCallSnapshots snapshots;
    private final References references;
    private final Caller caller;
    private final Clock clock;

    public TeamService(TeamRepository teams, PersonRepository people, Outbox outbox, OnCallSnapshots snapshots,
                       References references, Caller caller, Clock clock) {
        this.teams = teams;
        this.people = people;
        this.outbox = outbox;
        this.snapshots = snapshots;
        this.references = references;
        this.caller = caller;
        this.clock = clock;
    }

    /**
     * {@code memberIds}: null keeps the current members on update (none on create). {@code warRoomUrl}: the
     * team's standing war room (an absolute http(s) URL such as a Gather or Meet room); null keeps the
     * current one on update (clients that predate it), blank removes it.
     */
    public record TeamRequest(
            @NotBlank @Size(max = 100) @SingleLine String name,
            @Size(max = 100) @Pattern(regexp = "^[#A-Za-z0-9._-]*$", message = "must be a Slack channel name or id")
            String slackChannel,
            @NotBlank @Size(max = 64) String timeZone,
            @Size(max = 500) List<@NotNull UUID> memberIds,
            @Size(max = 500) @SingleLine String warRoomUrl) {

        public TeamRequest(String name, String slackChannel, String timeZone) {
            this(name, slackChannel, timeZone, null, null);
        }

        public TeamRequest(String name, String slackChannel, String timeZone, List<UUID> memberIds) {
            this(name, slackChannel, timeZone, memberIds, null);
        }
    }

    /** {@code GET /api/teams/{id}}: the contract's fields plus memberIds and updatedAt. */
    public record TeamView(UUID id, String name, String slackChannel, String timeZone, String warRoomUrl,
                           List<UUID> memberIds, List<PersonRef> members, Instant updatedAt, Instant archivedAt,
                           String archivedBy, long version) {
    }


    /** Teams by name; archived ones only with {@code includeArchived}. */
    public List<TeamView> list(boolean includeArchived) {
        List<Team> all = includeArchived ? teams.listAll(Sort.by("name")) : teams.list("archivedAt is null", Sort.by("name"));
        Set<UUID> ids = new HashSet<>();
        all.forEach(t -> ids.addAll(t.memberIds));
        Map<UUID, PersonRef> refs = refs(ids);
        return all.stream().map(t -> view(t, refs)).toList();
    }

    public TeamView get(UUID id) {
        Team team = teams.findByIdOptional(id).orElseThrow(() -> ProblemException.notFound("Team", id));
        return view(team, refs(new HashSet<>(team.memberIds)));
    }

    @Transactional
    public TeamView create(TeamRequest request) {
        return create(request, null);
    }

    /** Creates a team, with a fixed id when given (demo data). */
    @Transactional
    public TeamView create(TeamRequest request, UUID fixedId) {
        ZoneId zone = validate(request);
        validateMembers(request.memberIds());
        teams.findByName(request.name()).ifPresent(existing -> {
            throw nameTaken(existing);
        });
        Team team = new Team();
        team.id = fixedId == null ? UUID.randomUUID() : fixedId;
        team.createdAt = clock.instant();
        apply(team, request, zone);
        teams.persistAndFlush(team);
        snapshots.bump();
        outbox.publish(OnCallContracts.TEAM_CREATED, team.id.toString(), eventData(team));
        return view(team, refs(new HashSet<>(team.memberIds)));
    }

    @Transactional
    public TeamView update(UUID id, TeamRequest request) {
        ZoneId zone = validate(request);
        Team team = teams.findByIdOptional(id).orElseThrow(() -> ProblemException.notFound("Team", id));
        if (team.archived()) {
            throw References.archived("team '" + team.name + "'");
        }
        validateMembers(request.memberIds());
        teams.findByName(request.name()).filter(other -> !other.id.equals(id)).ifPresent(other -> {
            throw nameTaken(other);
        });
        apply(team, request, zone);
        teams.flush();
        snapshots.bump();
        outbox.publish(OnCallContracts.TEAM_UPDATED, team.id.toString(), eventData(team));
        return view(team, refs(new HashSet<>(team.memberIds)));
    }

    /**
     * Archives a team that no live schedule and no technical service of incident-service uses (409 naming
     * them otherwise; 503 when incident-service cannot say). Asks incident-service first, outside any
     * transaction, then archives in one. Archiving again changes nothing.
     */
    public TeamView archive(UUID id) {
        TeamView current = get(id);
        if (current.archivedAt() != null) {
            return current;
        }
        References.refuseArchive(references.toTeam(id, current.name()));
        References.refuseArchive(references.servicesOfTeam(id, current.name()));
        return QuarkusTransaction.requiringNew().call(() -> {
            Team team = teams.findByIdOptional(id, LockModeType.PESSIMISTIC_WRITE)
                    .orElseThrow(() -> ProblemException.notFound("Team", id));
            if (team.archived()) {
                return view(team, refs(new HashSet<>(team.memberIds)));
            }
            // a schedule may have been added while incident-service was asked
            References.refuseArchive(references.toTeam(id, team.name));
            Instant now = clock.instant();
            team.archivedAt = now;
            team.archivedBy = caller.username();
            team.updatedAt = now;
            return changed(team);
        });
    }

    /** Makes an archived team selectable again, once none of its members is archived. */
    @Transactional
    public TeamView unarchive(UUID id) {
        Team team = teams.findByIdOptional(id, LockModeType.PESSIMISTIC_WRITE)
                .orElseThrow(() -> ProblemException.notFound("Team", id));
        if (!team.archived()) {
            return view(team, refs(new HashSet<>(team.memberIds)));
        }
        references.lockActive(References.Table.PERSON, team.memberIds); // none is archived while checked
        References.refuseUnarchive("team '" + team.name + "'", references.archivedInTeam(id));
        team.archivedAt = null;
        team.archivedBy = null;
        team.updatedAt = clock.instant();
        return changed(team);
    }

    private TeamView changed(Team team) {
        teams.flush();
        snapshots.bump();
        outbox.publish(OnCallContracts.TEAM_UPDATED, team.id.toString(), eventData(team));
        return view(team, refs(new HashSet<>(team.memberIds)));
    }

    private static ProblemException nameTaken(Team existing) {
        return ProblemException.conflict("name", "a team named '" + existing.name + "' already exists"
                + (existing.archived() ? " (archived: unarchive it instead)" : ""));
    }

    /** The zone and the war-room URL, both named when wrong; returns the zone. */
    private static ZoneId validate(TeamRequest request) {
        Validation v = new Validation();
        ZoneId zone = v.zone("timeZone", request.timeZone());
        if (request.warRoomUrl() != null && !request.warRoomUrl().isBlank()
                && !Validation.httpUrl(request.warRoomUrl().strip())) {
            v.add("warRoomUrl", "must be an absolute http or https URL with a host, such as https://meet.google.com/abc-defg-hij");
        }
        v.throwIfAny();
        return zone;
    }

    private void validateMembers(List<UUID> memberIds) {
        if (memberIds == null) {
            return;
        }
        Validation v = new Validation();
        Set<UUID> active = references.lockActive(References.Table.PERSON, memberIds);
        Set<UUID> known = new HashSet<>();
        people.findByIds(new HashSet<>(memberIds)).forEach(p -> known.add(p.id));
        Set<UUID> seen = new HashSet<>();
        for (int i = 0; i < memberIds.size(); i++) {
            if (!known.contains(memberIds.get(i))) {
                v.add("memberIds[" + i + "]", "is not a known person");
            } else if (!active.contains(memberIds.get(i))) {
                v.add("memberIds[" + i + "]", "is an archived person");
            } else if (!seen.add(memberIds.get(i))) {
                v.add("memberIds[" + i + "]", "is listed twice");
            }
        }
        v.throwIfAny();
    }

    private void apply(Team team, TeamRequest request, ZoneId zone) {
        team.name = request.name().strip();
        team.slackChannel = request.slackChannel() == null || request.slackChannel().isBlank() ? null : request.slackChannel();
        team.timeZone = zone.getId();
        if (request.warRoomUrl() != null) {
            team.warRoomUrl = request.warRoomUrl().isBlank() ? null : request.warRoomUrl().strip();
        }
        if (request.memberIds() != null) {
            team.memberIds.clear();
            team.memberIds.addAll(request.memberIds());
        }
        team.updatedAt = clock.instant();
    }

    private Map<UUID, PersonRef> refs(Set<UUID> ids) {
        Map<UUID, PersonRef> refs = new HashMap<>();
        for (Person p : people.findByIds(ids)) {
            refs.put(p.id, Refs.person(p));
        }
        return refs;
    }

    private static TeamView view(Team t, Map<UUID, PersonRef> refs) {
        return new TeamView(t.id, t.name, t.slackChannel, t.timeZone, t.warRoomUrl, List.copyOf(t.memberIds),
                t.memberIds.stream().map(refs::get).filter(java.util.Objects::nonNull).toList(), t.updatedAt,
                t.archivedAt, t.archivedBy, t.version);
    }

    /** The {@code data} of this kind's created/updated events (the contract's record). */
    static TeamChanged eventData(Team p) {
        return new TeamChanged(p.id, p.name, p.slackChannel, p.timeZone, p.warRoomUrl, List.copyOf(p.memberIds),
                p.updatedAt, p.archived(), p.archivedAt, p.version);
    }
}

package dev.toban.incident.lifecycle;

import static dev.toban.incident.lifecycle.IncidentChecks.blankToNull;
import static dev.toban.incident.lifecycle.IncidentChecks.requireNotClosed;

import dev.toban.contracts.Actor;
import dev.toban.contracts.PersonRef;
import dev.toban.contracts.TeamRef;
import dev.toban.contracts.incident.IncidentContracts.Assigned;
import dev.toban.contracts.incident.IncidentContracts.RoleChanged;
import dev.toban.contracts.incident.IncidentSnapshot;
import dev.toban.incident.commander.CommanderAssignment;
import dev.toban.incident.directory.ActorService;
import dev.toban.incident.directory.PeopleDirectoryService;
import dev.toban.incident.directory.TeamDirectoryService;
import dev.toban.incident.model.Incident;
import dev.toban.incident.model.IncidentResponder;
import dev.toban.incident.model.IncidentResponderRepository;
import dev.toban.incident.model.IncidentTeam;
import dev.toban.incident.model.IncidentTeamRepository;
import dev.toban.incident.model.Person;
import dev.toban.incident.model.Sql;
import dev.toban.plumbing.input.SingleLine;
import dev.toban.plumbing.problem.ProblemException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/**
 * Who works on the incident: the Incident Commander handed over by hand, the communications liaison, the
 * responders and the assigned teams (one of them owning), and the "time to assign" they complete. The IC
 * named automatically from the on-call is {@link CommanderAssignment}'s.
 */
@ApplicationScoped
public class IncidentRoles {

    private final IncidentTeamRepository incidentTeams;
    private final IncidentResponderRepository responders;
    private final PeopleDirectoryService people;
    private final TeamDirectoryService teams;
    private final IncidentTimeline timeline;
    private final IncidentEvents events;
    private final IncidentSnapshots snapshots;
    private final ActorService actors;
    private final IncidentChecks checks;
    private final Sql sql;

    public IncidentRoles(IncidentTeamRepository incidentTeams, IncidentResponderRepository responders,
                         PeopleDirectoryService people, TeamDirectoryService teams, IncidentTimeline timeline,
                         IncidentEvents events, IncidentSnapshots snapshots, ActorService actors,
                         IncidentChecks checks, Sql sql) {
        this.incidentTeams = incidentTeams;
        this.responders = responders;
        this.people = people;
        this.teams = teams;
        this.timeline = timeline;
        this.events = events;
        this.snapshots = snapshots;
        this.actors = actors;
        this.checks = checks;
        this.sql = sql;
    }

    /** A person by id or by username; for joining as responder, neither means "me". */
    public record PersonRequest(UUID personId, @SingleLine @Size(max = 100) String username) {
    }

    public record TeamAssignmentRequest(@NotNull UUID teamId, Boolean owning) {
    }

    @Transactional
    public IncidentSnapshot setCommander(UUID id, PersonRequest body) {
        Person person = person(body, false);
        Incident incident = checks.lock(id);
        requireNotClosed(incident);
        checks.requireCommanderOrAdmin(incident, "hand the Incident Commander role over");
        if (person.id.equals(incident.commanderId)) {
            return snapshots.of(incident);
        }
        Actor actor = actors.current();
        PersonRef previous = people.ref(incident.commanderId);
        PersonRef next = PeopleDirectoryService.refOf(person);
        incident.commanderId = person.id;
        sql.update("delete from commander_job where incident_id = ?", incident.id);
        timeline.add(incident.id, "role_changed", actor, previous == null
                        ? actor.display() + " made " + person.name + " the Incident Commander"
                        : actor.display() + " handed the Incident Commander role from " + CommanderAssignment.name(previous)
                        + " to " + person.name,
                roleData("commander", next, previous, "set"));
        events.publish(IncidentEvents.ROLE_CHANGED, incident,
                s -> new RoleChanged(s, actor, "commander", next, previous, "set"));
        return snapshots.of(incident);
    }

    @Transactional
    public IncidentSnapshot setLiaison(UUID id, PersonRequest body) {
        Person person = person(body, false);
        Incident incident = checks.lock(id);
        requireNotClosed(incident);
        if (person.id.equals(incident.liaisonId)) {
            return snapshots.of(incident);
        }
        Actor actor = actors.current();
        PersonRef previous = people.ref(incident.liaisonId);
        PersonRef next = PeopleDirectoryService.refOf(person);
        incident.liaisonId = person.id;
        timeline.add(incident.id, "role_changed", actor, actor.display() + " made " + person.name
                + " the communications liaison", roleData("liaison", next, previous, "set"));
        events.publish(IncidentEvents.ROLE_CHANGED, incident,
                s -> new RoleChanged(s, actor, "liaison", next, previous, "set"));
        return snapshots.of(incident);
    }

    @Transactional
    public IncidentSnapshot removeLiaison(UUID id) {
        Incident incident = checks.lock(id);
        requireNotClosed(incident);
        if (incident.liaisonId == null) {
            return snapshots.of(incident);
        }
        Actor actor = actors.current();
        PersonRef removed = people.ref(incident.liaisonId);
        incident.liaisonId = null;
        timeline.add(incident.id, "role_changed", actor, actor.display() + " removed "
                + CommanderAssignment.name(removed) + " as communications liaison", roleData("liaison", removed, null, "removed"));
        events.publish(IncidentEvents.ROLE_CHANGED, incident,
                s -> new RoleChanged(s, actor, "liaison", removed, null, "removed"));
        return snapshots.of(incident);
    }

    @Transactional
    public IncidentSnapshot addResponder(UUID id, PersonRequest body) {
        Person person = person(body, true);
        Incident incident = checks.lock(id);
        requireNotClosed(incident);
        if (responders.find(incident.id, person.id).isPresent()) {
            return snapshots.of(incident);
        }
        Actor actor = actors.current();
        IncidentResponder responder = new IncidentResponder();
        responder.id = UUID.randomUUID();
        responder.incidentId = incident.id;
        responder.personId = person.id;
        responder.joinedAt = Instant.now();
        responders.persist(responder);
        PersonRef ref = PeopleDirectoryService.refOf(person);
        timeline.add(incident.id, "role_changed", actor, person.id.equals(actor.personId())
                ? person.name + " joined as responder" : actor.display() + " added " + person.name + " as responder",
                roleData("responder", ref, null, "added"));
        checkAssigned(incident, actor);
        events.publish(IncidentEvents.ROLE_CHANGED, incident,
                s -> new RoleChanged(s, actor, "responder", ref, null, "added"));
        return snapshots.of(incident);
    }

    @Transactional
    public IncidentSnapshot removeResponder(UUID id, UUID personId) {
        Incident incident = checks.lock(id);
        requireNotClosed(incident);
        IncidentResponder responder = responders.find(incident.id, personId)
                .orElseThrow(() -> ProblemException.notFound("Responder", personId));
        Actor actor = actors.current();
        responders.delete(responder);
        PersonRef ref = people.ref(personId);
        timeline.add(incident.id, "role_changed", actor, actor.display() + " removed " + CommanderAssignment.name(ref)
                + " from the responders", roleData("responder", ref, null, "removed"));
        events.publish(IncidentEvents.ROLE_CHANGED, incident,
                s -> new RoleChanged(s, actor, "responder", ref, null, "removed"));
        return snapshots.of(incident);
    }

    @Transactional
    public IncidentSnapshot assignTeam(UUID id, TeamAssignmentRequest body) {
        if (!teams.exists(body.teamId())) {
            throw ProblemException.invalid("teamId", "is not a team known to Toban (oncall-service has not announced it)");
        }
        if (!teams.active(body.teamId())) {
            throw ProblemException.invalid("teamId", "is an archived team of oncall-service");
        }
        boolean owning = Boolean.TRUE.equals(body.owning());
        Incident incident = checks.lock(id);
        requireNotClosed(incident);
        boolean alreadyAssigned = incidentTeams.assigned(incident.id, body.teamId());
        boolean owningChanges = owning && !body.teamId().equals(incident.owningTeamId);
        if (alreadyAssigned && !owningChanges) {
            return snapshots.of(incident);
        }
        Actor actor = actors.current();
        TeamRef team = teams.ref(body.teamId());
        if (owningChanges) {
            TeamRef previous = teams.ref(incident.owningTeamId);
            incident.owningTeamId = body.teamId();
            timeline.add(incident.id, "owning_team_changed", actor, actor.display() + " made " + team.name()
                            + " the owning team" + (previous == null ? "" : " (was " + previous.name() + ")"),
                    Map.of("team", team));
        }
        if (!alreadyAssigned) {
            IncidentTeam assignment = new IncidentTeam();
            assignment.id = UUID.randomUUID();
            assignment.incidentId = incident.id;
            assignment.teamId = body.teamId();
            assignment.assignedAt = Instant.now();
            incidentTeams.persist(assignment);
            timeline.add(incident.id, "team_assigned", actor, actor.display() + " assigned " + team.name(),
                    Map.of("team", team, "owning", body.teamId().equals(incident.owningTeamId)));
        }
        checkAssigned(incident, actor);
        events.publish(IncidentEvents.ASSIGNED, incident, s -> new Assigned(s, actor, team));
        return snapshots.of(incident);
    }

    // ------------------------------------------------------------------ helpers

    /**
     * Time to assign: the owning team is among the assigned teams and a member of it (per oncall-service's
     * team) has joined as responder. Set once, the first time both hold.
     */
    private void checkAssigned(Incident incident, Actor actor) {
        if (incident.assignedAt != null || incident.owningTeamId == null
                || !incidentTeams.assigned(incident.id, incident.owningTeamId)) {
            return;
        }
        boolean memberJoined = !sql.query("""
                select 1 from incident_responder r join team_member m on m.person_id = r.person_id
                where r.incident_id = ? and m.team_id = ? limit 1""", incident.id, incident.owningTeamId).isEmpty();
        if (!memberJoined) {
            return;
        }
        Instant now = Instant.now();
        incident.assignedAt = now;
        TeamRef team = teams.ref(incident.owningTeamId);
        timeline.add(incident.id, "owning_team_engaged", actor, team.name() + " is assigned and one of its engineers"
                + " has joined, " + Duration.between(incident.createdAt, now).toSeconds() + " s after the incident opened",
                Map.of("team", team));
    }

    /** The person a request names; with {@code selfIfEmpty}, the caller when it names nobody. */
    private Person person(PersonRequest body, boolean selfIfEmpty) {
        UUID id = body == null ? null : body.personId();
        String username = body == null ? null : blankToNull(body.username());
        if (id == null && username == null) {
            if (selfIfEmpty) {
                return actors.currentPerson().orElseThrow(() -> ProblemException.invalid("personId",
                        "is required: you (" + actors.username() + ") are not in the people directory"));
            }
            throw ProblemException.invalid("personId", "name a person by personId or username");
        }
        if (id != null) {
            return people.find(id).orElseThrow(() -> ProblemException.invalid("personId", "is not a known person"));
        }
        return people.byUsername(username).orElseThrow(() -> ProblemException.invalid("username", "is not a known person"));
    }

    private static Map<String, Object> roleData(String role, PersonRef person, PersonRef previous, String change) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("role", role);
        data.put("person", person);
        data.put("previous", previous);
        data.put("change", change);
        return data;
    }
}

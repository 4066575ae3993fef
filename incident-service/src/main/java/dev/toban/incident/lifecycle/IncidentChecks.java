package dev.toban.incident.lifecycle;

import dev.toban.contracts.incident.IncidentState;
import dev.toban.incident.commander.CommanderAssignment;
import dev.toban.incident.directory.ActorService;
import dev.toban.incident.directory.PeopleDirectoryService;
import dev.toban.incident.model.Incident;
import dev.toban.incident.model.IncidentRepository;
import dev.toban.plumbing.problem.ProblemException;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.UUID;

/**
 * What every incident command does first: lock the incident row and check that the command may run. Shared by
 * {@link IncidentTransitions}, {@link IncidentUpdates} and {@link IncidentRoles} so the three refuse the same way.
 */
@ApplicationScoped
public class IncidentChecks {

    private final IncidentRepository incidents;
    private final ActorService actors;
    private final PeopleDirectoryService people;

    public IncidentChecks(IncidentRepository incidents, ActorService actors, PeopleDirectoryService people) {
        this.incidents = incidents;
        this.actors = actors;
        this.people = people;
    }

    /** The incident, its row locked for the rest of the caller's transaction; 404 when there is none. */
    Incident lock(UUID id) {
        return incidents.lock(id).orElseThrow(() -> ProblemException.notFound("Incident", id));
    }

    static void requireNotClosed(Incident incident) {
        if (incident.state == IncidentState.CLOSED) {
            throw ProblemException.conflict("state", "the incident is closed; reopen it first");
        }
    }

    void requireCommanderOrAdmin(Incident incident, String what) {
        if (incident.commanderId == null || actors.isAdmin()) {
            return;
        }
        boolean isCommander = actors.currentPerson().map(p -> p.id.equals(incident.commanderId)).orElse(false);
        if (!isCommander) {
            throw ProblemException.forbidden("Only the Incident Commander (" + CommanderAssignment.name(
                    people.ref(incident.commanderId)) + ") or an admin may " + what);
        }
    }

    static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.strip();
    }
}

package dev.toban.incident.lifecycle;

import dev.toban.contracts.PersonRef;
import dev.toban.contracts.TeamRef;
import dev.toban.contracts.incident.IncidentSnapshot;
import dev.toban.contracts.incident.ServiceRef;
import dev.toban.contracts.incident.SlackThread;
import dev.toban.incident.config.PublicLinks;
import dev.toban.incident.directory.PeopleDirectoryService;
import dev.toban.incident.directory.TeamDirectoryService;
import dev.toban.incident.model.Incident;
import dev.toban.incident.model.IncidentResponderRepository;
import dev.toban.incident.model.IncidentTeamRepository;
import dev.toban.incident.model.TechnicalService;
import dev.toban.incident.model.TechnicalServiceRepository;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.FlushModeType;
import java.util.List;
import java.util.UUID;

/** Builds the IncidentSnapshot that every event and {@code GET /api/incidents/{id}} carry. */
@ApplicationScoped
public class IncidentSnapshots {

    private final TechnicalServiceRepository services;
    private final IncidentTeamRepository incidentTeams;
    private final IncidentResponderRepository responders;
    private final TeamDirectoryService teams;
    private final PeopleDirectoryService people;
    private final PublicLinks links;

    public IncidentSnapshots(TechnicalServiceRepository services, IncidentTeamRepository incidentTeams,
                             IncidentResponderRepository responders, TeamDirectoryService teams,
                             PeopleDirectoryService people, PublicLinks links) {
        this.services = services;
        this.incidentTeams = incidentTeams;
        this.responders = responders;
        this.teams = teams;
        this.people = people;
        this.links = links;
    }

    public IncidentSnapshot of(Incident i) {
        return of(i, incidentTeams.teamIds(i.id, FlushModeType.AUTO), responders.personIds(i.id, FlushModeType.AUTO));
    }

    /** {@link #of} right after a flush: nothing is pending, so its reads need no flush of their own. */
    IncidentSnapshot ofFlushed(Incident i) {
        return of(i, incidentTeams.teamIds(i.id, FlushModeType.COMMIT), responders.personIds(i.id, FlushModeType.COMMIT));
    }

    /** {@link #of} for an incident known to have no assigned team and no responder: nothing to read for them. */
    IncidentSnapshot ofUnstaffed(Incident i) {
        return of(i, List.of(), List.of());
    }

    private IncidentSnapshot of(Incident i, List<UUID> teamIds, List<UUID> personIds) {
        TechnicalService service = services.findById(i.serviceId);
        ServiceRef serviceRef = service == null
                ? new ServiceRef(i.serviceId, null, null, null)
                : new ServiceRef(service.id, service.name, service.runbookUrl, service.slackChannel);
        List<TeamRef> assigned = teamIds.stream().map(teams::ref).toList();
        List<PersonRef> joined = personIds.stream().map(people::ref).toList();
        SlackThread thread = i.slackTs == null ? null
                : new SlackThread(i.slackChannel, i.slackTs, i.slackPermalink);
        return new IncidentSnapshot(i.id, i.number, i.title, i.severity, i.state, i.impact, i.source, serviceRef,
                teams.ref(i.owningTeamId), assigned, people.ref(i.commanderId), people.ref(i.liaisonId), joined,
                i.warRoomUrl, thread, url(i), i.problemStartedAt, i.createdAt, i.acknowledgedAt, i.assignedAt,
                i.mitigatedAt, i.resolvedAt, i.closedAt, i.version);
    }

    /** The incident's page: {@code <public URL>/ui/incidents/<id>} (the IC console). */
    public String url(Incident i) {
        return links.incident(i.id);
    }
}

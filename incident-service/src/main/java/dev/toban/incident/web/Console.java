package dev.toban.incident.web;

import dev.toban.incident.model.IncidentState;
import dev.toban.incident.service.IncidentDetails;
import dev.toban.incident.service.IncidentSnapshot;
import dev.toban.incident.service.PersonRef;
import dev.toban.incident.service.TeamRef;
import dev.toban.incident.service.TimelineService;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * What the IC console shows about one incident: the snapshot, the timeline newest first, and the IC's
 * duty checklist of the seed, each duty ticked from the incident's actual state and timeline.
 */
public record Console(IncidentSnapshot incident, List<Line> timeline, List<Duty> duties, Instant nextUpdateDue,
                      boolean updateOverdue) {

    /** One timeline line. */
    public record Line(Instant at, String kind, String who, String message) {
    }

    /** One duty of the IC; {@code key} names its texts (console.duty.<key> and .hint). */
    public record Duty(String key, boolean done) {
    }

    static Console of(IncidentDetails details, List<TimelineService.Entry> entries, Instant nextUpdateDue, Instant now) {
        IncidentSnapshot i = details.incident();
        List<Line> lines = entries.stream()
                .map(e -> new Line(e.at(), e.kind(), who(e), e.message()))
                .sorted((a, b) -> b.at().compareTo(a.at()))
                .toList();
        boolean updates = entries.stream().anyMatch(e -> "status_update".equals(e.kind()));
        boolean overdue = i.state().isOpen() && nextUpdateDue != null && nextUpdateDue.isBefore(now);
        boolean owningAssigned = i.owningTeam() != null
                && i.assignedTeams().stream().map(TeamRef::id).anyMatch(i.owningTeam().id()::equals);
        boolean recovered = i.mitigatedAt() != null && i.state() != IncidentState.TRIGGERED;
        List<Duty> duties = List.of(
                // the thread is opened by notify-service; people "gathered" = someone joined the response
                new Duty("gather", i.slackThread() != null || !i.responders().isEmpty()),
                new Duty("owningTeam", owningAssigned),
                new Duty("updates", updates && !overdue),
                new Duty("impact", i.impact() != null && recovered),
                new Duty("disband", i.state() == IncidentState.CLOSED),
                // decided in postmortem-service, which incident-service does not hear from
                new Duty("postmortem", false));
        return new Console(i, lines, duties, nextUpdateDue, overdue);
    }

    private static String who(TimelineService.Entry e) {
        if (e.actor() == null) {
            return "";
        }
        String name = e.actor().path("name").asText(null);
        return name != null ? name : e.actor().path("username").asText("");
    }

    public boolean triggered() {
        return incident.state() == IncidentState.TRIGGERED;
    }

    public boolean canMitigate() {
        return incident.state() == IncidentState.TRIGGERED || incident.state() == IncidentState.ACKNOWLEDGED;
    }

    public boolean open() {
        return incident.state().isOpen();
    }

    public boolean resolved() {
        return incident.state() == IncidentState.RESOLVED;
    }

    public boolean closed() {
        return incident.state() == IncidentState.CLOSED;
    }

    public long dutiesDone() {
        return duties.stream().filter(Duty::done).count();
    }

    /** Where to follow the incident on Slack: the thread's permalink, else the service's channel. */
    public String slackUrl() {
        if (incident.slackThread() != null && incident.slackThread().permalink() != null) {
            return incident.slackThread().permalink();
        }
        return null;
    }

    public String slackChannel() {
        if (incident.slackThread() != null) {
            return incident.slackThread().channel();
        }
        return incident.service() == null ? null : incident.service().slackChannel();
    }

    public boolean isCommander(UUID personId) {
        return personId != null && incident.commander() != null && personId.equals(incident.commander().id());
    }

    public static String name(PersonRef person) {
        return person == null ? null : person.name() != null ? person.name() : person.username();
    }
}

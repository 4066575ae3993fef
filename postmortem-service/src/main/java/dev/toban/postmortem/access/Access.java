package dev.toban.postmortem.access;

import dev.toban.contracts.incident.IncidentSnapshot;
import dev.toban.plumbing.problem.ProblemException;
import dev.toban.postmortem.model.Participant;
import dev.toban.postmortem.model.Postmortem;
import dev.toban.postmortem.model.PostmortemState;
import java.util.List;

/**
 * Who may do what with a postmortem. viewer: read published postmortems. responder (and Toban's
 * services): read all. responder: edit (document, action items) the ones they took part in.
 * The organiser (the incident's commander) or an admin: decide, schedule, manage participants,
 * mark held and publish.
 * admin: everything, including skipping a required postmortem.
 */
public final class Access {

    private Access() {
    }

    public static boolean canRead(Postmortem p, Requester caller) {
        return caller.readsAll() || p.state == PostmortemState.PUBLISHED;
    }

    /** Unpublished postmortems do not exist for a viewer's API calls; the pages say "not published yet". */
    public static void requireRead(Postmortem p, Requester caller) {
        if (!canRead(p, caller)) {
            throw new NotPublishedException(p.id);
        }
    }

    public static boolean tookPart(Postmortem p, IncidentSnapshot incident, List<Participant> participants,
                                   String username) {
        if (username == null) {
            return false;
        }
        return incident.involves(username)
                || participants.stream().anyMatch(x -> !x.removed && username.equals(x.username));
    }

    public static boolean canEdit(Postmortem p, IncidentSnapshot incident, List<Participant> participants, Requester caller) {
        return caller.admin() || (caller.responder() && tookPart(p, incident, participants, caller.username()));
    }

    public static boolean isOrganiser(IncidentSnapshot incident, Requester caller) {
        return incident.commander() != null && caller.username() != null
                && caller.username().equals(incident.commander().username());
    }

    public static boolean canOrganise(IncidentSnapshot incident, Requester caller) {
        return caller.admin() || (caller.responder() && isOrganiser(incident, caller));
    }

    public static void requireEdit(Postmortem p, IncidentSnapshot incident, List<Participant> participants, Requester caller) {
        requireRead(p, caller);
        if (!canEdit(p, incident, participants, caller)) {
            throw ProblemException.forbidden("Only the people who took part in incident #" + p.incidentNumber
                    + " (commander, liaison, responders, participants) or an admin may edit this postmortem");
        }
    }

    public static void requireOrganise(Postmortem p, IncidentSnapshot incident, Requester caller) {
        requireRead(p, caller);
        if (!canOrganise(incident, caller)) {
            throw ProblemException.forbidden("Only the incident commander"
                    + (incident.commander() == null ? "" : " (" + incident.commander().username() + ")")
                    + " or an admin may do this");
        }
    }
}

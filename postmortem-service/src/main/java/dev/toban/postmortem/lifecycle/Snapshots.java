package dev.toban.postmortem.lifecycle;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.toban.contracts.TeamRef;
import dev.toban.contracts.incident.IncidentSnapshot;
import dev.toban.plumbing.web.WebConfig;
import dev.toban.postmortem.model.Meeting;
import dev.toban.postmortem.model.MeetingRepository;
import dev.toban.postmortem.model.Participant;
import dev.toban.postmortem.model.ParticipantRepository;
import dev.toban.postmortem.model.Postmortem;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.List;

/** Turns entities into the snapshots the API returns and the events carry. */
@ApplicationScoped
public class Snapshots {

    private final ObjectMapper mapper;
    private final MeetingRepository meetings;
    private final ParticipantRepository participants;
    private final WebConfig web;

    public Snapshots(ObjectMapper mapper, MeetingRepository meetings, ParticipantRepository participants, WebConfig web) {
        this.mapper = mapper;
        this.meetings = meetings;
        this.participants = participants;
        this.web = web;
    }

    public IncidentSnapshot incident(Postmortem p) {
        try {
            return mapper.readValue(p.incidentSnapshot, IncidentSnapshot.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored incident snapshot of postmortem " + p.id + " is not readable", e);
        }
    }

    /**
     * The postmortem's page under this service's public base URL ({@code toban.web.links.postmortem}, env
     * {@code TOBAN_POSTMORTEM_PUBLIC_URL}): the link of invitations, events and messages.
     */
    public String url(Postmortem p) {
        return base(web.links().postmortem()) + "/ui/postmortems/" + p.id;
    }

    /** The document as Markdown, for people signed in to the pages (the API's copy needs a bearer token). */
    public String markdownUrl(Postmortem p) {
        return url(p) + "/document.md";
    }

    /**
     * The incident's IC console under incident-service's public base URL. Not the snapshot's {@code url}: that
     * is what incident-service wrote, and it once pointed at a path no browser could open.
     */
    public String incidentUrl(Postmortem p) {
        return p.incidentId == null ? null : base(web.links().incident()) + "/ui/incidents/" + p.incidentId;
    }

    private static String base(String url) {
        String s = url.strip();
        while (s.endsWith("/")) {
            s = s.substring(0, s.length() - 1);
        }
        return s;
    }

    public Views.PostmortemSnapshot of(Postmortem p) {
        Views.MeetingView meeting = meetings.currentOf(p.id).map(m -> meeting(m, participants.activeOf(p.id))).orElse(null);
        return of(p, meeting);
    }

    public Views.PostmortemSnapshot of(Postmortem p, Views.MeetingView meeting) {
        IncidentSnapshot incident = incident(p);
        TeamRef team = p.owningTeamId == null ? null
                : new TeamRef(p.owningTeamId, p.owningTeamName, p.owningTeamSlackChannel, p.timeZone);
        Views.SlackThread thread = p.slackThreadTs == null ? null : new Views.SlackThread(p.slackThreadChannel, p.slackThreadTs);
        return new Views.PostmortemSnapshot(p.id, p.incidentId, p.incidentNumber, title(p), p.severity, p.state,
                p.required, p.decisionDueAt, p.decision, p.skipReason, meeting, team, thread, url(p),
                p.incidentTitle, p.incidentState, p.incidentReopened, incidentUrl(p), incident.commander(), p.timeZone,
                p.decidedBy, p.decidedAt, p.heldAt, p.publishedAt, p.createdAt, p.updatedAt, p.version);
    }

    public static String title(Postmortem p) {
        return "Postmortem: " + p.incidentTitle;
    }

    public Views.MeetingView meeting(Meeting m, List<Participant> active) {
        List<Views.Attendee> attendees = active.stream().filter(x -> x.email != null)
                .map(x -> new Views.Attendee(x.displayName(), x.email)).toList();
        return new Views.MeetingView(m.id, m.start, m.end, m.timeZone, m.uid, m.sequence, attendees, m.location,
                m.status, new Views.Attendee(m.organizerName, m.organizerEmail));
    }

    /**
     * The three parts of downtime, one definition everywhere (docs/architecture.md, "Downtime"): detect =
     * first signal (the problem started) to the incident (created); assign = the incident to the IC's
     * acknowledgement; mitigate = the acknowledgement to mitigation (or resolution, when it was never
     * mitigated on its own); total = first signal to mitigation. Each boundary is taken in whole seconds and
     * never before the previous one, so the parts always add up to the total. An incident mitigated without
     * an explicit acknowledgement counts as acknowledged when it was mitigated. A part whose end is not known
     * yet is null, and so is every part after it and the total.
     */
    public static Views.Downtime downtime(Postmortem p) {
        Instant created = p.incidentCreatedAt;
        if (created == null) {
            return new Views.Downtime(null, null, null, null);
        }
        // no first signal known (an incident declared by hand): detection took no time
        Instant signal = p.problemStartedAt == null || p.problemStartedAt.isAfter(created) ? created : p.problemStartedAt;
        Instant recovered = p.mitigatedAt != null ? p.mitigatedAt : p.resolvedAt;
        long t0 = signal.getEpochSecond();
        long t1 = Math.max(t0, created.getEpochSecond());
        Instant acknowledged = p.acknowledgedAt != null ? p.acknowledgedAt : recovered;
        Long t2 = acknowledged == null ? null : Math.max(t1, acknowledged.getEpochSecond());
        Long t3 = t2 == null || recovered == null ? null : Math.max(t2, recovered.getEpochSecond());
        return new Views.Downtime(t1 - t0, t2 == null ? null : t2 - t1, t3 == null ? null : t3 - t2,
                t3 == null ? null : t3 - t0);
    }
}

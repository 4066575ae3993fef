package dev.toban.postmortem.service;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.toban.postmortem.config.PostmortemConfig;
import dev.toban.postmortem.model.Meeting;
import dev.toban.postmortem.model.MeetingRepository;
import dev.toban.postmortem.model.Participant;
import dev.toban.postmortem.model.ParticipantRepository;
import dev.toban.postmortem.model.Postmortem;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/** Turns entities into the snapshots the API returns and the events carry. */
@ApplicationScoped
public class Snapshots {

    private final ObjectMapper mapper;
    private final MeetingRepository meetings;
    private final ParticipantRepository participants;
    private final PostmortemConfig config;

    public Snapshots(ObjectMapper mapper, MeetingRepository meetings, ParticipantRepository participants,
                     PostmortemConfig config) {
        this.mapper = mapper;
        this.meetings = meetings;
        this.participants = participants;
        this.config = config;
    }

    public IncidentSnapshot incident(Postmortem p) {
        try {
            return mapper.readValue(p.incidentSnapshot, IncidentSnapshot.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored incident snapshot of postmortem " + p.id + " is not readable", e);
        }
    }

    public String url(Postmortem p) {
        return base() + "/postmortems/" + p.id;
    }

    public String markdownUrl(Postmortem p) {
        return base() + "/api/postmortems/" + p.id + "/document.md";
    }

    private String base() {
        String url = config.publicUrl();
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
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
                p.incidentTitle, p.incidentState, p.incidentReopened, incident.url(), incident.commander(), p.timeZone,
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

    public static Views.Downtime downtime(Postmortem p) {
        Instant detected = p.incidentCreatedAt;
        Instant recovered = p.mitigatedAt != null ? p.mitigatedAt : p.resolvedAt;
        Long detect = seconds(p.problemStartedAt, detected);
        Long assign = seconds(detected, p.assignedAt);
        Long mitigate = seconds(p.assignedAt != null ? p.assignedAt : detected, recovered);
        Long total = seconds(p.problemStartedAt != null ? p.problemStartedAt : detected, recovered);
        return new Views.Downtime(detect, assign, mitigate, total);
    }

    /** Whole seconds from a to b; null when either is unknown or the clocks disagree (b before a). */
    static Long seconds(Instant a, Instant b) {
        if (a == null || b == null || b.isBefore(a)) {
            return null;
        }
        return Duration.between(a, b).toSeconds();
    }
}

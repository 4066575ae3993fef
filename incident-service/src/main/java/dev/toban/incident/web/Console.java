package dev.toban.incident.web;

import dev.toban.contracts.PersonRef;
import dev.toban.contracts.TeamRef;
import dev.toban.contracts.incident.IncidentSnapshot;
import dev.toban.contracts.incident.IncidentState;
import dev.toban.incident.lifecycle.AlertView;
import dev.toban.incident.lifecycle.IncidentDetails;
import dev.toban.incident.lifecycle.IncidentQueries.ConsoleFacts;
import dev.toban.incident.lifecycle.IncidentTimeline;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * What the IC console shows about one incident: the snapshot, the timeline newest first (in the reader's
 * language), the IC's duty checklist of the seed (each duty ticked from the incident's actual state, timeline and
 * postmortem decision), whom the escalation pages and the links to the service, policy and schedules.
 */
public record Console(IncidentSnapshot incident, List<Line> timeline, List<Duty> duties, Instant nextUpdateDue,
                      boolean updateOverdue, Paging paging, Postmortem postmortem, String teamWarRoom,
                      List<AlertView> alerts) {

    /** How many alerts the console lists (an alert storm can group thousands; the counts cover all). */
    static final int ALERTS_SHOWN = 100;

    /** One timeline line: who, and the sentence in the page's language. */
    public record Line(Instant at, String kind, String who, String text) {
    }

    /** One duty of the IC; {@code key} names its texts (console.duty.<key> and .hint). */
    public record Duty(String key, boolean done) {
    }

    /** Something of oncall-service shown by name with a link to its page. */
    public record Link(UUID id, String name) {
    }

    /**
     * The escalation: the policy and its schedules (names as oncall-service last gave them), the level last
     * paged and how many levels the policy has (null when not known here).
     */
    public record Paging(Link policy, List<Link> schedules, Integer level, Integer levels) {
        /** A next level exists, or it is not known whether one does (the service says so if not). */
        public boolean canEscalate() {
            return level == null || levels == null || level < levels;
        }
    }

    /** postmortem-service's decision about the incident's postmortem: {@code hold}, {@code skip} or null. */
    public record Postmortem(UUID id, String decision, String state) {
        public boolean decided() {
            return decision != null;
        }
    }

    static Console of(IncidentDetails details, List<IncidentTimeline.Entry> entries, ConsoleFacts facts, Paging paging,
                      String teamWarRoom, Instant now, TimelineTexts texts) {
        IncidentSnapshot i = details.incident();
        List<Line> lines = entries.stream()
                .map(e -> new Line(e.at(), e.kind(), texts.who(e), texts.text(e)))
                .sorted((a, b) -> b.at().compareTo(a.at()))
                .toList();
        Instant nextUpdateDue = facts.nextUpdateDueAt();
        boolean updates = entries.stream().anyMatch(e -> "status_update".equals(e.kind()));
        boolean overdue = i.state().isOpen() && nextUpdateDue != null && nextUpdateDue.isBefore(now);
        boolean owningAssigned = i.owningTeam() != null
                && i.assignedTeams().stream().map(TeamRef::id).anyMatch(i.owningTeam().id()::equals);
        boolean recovered = i.mitigatedAt() != null && i.state() != IncidentState.TRIGGERED;
        Postmortem postmortem = new Postmortem(facts.postmortemId(), facts.postmortemDecision(), facts.postmortemState());
        List<Duty> duties = List.of(
                // the thread is opened by notify-service; people "gathered" = someone joined the response
                new Duty("gather", i.slackThread() != null || !i.responders().isEmpty()),
                new Duty("owningTeam", owningAssigned),
                new Duty("updates", updates && !overdue),
                new Duty("impact", i.impact() != null && recovered),
                new Duty("disband", i.state() == IncidentState.CLOSED),
                // decided in postmortem-service: its toban.postmortem.* events tick it
                new Duty("postmortem", postmortem.decided()));
        return new Console(i, lines, duties, nextUpdateDue, overdue, paging, postmortem, teamWarRoom,
                details.alerts());
    }

    public int alertCount() {
        return alerts.size();
    }

    public long openAlertCount() {
        return alerts.stream().filter(a -> !"resolved".equals(a.status())).count();
    }

    public Instant alertsFirstSeen() {
        return alerts.stream().map(AlertView::createdAt).min(Instant::compareTo).orElse(null);
    }

    public Instant alertsLastSeen() {
        return alerts.stream().map(AlertView::lastEventAt).max(Instant::compareTo).orElse(null);
    }

    /** Open alerts first, then the newest: what an IC looks for in a storm. */
    public List<AlertView> shownAlerts() {
        return alerts.stream()
                .sorted(java.util.Comparator.comparing((AlertView a) -> "resolved".equals(a.status()))
                        .thenComparing(AlertView::lastEventAt, java.util.Comparator.reverseOrder()))
                .limit(ALERTS_SHOWN).toList();
    }

    public boolean moreAlerts() {
        return alerts.size() > ALERTS_SHOWN;
    }

    /** A grouped, unresolved alert of an open incident may be split off into its own incident. */
    public boolean canSplit(AlertView alert) {
        return open() && alert.grouped() && !"resolved".equals(alert.status());
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

    /** Resolved or disbanded: the IC may reopen it. */
    public boolean reopenable() {
        return resolved() || closed();
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

    /** The team's own room is offered when the incident's link is another one. */
    public boolean offerTeamWarRoom() {
        return teamWarRoom != null && !teamWarRoom.equals(incident.warRoomUrl());
    }

    public static String name(PersonRef person) {
        return person == null ? null : person.name() != null ? person.name() : person.username();
    }
}

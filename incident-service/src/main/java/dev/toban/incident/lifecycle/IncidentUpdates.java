package dev.toban.incident.lifecycle;

import static dev.toban.incident.lifecycle.IncidentChecks.blankToNull;
import static dev.toban.incident.lifecycle.IncidentChecks.requireNotClosed;

import dev.toban.contracts.Actor;
import dev.toban.contracts.incident.IncidentContracts.Change;
import dev.toban.contracts.incident.IncidentContracts.StatusUpdated;
import dev.toban.contracts.incident.IncidentContracts.Updated;
import dev.toban.contracts.incident.IncidentSnapshot;
import dev.toban.contracts.incident.Severity;
import dev.toban.incident.directory.ActorService;
import dev.toban.incident.model.Incident;
import dev.toban.incident.model.IncidentRepository;
import dev.toban.incident.model.Sql;
import dev.toban.plumbing.input.SingleLine;
import dev.toban.plumbing.problem.ProblemException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

/**
 * What the incident says, apart from its state and people: title, severity, impact and war room (PATCH), the
 * IC's status updates (which also set when the next one is due) and the Slack thread notify-service opened.
 * Same shape as every command: lock, check, change, timeline line and event in one transaction.
 */
@ApplicationScoped
public class IncidentUpdates {

    private final IncidentRepository incidents;
    private final IncidentTimeline timeline;
    private final IncidentEvents events;
    private final IncidentSnapshots snapshots;
    private final CadencePolicy cadence;
    private final CadenceService overdue;
    private final ActorService actors;
    private final IncidentChecks checks;
    private final Sql sql;

    public IncidentUpdates(IncidentRepository incidents, IncidentTimeline timeline, IncidentEvents events,
                           IncidentSnapshots snapshots, CadencePolicy cadence,
                           CadenceService overdue, ActorService actors,
                           IncidentChecks checks, Sql sql) {
        this.incidents = incidents;
        this.timeline = timeline;
        this.events = events;
        this.snapshots = snapshots;
        this.cadence = cadence;
        this.overdue = overdue;
        this.actors = actors;
        this.checks = checks;
        this.sql = sql;
    }

    /**
     * What PATCH changes; a null field stays as it is. {@code warRoomUrl} (added in issue 16) sets the incident's
     * war-room link (an http(s) URL).
     */
    public record UpdateRequest(@SingleLine @Size(min = 1, max = 1024) String title, Severity severity,
                                @Size(max = 4000) String impact,
                                @SingleLine @Size(max = 2000)
                                @Pattern(regexp = "^https?://[^\\s/]+\\S*$", message = "must be an http(s) URL")
                                String warRoomUrl) {

        public UpdateRequest(String title, Severity severity, String impact) {
            this(title, severity, impact, null);
        }
    }

    /**
     * A status update. Optional (issue 17, the Slack modal's fields): {@code impact}, the business impact recorded
     * with it (blank or null: unchanged; the same "updated" timeline line and event as PATCH, in the same
     * transaction), and {@code nextUpdateInMinutes}, when the next update is due instead of the severity's cadence.
     */
    public record StatusUpdateRequest(@NotBlank @Size(max = 4000) String message, @Size(max = 4000) String impact,
                                      @Min(1) @Max(1440) Integer nextUpdateInMinutes) {

        public StatusUpdateRequest(String message) {
            this(message, null, null);
        }
    }

    public record SlackThreadRequest(@NotBlank @SingleLine @Size(max = 100) String channel,
                                     @NotBlank @SingleLine @Size(max = 50) String ts,
                                     @SingleLine @Size(max = 2000) String permalink) {
    }

    @Transactional
    public IncidentSnapshot update(UUID id, UpdateRequest body) {
        if (body.title() == null && body.severity() == null && body.impact() == null && body.warRoomUrl() == null) {
            throw ProblemException.invalid("body", "name at least one of title, severity, impact, warRoomUrl");
        }
        Incident incident = checks.lock(id);
        requireNotClosed(incident);
        Actor actor = actors.current();
        Map<String, Object> changes = new LinkedHashMap<>();
        if (body.title() != null && !body.title().isBlank() && !body.title().strip().equals(incident.title)) {
            changes.put("title", change(incident.title, body.title().strip()));
            incident.title = body.title().strip();
        }
        if (body.severity() != null && body.severity() != incident.severity) {
            changes.put("severity", change(incident.severity, body.severity()));
            incident.severity = body.severity();
            if (incident.state.isOpen()) {
                Instant base = incident.lastStatusUpdateAt == null ? incident.createdAt : incident.lastStatusUpdateAt;
                Instant due = cadence.firstDue(incident.severity, base);
                incident.nextUpdateDueAt = overdue.watch(
                        due == null || due.isAfter(Instant.now()) ? due : Instant.now());
            }
        }
        if (body.impact() != null && !Objects.equals(blankToNull(body.impact()), incident.impact)) {
            changes.put("impact", change(incident.impact, blankToNull(body.impact())));
            incident.impact = blankToNull(body.impact());
        }
        if (body.warRoomUrl() != null && !body.warRoomUrl().isBlank()
                && !body.warRoomUrl().strip().equals(incident.warRoomUrl)) {
            changes.put("warRoomUrl", change(incident.warRoomUrl, body.warRoomUrl().strip()));
            incident.warRoomUrl = body.warRoomUrl().strip();
        }
        if (!changes.isEmpty()) {
            timeline.add(incident.id, "updated", actor, actor.display() + " changed " + String.join(", ", changes.keySet()),
                    changes);
            events.publish(IncidentEvents.UPDATED, incident, s -> new Updated(s, actor, typed(changes)));
        }
        return snapshots.of(incident);
    }

    @Transactional
    public IncidentSnapshot postStatusUpdate(UUID id, StatusUpdateRequest body) {
        Incident incident = checks.lock(id);
        requireNotClosed(incident);
        Actor actor = actors.current();
        Instant now = Instant.now();
        String message = body.message().strip();
        String impact = blankToNull(body.impact());
        if (impact != null && !impact.equals(incident.impact)) {
            Map<String, Object> changes = Map.of("impact", change(incident.impact, impact));
            incident.impact = impact;
            timeline.add(incident.id, "updated", actor, actor.display() + " changed impact", changes);
            events.publish(IncidentEvents.UPDATED, incident, s -> new Updated(s, actor, typed(changes)));
        }
        incident.lastStatusUpdateAt = now;
        if (!incident.state.isOpen()) {
            incident.nextUpdateDueAt = null;
        } else if (body.nextUpdateInMinutes() != null) {
            incident.nextUpdateDueAt = overdue.watch(now.plus(Duration.ofMinutes(body.nextUpdateInMinutes())));
        } else {
            incident.nextUpdateDueAt = overdue.watch(cadence.firstDue(incident.severity, now));
        }
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("message", message);
        if (incident.nextUpdateDueAt != null) {
            data.put("nextUpdateAt", incident.nextUpdateDueAt);
        }
        timeline.add(incident.id, "status_update", actor, message, data);
        events.publish(IncidentEvents.STATUS_UPDATED, incident,
                s -> new StatusUpdated(s, actor, message, incident.nextUpdateDueAt));
        return snapshots.of(incident);
    }

    // ------------------------------------------------------------------ Slack thread

    @Transactional
    public IncidentSnapshot setSlackThread(UUID id, SlackThreadRequest body) {
        Incident incident = checks.lock(id);
        if (writeSlackThread(incident.id, incident.slackChannel, incident.slackTs, body.channel(), null, body.ts(),
                body.permalink(), actors.current())) {
            incidents.getEntityManager().refresh(incident);
        }
        return snapshots.of(incident);
    }

    /**
     * notify-service's thread ({@code toban.notify.slack_thread.created}); false when there is no such incident. The
     * row is locked as {@link IncidentRepository#lock} locks it (FOR NO KEY UPDATE), without loading the incident.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public boolean applySlackThread(UUID incidentId, String channel, String channelName, String ts, String permalink,
                                    Actor actor) {
        List<Sql.Row> row = sql.query("select slack_channel, slack_ts from incident where id = ? for no key update",
                incidentId);
        if (row.isEmpty()) {
            return false;
        }
        writeSlackThread(incidentId, row.get(0).string(0), row.get(0).string(1), channel, channelName, ts, permalink, actor);
        return true;
    }

    /** Writes the thread unless it is the one the incident has; true when it wrote. */
    private boolean writeSlackThread(UUID incidentId, String currentChannel, String currentTs, String channel,
                                     String channelName, String ts, String permalink, Actor actor) {
        if (ts.equals(currentTs) && channel.equals(currentChannel)) {
            return false;
        }
        // Bookkeeping, not a change anyone is told about: written past the entity so that its version,
        // which notify-service orders thread replies by, does not move without an event.
        sql.update("update incident set slack_channel = ?, slack_ts = ?, slack_permalink = ? where id = ?",
                channel, ts, permalink, incidentId);
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("channel", channel);
        if (channelName != null && !channelName.isBlank()) {
            data.put("channelName", channelName);
        }
        data.put("ts", ts);
        data.put("permalink", permalink);
        timeline.add(incidentId, "slack_thread", actor, "Slack thread started in " + channel, data);
        return true;
    }

    // ------------------------------------------------------------------ helpers

    /** The timeline's {from, to} changes as the event's: values as their wire strings (a severity's name). */
    private static Map<String, Change> typed(Map<String, Object> changes) {
        Map<String, Change> typed = new LinkedHashMap<>();
        changes.forEach((field, value) -> {
            Map<?, ?> fromTo = (Map<?, ?>) value;
            typed.put(field, new Change(wire(fromTo.get("from")), wire(fromTo.get("to"))));
        });
        return typed;
    }

    private static String wire(Object value) {
        return value == null ? null : value instanceof Enum<?> e ? e.name() : value.toString();
    }

    private static Map<String, Object> change(Object from, Object to) {
        Map<String, Object> change = new LinkedHashMap<>();
        change.put("from", from);
        change.put("to", to);
        return change;
    }
}

package dev.toban.contracts.incident;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import dev.toban.contracts.Actor;
import dev.toban.contracts.EventType;
import dev.toban.contracts.PersonRef;
import dev.toban.contracts.TeamRef;
import io.quarkus.runtime.annotations.RegisterForReflection;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * incident-service's events (exchange {@code toban.incident}, docs/events.md "incident-service"): each type with
 * the record of its {@code data}. Every data but {@code change_received} has {@code incident} and {@code actor}.
 */
public final class IncidentContracts {

    private IncidentContracts() {
    }

    public static final String PREFIX = "toban.incident.";

    public static final EventType<Triggered> TRIGGERED = EventType.of("toban.incident.triggered", 1, Triggered.class);
    public static final EventType<Acknowledged> ACKNOWLEDGED =
            EventType.of("toban.incident.acknowledged", 1, Acknowledged.class);
    public static final EventType<Escalated> ESCALATED = EventType.of("toban.incident.escalated", 1, Escalated.class);
    public static final EventType<Assigned> ASSIGNED = EventType.of("toban.incident.assigned", 1, Assigned.class);
    public static final EventType<RoleChanged> ROLE_CHANGED =
            EventType.of("toban.incident.role_changed", 1, RoleChanged.class);
    public static final EventType<StatusUpdated> STATUS_UPDATED =
            EventType.of("toban.incident.status_updated", 1, StatusUpdated.class);
    public static final EventType<Noted> MITIGATED = EventType.of("toban.incident.mitigated", 1, Noted.class);
    public static final EventType<Noted> RESOLVED = EventType.of("toban.incident.resolved", 1, Noted.class);
    public static final EventType<Noted> CLOSED = EventType.of("toban.incident.closed", 1, Noted.class);
    public static final EventType<Reopened> REOPENED = EventType.of("toban.incident.reopened", 1, Reopened.class);
    public static final EventType<UpdateOverdue> UPDATE_OVERDUE =
            EventType.of("toban.incident.update_overdue", 1, UpdateOverdue.class);
    public static final EventType<Updated> UPDATED = EventType.of("toban.incident.updated", 1, Updated.class);
    /** A roll-up of alerts grouped into the incident (at most one a minute per incident). */
    public static final EventType<AlertsGrouped> ALERTS_GROUPED =
            EventType.of("toban.incident.alerts_grouped", 1, AlertsGrouped.class);
    /** Every alert of a grouped incident has resolved; the incident stays open (the IC decides). */
    public static final EventType<AlertsResolved> ALERTS_RESOLVED =
            EventType.of("toban.incident.alerts_resolved", 1, AlertsResolved.class);
    /** A change event (a deploy, ...) of a service; not about an incident ({@code subject} is the service id). */
    public static final EventType<ChangeReceived> CHANGE_RECEIVED =
            EventType.of("toban.incident.change_received", 1, ChangeReceived.class);

    public static final List<EventType<?>> ALL = List.of(TRIGGERED, ACKNOWLEDGED, ESCALATED, ASSIGNED, ROLE_CHANGED,
            STATUS_UPDATED, MITIGATED, RESOLVED, CLOSED, REOPENED, UPDATE_OVERDUE, UPDATED, ALERTS_GROUPED,
            ALERTS_RESOLVED, CHANGE_RECEIVED);

    /** {@code escalated.reason} values. */
    public static final String REASON_TIMEOUT = "timeout";
    public static final String REASON_INITIAL = "initial";
    public static final String REASON_ESCALATE = "escalate";
    public static final String REASON_REPAGE = "repage";

    /** {@code triggered}: the incident's first alert (null when declared by hand) and whom to page at level 1. */
    @RegisterForReflection
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Triggered(IncidentSnapshot incident, Actor actor, AlertSummary alert, Page page)
            implements IncidentEventData {
    }

    /** {@code triggered.alert}. {@code links} is the alert's links as the source sent them. */
    @RegisterForReflection
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record AlertSummary(String summary, String source, String severity, String dedupKey, String component,
                               JsonNode links) {
    }

    /** {@code triggered.page}: the level paged and its people (the IC first). */
    @RegisterForReflection
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Page(int level, List<PersonRef> targets) {
    }

    @RegisterForReflection
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Acknowledged(IncidentSnapshot incident, Actor actor) implements IncidentEventData {
    }

    /** {@code escalated}: one step (level, repeat) of the policy and whom it pages; {@code reason} see REASON_*. */
    @RegisterForReflection
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Escalated(IncidentSnapshot incident, Actor actor, int level, int repeat, List<PersonRef> targets,
                            String reason) implements IncidentEventData {
    }

    @RegisterForReflection
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Assigned(IncidentSnapshot incident, Actor actor, TeamRef team) implements IncidentEventData {
    }

    /**
     * {@code role_changed}: {@code role} is commander, liaison or responder; {@code change} set, added or removed
     * ({@code person} is whom it is about, also when removed; {@code previous} the one replaced by a set).
     */
    @RegisterForReflection
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record RoleChanged(IncidentSnapshot incident, Actor actor, String role, PersonRef person,
                              PersonRef previous, String change) implements IncidentEventData {
    }

    /** {@code status_updated}: {@code nextUpdateAt} is absent (not null) when no update is due. */
    @RegisterForReflection
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record StatusUpdated(IncidentSnapshot incident, Actor actor, String message,
                                @JsonInclude(JsonInclude.Include.NON_NULL) Instant nextUpdateAt)
            implements IncidentEventData {
    }

    /** {@code mitigated}, {@code resolved} and {@code closed}: an optional note (null when none). */
    @RegisterForReflection
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Noted(IncidentSnapshot incident, Actor actor, String note) implements IncidentEventData {
    }

    @RegisterForReflection
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Reopened(IncidentSnapshot incident, Actor actor, String reason) implements IncidentEventData {
    }

    @RegisterForReflection
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record UpdateOverdue(IncidentSnapshot incident, Actor actor, Instant lastUpdateAt, long cadenceMinutes)
            implements IncidentEventData {
    }

    /** {@code updated}: the fields that changed (title, severity, impact, warRoomUrl), each from and to. */
    @RegisterForReflection
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Updated(IncidentSnapshot incident, Actor actor, Map<String, Change> changes)
            implements IncidentEventData {
    }

    @RegisterForReflection
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Change(String from, String to) {
    }

    @RegisterForReflection
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record AlertsGrouped(IncidentSnapshot incident, Actor actor, Rollup alerts) implements IncidentEventData {
    }

    /** Alerts grouped in since the last roll-up ({@code added}), the incident's alerts, the first few summaries. */
    @RegisterForReflection
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Rollup(int added, long total, long open, List<String> summaries) {
    }

    @RegisterForReflection
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record AlertsResolved(IncidentSnapshot incident, Actor actor, AlertCount alerts)
            implements IncidentEventData {
    }

    @RegisterForReflection
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record AlertCount(long total) {
    }

    /** {@code change_received}: no incident; the change, its service and the integration that sent it. */
    @RegisterForReflection
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record ChangeReceived(ChangeEvent change, ServiceRef service, Actor actor) {
    }

    /** {@code links} and {@code customDetails} are as the source sent them. */
    @RegisterForReflection
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record ChangeEvent(UUID id, String summary, String source, Instant timestamp, JsonNode links,
                              JsonNode customDetails) {
    }
}

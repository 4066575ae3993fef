package dev.toban.contracts.oncall;

import com.fasterxml.jackson.annotation.JsonFormat;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import dev.toban.contracts.EventType;
import dev.toban.contracts.PersonRef;
import dev.toban.contracts.TeamRef;
import io.quarkus.runtime.annotations.RegisterForReflection;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * oncall-service's events (exchange {@code toban.oncall}, docs/events.md "oncall-service"): each type with the
 * record of its {@code data}. Creating and changing share one record ({@code person.created|updated}, ...).
 */
public final class OnCallContracts {

    private OnCallContracts() {
    }

    public static final String PREFIX = "toban.oncall.";

    public static final EventType<PersonChanged> PERSON_CREATED =
            EventType.of("toban.oncall.person.created", 1, PersonChanged.class);
    public static final EventType<PersonChanged> PERSON_UPDATED =
            EventType.of("toban.oncall.person.updated", 1, PersonChanged.class);
    public static final EventType<TeamChanged> TEAM_CREATED =
            EventType.of("toban.oncall.team.created", 1, TeamChanged.class);
    public static final EventType<TeamChanged> TEAM_UPDATED =
            EventType.of("toban.oncall.team.updated", 1, TeamChanged.class);
    public static final EventType<ScheduleChanged> SCHEDULE_CREATED =
            EventType.of("toban.oncall.schedule.created", 1, ScheduleChanged.class);
    public static final EventType<ScheduleChanged> SCHEDULE_UPDATED =
            EventType.of("toban.oncall.schedule.updated", 1, ScheduleChanged.class);
    public static final EventType<OverrideChanged> OVERRIDE_CREATED =
            EventType.of("toban.oncall.override.created", 1, OverrideChanged.class);
    public static final EventType<OverrideChanged> OVERRIDE_DELETED =
            EventType.of("toban.oncall.override.deleted", 1, OverrideChanged.class);
    public static final EventType<PolicyChanged> POLICY_CREATED =
            EventType.of("toban.oncall.policy.created", 1, PolicyChanged.class);
    public static final EventType<PolicyChanged> POLICY_UPDATED =
            EventType.of("toban.oncall.policy.updated", 1, PolicyChanged.class);
    public static final EventType<CoverRequest> COVER_REQUESTED =
            EventType.of("toban.oncall.cover.requested", 1, CoverRequest.class);
    public static final EventType<CoverRequest> COVER_ACCEPTED =
            EventType.of("toban.oncall.cover.accepted", 1, CoverRequest.class);
    public static final EventType<CoverRequest> COVER_CANCELLED =
            EventType.of("toban.oncall.cover.cancelled", 1, CoverRequest.class);
    public static final EventType<Shift> SHIFT_UPCOMING = EventType.of("toban.oncall.shift.upcoming", 1, Shift.class);
    public static final EventType<Shift> SHIFT_STARTED = EventType.of("toban.oncall.shift.started", 1, Shift.class);
    public static final EventType<Shift> SHIFT_ENDED = EventType.of("toban.oncall.shift.ended", 1, Shift.class);
    public static final EventType<VerificationRequested> VERIFICATION_REQUESTED =
            EventType.of("toban.oncall.contact_method.verification_requested", 1, VerificationRequested.class);
    public static final EventType<TestRequested> TEST_REQUESTED =
            EventType.of("toban.oncall.contact_method.test_requested", 1, TestRequested.class);
    public static final EventType<ReachabilityFlagged> REACHABILITY_FLAGGED =
            EventType.of("toban.oncall.reachability.flagged", 1, ReachabilityFlagged.class);

    public static final List<EventType<?>> ALL = List.of(PERSON_CREATED, PERSON_UPDATED, TEAM_CREATED, TEAM_UPDATED,
            SCHEDULE_CREATED, SCHEDULE_UPDATED, OVERRIDE_CREATED, OVERRIDE_DELETED, POLICY_CREATED, POLICY_UPDATED,
            COVER_REQUESTED, COVER_ACCEPTED, COVER_CANCELLED, SHIFT_UPCOMING, SHIFT_STARTED, SHIFT_ENDED,
            VERIFICATION_REQUESTED, TEST_REQUESTED, REACHABILITY_FLAGGED);

    /**
     * {@code person.created|updated}. {@code roles}: realm roles in the order viewer, responder, admin ([] without a
     * login); null in an event older than issue 17 ("unknown"), and one name is read as a list of one.
     * {@code loginState}: active, disabled, deleted or null. {@code role}: a single role name that early producers
     * wrote; never written now (left out when null), still read. {@code version} is boxed so a consumer can tell
     * a missing one.
     */
    @RegisterForReflection
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record PersonChanged(UUID id, String name, String username, String email, String slackUserId,
                                String timeZone, String locale,
                                @JsonFormat(with = JsonFormat.Feature.ACCEPT_SINGLE_VALUE_AS_ARRAY) List<String> roles,
                                String loginState, boolean archived, Instant archivedAt, Long version,
                                @JsonInclude(JsonInclude.Include.NON_NULL) String role) {
    }

    /**
     * {@code team.created|updated}; {@code warRoomUrl} is the team's standing war room, or null. incident-service
     * also reads it for {@code team.archived|unarchived|restored}, should oncall-service ever publish those.
     */
    @RegisterForReflection
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record TeamChanged(UUID id, String name, String slackChannel, String timeZone, String warRoomUrl,
                              List<UUID> memberIds, Instant updatedAt, boolean archived, Instant archivedAt,
                              Long version) {
    }

    @RegisterForReflection
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record ScheduleChanged(UUID id, String name, UUID teamId, String role, String timeZone, boolean archived,
                                  Instant archivedAt, long version) {
    }

    @RegisterForReflection
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record OverrideChanged(UUID id, UUID scheduleId, PersonRef person, UUID replacesPersonId, Instant start,
                                  Instant end) {
    }

    @RegisterForReflection
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record PolicyChanged(UUID id, String name, boolean archived, Instant archivedAt, long version) {
    }

    /** A schedule inside cover events: no zone. */
    @RegisterForReflection
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record ScheduleName(UUID id, String name, String role) {
    }

    /** A schedule inside shift events. */
    @RegisterForReflection
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record ScheduleRef(UUID id, String name, String role, String timeZone) {
    }

    @RegisterForReflection
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record PolicyRef(UUID id, String name) {
    }

    /**
     * {@code cover.requested|accepted|cancelled}. {@code kind} cover or swap; {@code status} open, accepted or
     * cancelled; {@code target} null when anyone may accept.
     */
    @RegisterForReflection
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record CoverRequest(UUID id, String kind, ScheduleName schedule, TeamRef team, PersonRef requester,
                               PersonRef target, PersonRef acceptedBy, UUID overrideId, Instant start, Instant end,
                               Instant swapStart, Instant swapEnd, UUID swapOverrideId, String note, String status,
                               Instant createdAt, long version) {
    }

    /**
     * {@code shift.upcoming|started|ended} ({@code subject} is {@code shiftId}). {@code end} null when beyond the
     * rendered window; {@code reachable} null in events older than issue 18 ("unknown"); {@code maintenance} null
     * when incident-service could not be asked, and on {@code .ended}.
     */
    @RegisterForReflection
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Shift(String shiftId, ScheduleRef schedule, TeamRef team, PersonRef person, Instant start,
                        Instant end, List<OnCallWith> onCallWith, List<PolicyRef> escalationPolicies,
                        Boolean reachable, List<MaintenanceNote> maintenance) {
    }

    /** Someone else on call at the shift's start, in any schedule; {@code until} may be null. */
    @RegisterForReflection
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record OnCallWith(PersonRef person, ScheduleRef schedule, String teamName, Instant until) {
    }

    /** A maintenance window of incident-service during the shift; {@code start} null while it runs. */
    @RegisterForReflection
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record MaintenanceNote(String reason, String services, Instant start, Instant end, boolean active) {
    }

    /** A contact method inside contact-method events: {@code type} slack, email, sms, voice, push or webhook. */
    @RegisterForReflection
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record MethodRef(UUID id, String type, String address, String label) {
    }

    /** {@code contact_method.verification_requested}: the code to send through the (unverified) method. */
    @RegisterForReflection
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record VerificationRequested(PersonRef person, MethodRef contactMethod, String code, Instant expiresAt) {
    }

    /** {@code contact_method.test_requested}; {@code requestedBy} is the username of who asked. */
    @RegisterForReflection
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record TestRequested(PersonRef person, MethodRef contactMethod, String requestedBy) {
    }

    /** {@code reachability.flagged}: on call in these shifts with no verified way to be woken. */
    @RegisterForReflection
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record ReachabilityFlagged(PersonRef person, List<ShiftRef> shifts, String reason) {
    }

    @RegisterForReflection
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record ShiftRef(UUID scheduleId, String scheduleName, Instant start, Instant end) {
    }
}

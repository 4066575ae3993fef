package dev.toban.oncall.schedule;

import dev.toban.contracts.PersonRef;
import dev.toban.contracts.oncall.OnCallContracts.OverrideChanged;
import dev.toban.contracts.oncall.OnCallContracts;
import dev.toban.oncall.common.References;
import dev.toban.oncall.common.Refs;
import dev.toban.oncall.common.Validation;
import dev.toban.oncall.handoff.HandoffTicker;
import dev.toban.oncall.model.Person;
import dev.toban.oncall.model.PersonRepository;
import dev.toban.oncall.model.Schedule;
import dev.toban.oncall.model.ScheduleOverride;
import dev.toban.oncall.model.ScheduleOverrideRepository;
import dev.toban.oncall.model.ScheduleRepository;
import dev.toban.oncall.security.Caller;
import dev.toban.oncall.snapshot.OnCallSnapshots;
import dev.toban.plumbing.outbox.Outbox;
import dev.toban.plumbing.problem.ProblemException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/** Overrides: a person takes a time range on a schedule. Validated under a lock on the schedule row. */
@ApplicationScoped
public class OverrideService {

    public static final String OVERRIDE_CREATED = OnCallContracts.OVERRIDE_CREATED.name();
    public static final String OVERRIDE_DELETED = OnCallContracts.OVERRIDE_DELETED.name();
    static final Duration LONGEST = Duration.ofDays(366);

    private final ScheduleRepository schedules;
    private final ScheduleOverrideRepository overrides;
    private final PersonRepository people;
    private final Outbox outbox;
    private final Caller caller;
    private final HandoffTicker ticker;
    private final OnCallSnapshots snapshots;
    private final OnCallService onCall;
    private final References references;
    private final Clock clock;

    public OverrideService(ScheduleRepository schedules, ScheduleOverrideRepository overrides, PersonRepository people,
                           Outbox outbox, Caller caller, HandoffTicker ticker, OnCallSnapshots snapshots,
                           OnCallService onCall, References references, Clock clock) {
        this.schedules = schedules;
        this.overrides = overrides;
        this.people = people;
        this.outbox = outbox;
        this.caller = caller;
        this.ticker = ticker;
        this.snapshots = snapshots;
        this.onCall = onCall;
        this.references = references;
        this.clock = clock;
    }

    public record OverrideRequest(
            @NotNull UUID personId,
            UUID replacesPersonId,
            @NotNull Instant start,
            @NotNull Instant end,
            @Size(max = 500) String note) {
    }

    public record OverrideView(UUID id, UUID scheduleId, PersonRef person, UUID replacesPersonId, PersonRef replaces,
                               Instant start, Instant end, String note, UUID coverRequestId, String createdBy,
                               Instant createdAt) {
    }


    public List<OverrideView> list(UUID scheduleId, Instant from, Instant to) {
        schedules.findByIdOptional(scheduleId).orElseThrow(() -> ProblemException.notFound("Schedule", scheduleId));
        if (!to.isAfter(from)) {
            throw ProblemException.invalid("to", "must be after from");
        }
        return overrides.intersecting(scheduleId, from, to).stream().map(this::view).toList();
    }

    /**
     * Creates an override with the consent of everyone whose shift it takes: an admin's, or the caller's
     * own when the shift is theirs (see {@link #requireConsent}). Accepting a cover request is the other
     * way to consent ({@link CoverRequestService#accept}).
     */
    @Transactional
    public OverrideView create(UUID scheduleId, OverrideRequest request) {
        Schedule schedule = schedules.lock(scheduleId).orElseThrow(() -> ProblemException.notFound("Schedule", scheduleId));
        if (!caller.isAdmin()) {
            requireConsent(schedule, caller.requirePerson(), request);
        }
        ScheduleOverride o = insert(schedule, request.personId(), request.replacesPersonId(), request.start(),
                request.end(), request.note(), null, "", caller.username());
        return view(o);
    }

    /**
     * Someone who is not an admin may give away their own shift ({@code replacesPersonId} is them) or
     * take the whole schedule themselves ({@code personId} is them, no {@code replacesPersonId}) where
     * nobody else is on call. Taking anyone else's shift needs their consent: a cover request.
     */
    private void requireConsent(Schedule schedule, Person self, OverrideRequest request) {
        String ask = "; send a cover request instead (POST /api/cover-requests): accepting it is their consent";
        UUID replaces = request.replacesPersonId();
        if (replaces != null) {
            if (!replaces.equals(self.id)) {
                throw ProblemException.forbidden("only " + name(replaces) + " (whose shift it is) or an admin may "
                        + "replace them" + ask);
            }
            return;
        }
        if (!self.id.equals(request.personId())) {
            throw ProblemException.forbidden("only an admin may put someone else on call over the whole schedule; "
                    + "to give away your own shift, name yourself in replacesPersonId");
        }
        if (!request.end().isAfter(request.start())
                || Duration.between(request.start(), request.end()).compareTo(LONGEST) > 0) {
            return; // insert names the bad range (and it is never rendered)
        }
        List<String> others = onCall.segments(snapshots.current(), schedule.id, request.start(), request.end()).stream()
                .flatMap(seg -> seg.assignments().stream()).map(a -> a.personId()).filter(id -> !id.equals(self.id))
                .distinct().map(this::name).toList();
        if (!others.isEmpty()) {
            throw ProblemException.forbidden("this override would take the shift of " + String.join(", ", others)
                    + " (no replacesPersonId replaces everyone on call); only they or an admin may agree to that" + ask);
        }
    }

    private String name(UUID personId) {
        return people.findByIdOptional(personId).map(p -> "'" + p.name + "'").orElse("person " + personId);
    }

    /**
     * Validates and writes one override in the caller's transaction, with the schedule row already
     * locked. {@code fieldPrefix} names fields when the values come from another request (cover).
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public ScheduleOverride insert(Schedule schedule, UUID personId, UUID replacesPersonId, Instant start, Instant end,
                                   String note, UUID coverRequestId, String fieldPrefix, String createdBy) {
        if (schedule.archived()) {
            throw References.archived("schedule '" + schedule.name + "'");
        }
        Validation v = new Validation();
        Instant now = clock.instant();
        Set<UUID> active = references.lockActive(References.Table.PERSON,
                replacesPersonId == null ? List.of(personId) : List.of(personId, replacesPersonId));
        if (!end.isAfter(start)) {
            v.add(fieldPrefix + "end", "must be after start");
        } else if (!end.isAfter(now)) {
            v.add(fieldPrefix + "end", "is in the past");
        } else if (Duration.between(start, end).compareTo(LONGEST) > 0) {
            v.add(fieldPrefix + "end", "must be at most 366 days after start");
        }
        if (people.findByIdOptional(personId).isEmpty()) {
            v.add(fieldPrefix + "personId", "is not a known person");
        } else if (!active.contains(personId)) {
            v.add(fieldPrefix + "personId", "is an archived person");
        }
        if (replacesPersonId != null) {
            if (replacesPersonId.equals(personId)) {
                v.add(fieldPrefix + "replacesPersonId", "must be someone other than personId");
            } else if (people.findByIdOptional(replacesPersonId).isEmpty()) {
                v.add(fieldPrefix + "replacesPersonId", "is not a known person");
            } else if (!active.contains(replacesPersonId)) {
                v.add(fieldPrefix + "replacesPersonId", "is an archived person");
            }
        }
        v.throwIfAny();
        for (ScheduleOverride other : overrides.intersecting(schedule.id, start, end)) {
            String clash = clash(other, personId, replacesPersonId);
            if (clash != null) {
                throw ProblemException.conflict(fieldPrefix + "start", "overlaps override " + other.id + " ("
                        + other.startAt + " to " + other.endAt + "): " + clash);
            }
        }
        ScheduleOverride o = new ScheduleOverride();
        o.id = UUID.randomUUID();
        o.scheduleId = schedule.id;
        o.personId = personId;
        o.replacesPersonId = replacesPersonId;
        o.startAt = start;
        o.endAt = end;
        o.note = note == null || note.isBlank() ? null : note.strip();
        o.coverRequestId = coverRequestId;
        o.createdBy = createdBy;
        o.createdAt = now;
        overrides.persistAndFlush(o);
        snapshots.bumpOverrides();
        outbox.publish(OnCallContracts.OVERRIDE_CREATED, o.id.toString(), changed(o));
        ticker.wakeAfterCommit();
        return o;
    }

    /** Why two overlapping overrides cannot both stand, or null when they can. */
    static String clash(ScheduleOverride other, UUID personId, UUID replacesPersonId) {
        if (other.replacesPersonId == null || replacesPersonId == null) {
            return "an override without replacesPersonId takes the whole schedule";
        }
        if (other.replacesPersonId.equals(replacesPersonId)) {
            return "that person is already replaced then";
        }
        if (other.personId.equals(personId)) {
            return "that person already has an override then";
        }
        return null;
    }

    @Transactional
    public void delete(UUID scheduleId, UUID overrideId) {
        schedules.lock(scheduleId).orElseThrow(() -> ProblemException.notFound("Schedule", scheduleId));
        ScheduleOverride o = overrides.findByIdOptional(overrideId).filter(x -> x.scheduleId.equals(scheduleId))
                .orElseThrow(() -> ProblemException.notFound("Override", overrideId));
        if (!caller.isAdmin()) {
            Person self = caller.requirePerson();
            if (!self.id.equals(o.personId) && !caller.username().equalsIgnoreCase(o.createdBy)) {
                throw ProblemException.forbidden("only an admin may delete someone else's override");
            }
        }
        OverrideChanged changed = changed(o);
        overrides.delete(o);
        snapshots.bumpOverrides();
        outbox.publish(OnCallContracts.OVERRIDE_DELETED, o.id.toString(), changed);
        ticker.wakeAfterCommit();
    }

    private OverrideChanged changed(ScheduleOverride o) {
        return new OverrideChanged(o.id, o.scheduleId, ref(o.personId), o.replacesPersonId, o.startAt, o.endAt);
    }

    OverrideView view(ScheduleOverride o) {
        return new OverrideView(o.id, o.scheduleId, ref(o.personId), o.replacesPersonId,
                o.replacesPersonId == null ? null : ref(o.replacesPersonId), o.startAt, o.endAt, o.note,
                o.coverRequestId, o.createdBy, o.createdAt);
    }

    private PersonRef ref(UUID id) {
        return people.findByIdOptional(id).map(Refs::person).orElse(null);
    }
}

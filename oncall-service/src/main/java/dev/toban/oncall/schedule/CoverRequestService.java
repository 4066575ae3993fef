package dev.toban.oncall.schedule;

import dev.toban.contracts.PersonRef;
import dev.toban.contracts.TeamRef;
import dev.toban.contracts.oncall.OnCallContracts.ScheduleName;
import dev.toban.contracts.oncall.OnCallContracts;
import dev.toban.oncall.common.References;
import dev.toban.oncall.common.Refs;
import dev.toban.oncall.common.Validation;
import dev.toban.oncall.model.CoverRequest;
import dev.toban.oncall.model.CoverRequestRepository;
import dev.toban.oncall.model.Person;
import dev.toban.oncall.model.PersonRepository;
import dev.toban.oncall.model.Schedule;
import dev.toban.oncall.model.ScheduleOverride;
import dev.toban.oncall.model.ScheduleRepository;
import dev.toban.oncall.model.TeamRepository;
import dev.toban.oncall.security.Caller;
import dev.toban.oncall.snapshot.OnCallSnapshots;
import dev.toban.plumbing.outbox.Outbox;
import dev.toban.plumbing.problem.ProblemException;
import io.quarkus.panache.common.Sort;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;
import jakarta.transaction.Transactional;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * Cover and swap requests. Accepting one creates the override(s) in the same transaction and
 * publishes toban.oncall.cover.accepted, which notify-service turns into a message to both sides.
 */
@ApplicationScoped
public class CoverRequestService {

    public static final String COVER_REQUESTED = OnCallContracts.COVER_REQUESTED.name();
    public static final String COVER_ACCEPTED = OnCallContracts.COVER_ACCEPTED.name();
    public static final String COVER_CANCELLED = OnCallContracts.COVER_CANCELLED.name();

    private final CoverRequestRepository requests;
    private final ScheduleRepository schedules;
    private final TeamRepository teams;
    private final PersonRepository people;
    private final OverrideService overrides;
    private final OnCallService onCall;
    private final OnCallSnapshots snapshots;
    private final Outbox outbox;
    private final Caller caller;
    private final References references;
    private final Clock clock;

    public CoverRequestService(CoverRequestRepository requests, ScheduleRepository schedules, TeamRepository teams,
                               PersonRepository people, OverrideService overrides, OnCallService onCall,
                               OnCallSnapshots snapshots, Outbox outbox, Caller caller, References references,
                               Clock clock) {
        this.requests = requests;
        this.schedules = schedules;
        this.teams = teams;
        this.people = people;
        this.overrides = overrides;
        this.onCall = onCall;
        this.snapshots = snapshots;
        this.outbox = outbox;
        this.caller = caller;
        this.references = references;
        this.clock = clock;
    }

    /**
     * A cover request; with {@code swapStart}/{@code swapEnd} it is a swap: whoever accepts takes
     * [start, end) and the requester takes [swapStart, swapEnd) from them in return.
     */
    public record CoverRequestCreate(
            @NotNull UUID scheduleId,
            UUID requesterId,
            UUID targetPersonId,
            @NotNull Instant start,
            @NotNull Instant end,
            Instant swapStart,
            Instant swapEnd,
            @Size(max = 500) String note) {
    }

    /** Admins may accept on behalf of {@code personId}; everyone else accepts as themselves (personId: theirs or none). */
    public record AcceptRequest(UUID personId) {
    }

    /** {@code toban.oncall.cover.*} data (docs/events.md) and the API view. */
    public record CoverRequestView(UUID id, String kind, ScheduleName schedule, TeamRef team, PersonRef requester,
                                   PersonRef target, PersonRef acceptedBy, UUID overrideId, Instant start, Instant end,
                                   Instant swapStart, Instant swapEnd, UUID swapOverrideId, String note, String status,
                                   Instant createdAt, long version) {
    }

    public List<CoverRequestView> list(UUID scheduleId, String status) {
        StringBuilder query = new StringBuilder("1 = 1");
        java.util.Map<String, Object> params = new java.util.HashMap<>();
        if (scheduleId != null) {
            query.append(" and scheduleId = :scheduleId");
            params.put("scheduleId", scheduleId);
        }
        if (status != null) {
            if (!List.of(CoverRequest.OPEN, CoverRequest.ACCEPTED, CoverRequest.CANCELLED).contains(status)) {
                throw ProblemException.invalid("status", "must be one of open, accepted, cancelled");
            }
            query.append(" and status = :status");
            params.put("status", status);
        }
        return requests.list(query.toString(), Sort.by("startAt"), params).stream().map(this::view).toList();
    }

    public CoverRequestView get(UUID id) {
        return view(requests.findByIdOptional(id).orElseThrow(() -> ProblemException.notFound("Cover request", id)));
    }

    @Transactional
    public CoverRequestView create(CoverRequestCreate body) {
        Validation v = new Validation();
        Schedule schedule = schedules.lock(body.scheduleId()).orElse(null);
        if (schedule == null) {
            v.add("scheduleId", "is not a known schedule");
        } else if (schedule.archived()) {
            v.add("scheduleId", "is an archived schedule");
            schedule = null;
        }
        Set<UUID> active = references.lockActive(References.Table.PERSON,
                Stream.of(body.requesterId(), body.targetPersonId()).filter(Objects::nonNull).toList());
        Person requester;
        if (body.requesterId() != null && caller.isAdmin()) {
            requester = people.findByIdOptional(body.requesterId()).orElse(null);
            if (requester == null) {
                v.add("requesterId", "is not a known person");
            } else if (!active.contains(requester.id)) {
                v.add("requesterId", "is an archived person");
                requester = null;
            }
        } else {
            requester = caller.requirePerson();
            if (body.requesterId() != null && !body.requesterId().equals(requester.id)) {
                throw ProblemException.forbidden("only an admin may ask for cover for someone else");
            }
        }
        Instant now = clock.instant();
        range(v, "start", "end", body.start(), body.end(), now);
        Person target = null;
        if (body.targetPersonId() != null) {
            target = people.findByIdOptional(body.targetPersonId()).orElse(null);
            if (target == null) {
                v.add("targetPersonId", "is not a known person");
            } else if (!active.contains(target.id)) {
                v.add("targetPersonId", "is an archived person");
            } else if (requester != null && target.id.equals(requester.id)) {
                v.add("targetPersonId", "must be someone other than the requester");
            }
        }
        boolean swap = body.swapStart() != null || body.swapEnd() != null;
        if (swap) {
            if (body.swapStart() == null) {
                v.add("swapStart", "is required for a swap");
            } else if (body.swapEnd() == null) {
                v.add("swapEnd", "is required for a swap");
            } else {
                range(v, "swapStart", "swapEnd", body.swapStart(), body.swapEnd(), now);
            }
        }
        v.throwIfAny();
        if (!isOnCall(schedule.id, requester.id, body.start(), body.end())) {
            throw ProblemException.invalid("start", "the requester is not on call in this schedule between start and end");
        }
        CoverRequest r = new CoverRequest();
        r.id = UUID.randomUUID();
        r.scheduleId = schedule.id;
        r.requesterId = requester.id;
        r.targetId = target == null ? null : target.id;
        r.kind = swap ? "swap" : "cover";
        r.startAt = body.start();
        r.endAt = body.end();
        r.swapStartAt = swap ? body.swapStart() : null;
        r.swapEndAt = swap ? body.swapEnd() : null;
        r.note = body.note() == null || body.note().isBlank() ? null : body.note().strip();
        r.status = CoverRequest.OPEN;
        r.createdBy = caller.username();
        r.createdAt = now;
        r.updatedAt = now;
        requests.persistAndFlush(r);
        CoverRequestView view = view(r);
        outbox.publish(OnCallContracts.COVER_REQUESTED, r.id.toString(), eventData(view));
        return view;
    }

    @Transactional
    public CoverRequestView accept(UUID id, AcceptRequest body) {
        CoverRequest r = requests.findByIdOptional(id, LockModeType.PESSIMISTIC_WRITE)
                .orElseThrow(() -> ProblemException.notFound("Cover request", id));
        Person acceptor;
        if (body != null && body.personId() != null && caller.isAdmin()) {
            acceptor = people.findByIdOptional(body.personId())
                    .orElseThrow(() -> ProblemException.invalid("personId", "is not a known person"));
            if (acceptor.archived()) {
                throw ProblemException.invalid("personId", "is an archived person");
            }
        } else {
            acceptor = caller.requirePerson();
            if (body != null && body.personId() != null && !body.personId().equals(acceptor.id)) {
                // accepting takes on a shift: only that person, or an admin, may agree to it
                throw ProblemException.forbidden("only an admin may accept a cover request on behalf of someone else");
            }
        }
        if (!CoverRequest.OPEN.equals(r.status)) {
            throw ProblemException.conflict("status", "the request is " + r.status + ", not open");
        }
        if (acceptor.id.equals(r.requesterId)) {
            throw ProblemException.invalid("personId", "the requester cannot accept their own request");
        }
        if (r.targetId != null && !r.targetId.equals(acceptor.id)) {
            throw ProblemException.forbidden("this request is for a named colleague only");
        }
        Schedule schedule = schedules.lock(r.scheduleId).orElseThrow(() -> ProblemException.notFound("Schedule", r.scheduleId));
        if ("swap".equals(r.kind) && !isOnCall(schedule.id, acceptor.id, r.swapStartAt, r.swapEndAt)) {
            throw ProblemException.invalid("swapStart", "whoever accepts a swap must be on call between swapStart and swapEnd");
        }
        String by = caller.username();
        ScheduleOverride cover = overrides.insert(schedule, acceptor.id, r.requesterId, r.startAt, r.endAt,
                r.note, r.id, "", by);
        r.overrideId = cover.id;
        if ("swap".equals(r.kind)) {
            ScheduleOverride back = overrides.insert(schedule, r.requesterId, acceptor.id, r.swapStartAt, r.swapEndAt,
                    r.note, r.id, "", by);
            r.swapOverrideId = back.id;
        }
        r.status = CoverRequest.ACCEPTED;
        r.acceptedById = acceptor.id;
        r.updatedAt = clock.instant();
        requests.flush();
        CoverRequestView view = view(r);
        outbox.publish(OnCallContracts.COVER_ACCEPTED, r.id.toString(), eventData(view));
        return view;
    }

    @Transactional
    public CoverRequestView cancel(UUID id) {
        CoverRequest r = requests.findByIdOptional(id, LockModeType.PESSIMISTIC_WRITE)
                .orElseThrow(() -> ProblemException.notFound("Cover request", id));
        caller.requireSelfOrAdmin(r.requesterId, "withdraw a cover request");
        if (!CoverRequest.OPEN.equals(r.status)) {
            throw ProblemException.conflict("status", "the request is " + r.status + ", not open");
        }
        r.status = CoverRequest.CANCELLED;
        r.updatedAt = clock.instant();
        requests.flush();
        CoverRequestView view = view(r);
        outbox.publish(OnCallContracts.COVER_CANCELLED, r.id.toString(), eventData(view));
        return view;
    }

    private static void range(Validation v, String startField, String endField, Instant start, Instant end, Instant now) {
        if (!end.isAfter(start)) {
            v.add(endField, "must be after " + startField);
        } else if (!end.isAfter(now)) {
            v.add(endField, "is in the past");
        } else if (Duration.between(start, end).compareTo(OverrideService.LONGEST) > 0) {
            v.add(endField, "must be at most 366 days after " + startField);
        }
    }

    private boolean isOnCall(UUID scheduleId, UUID personId, Instant from, Instant to) {
        return onCall.segments(snapshots.current(), scheduleId, from, to).stream().anyMatch(s -> s.hasPerson(personId));
    }

    private CoverRequestView view(CoverRequest r) {
        Schedule s = schedules.findById(r.scheduleId);
        TeamRef team = s == null ? null : teams.findByIdOptional(s.teamId).map(Refs::team).orElse(null);
        return new CoverRequestView(r.id, r.kind, s == null ? null : new ScheduleName(s.id, s.name, s.role), team,
                ref(r.requesterId), ref(r.targetId), ref(r.acceptedById), r.overrideId, r.startAt, r.endAt,
                r.swapStartAt, r.swapEndAt, r.swapOverrideId, r.note, r.status, r.createdAt, r.version);
    }

    private PersonRef ref(UUID id) {
        return id == null ? null : people.findByIdOptional(id).map(Refs::person).orElse(null);
    }

    /** The cover events' data: the API view as the contract's record (the same fields). */
    static OnCallContracts.CoverRequest eventData(CoverRequestView v) {
        return new OnCallContracts.CoverRequest(v.id(), v.kind(), v.schedule(), v.team(), v.requester(), v.target(),
                v.acceptedBy(), v.overrideId(), v.start(), v.end(), v.swapStart(), v.swapEnd(), v.swapOverrideId(),
                v.note(), v.status(), v.createdAt(), v.version());
    }
}

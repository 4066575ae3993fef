package dev.toban.postmortem.meeting;

import dev.toban.contracts.PersonRef;
import dev.toban.contracts.incident.IncidentSnapshot;
import dev.toban.contracts.postmortem.PostmortemContracts.Cancelled;
import dev.toban.contracts.postmortem.PostmortemContracts.Rescheduled;
import dev.toban.plumbing.problem.Problem;
import dev.toban.plumbing.problem.ProblemException;
import dev.toban.postmortem.access.Access;
import dev.toban.postmortem.access.Requester;
import dev.toban.postmortem.client.OnCallApi;
import dev.toban.postmortem.client.OnCallClient;
import dev.toban.postmortem.client.RemoteNotFoundException;
import dev.toban.postmortem.config.PostmortemConfig;
import dev.toban.postmortem.lifecycle.PostmortemEvents;
import dev.toban.postmortem.lifecycle.Snapshots;
import dev.toban.postmortem.lifecycle.Views;
import dev.toban.postmortem.model.Meeting;
import dev.toban.postmortem.model.MeetingRepository;
import dev.toban.postmortem.model.MeetingStatus;
import dev.toban.postmortem.model.Participant;
import dev.toban.postmortem.model.ParticipantRepository;
import dev.toban.postmortem.model.ParticipantSource;
import dev.toban.postmortem.model.Postmortem;
import dev.toban.postmortem.model.PostmortemRepository;
import dev.toban.postmortem.model.PostmortemState;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * The postmortem meeting: proposing a slot, scheduling, rescheduling and cancelling it, and the
 * participant list. Remote calls (oncall-service) happen before the transaction; every command
 * validates everything, then writes in one transaction, so a rejected request leaves nothing behind.
 */
@ApplicationScoped
public class MeetingService {

    private static final Logger LOG = Logger.getLogger(MeetingService.class);
    /** Serialises scheduling across replicas so two meetings never take the same person's slot at once. */
    private static final long SCHEDULING_LOCK = 0x746f62616e706dL;
    private static final Duration MAX_AHEAD = Duration.ofDays(366);

    private final PostmortemRepository postmortems;
    private final MeetingRepository meetings;
    private final ParticipantRepository participants;
    private final ParticipantDirectory directory;
    private final InvitationService invitations;
    private final PostmortemEvents events;
    private final Snapshots snapshots;
    private final SlotFinder slots;
    private final OnCallClient oncall;
    private final PostmortemConfig config;
    private final EntityManager em;

    public MeetingService(PostmortemRepository postmortems, MeetingRepository meetings,
                          ParticipantRepository participants, ParticipantDirectory directory,
                          InvitationService invitations, PostmortemEvents events, Snapshots snapshots,
                          SlotFinder slots, OnCallClient oncall, PostmortemConfig config, EntityManager em) {
        this.postmortems = postmortems;
        this.meetings = meetings;
        this.participants = participants;
        this.directory = directory;
        this.invitations = invitations;
        this.events = events;
        this.snapshots = snapshots;
        this.slots = slots;
        this.oncall = oncall;
        this.config = config;
        this.em = em;
    }

    public record Proposal(Instant start, Instant end, String timeZone, List<Views.Attendee> attendees,
                           List<Busy> busy) {
    }

    public record Busy(Instant start, Instant end, String who) {
    }

    /** POST participants body: either an email (and a name) or an oncall-service person id. */
    public record ParticipantRequest(
            @jakarta.validation.constraints.Email @jakarta.validation.constraints.Size(max = 320) String email,
            @jakarta.validation.constraints.Size(max = 200) String name,
            UUID personId) {
    }

    // ------------------------------------------------------------------ team members (remote)

    /** The owning team's members from oncall-service; empty (the incident's people only) when it cannot answer. */
    public List<ParticipantDirectory.Candidate> teamMembers(Postmortem p) {
        if (p.owningTeamId == null) {
            return List.of();
        }
        Optional<OnCallApi.Team> team;
        try {
            team = oncall.team(p.owningTeamId);
        } catch (RemoteNotFoundException e) {
            LOG.warnf("oncall-service does not know team %s of postmortem %s", p.owningTeamId, p.id);
            team = Optional.empty();
        }
        if (team.isEmpty()) {
            LOG.infof("Inviting only the incident's people to postmortem %s: the team's members are not available", p.id);
        }
        return team.map(t -> t.members() == null ? List.<PersonRef>of() : t.members()).orElse(List.of()).stream()
                .map(m -> new ParticipantDirectory.Candidate(m, ParticipantSource.TEAM)).toList();
    }

    // ------------------------------------------------------------------ proposal

    /** The first free slot for the current participants plus the team's members; nothing is saved. */
    public Proposal propose(UUID id, Integer durationMinutes, Requester caller) {
        Postmortem p = QuarkusTransaction.joiningExisting().call(() -> load(id));
        Access.requireRead(p, caller);
        Duration length = length(durationMinutes);
        List<ParticipantDirectory.Candidate> team = teamMembers(p);
        return QuarkusTransaction.requiringNew().call(() -> {
            Postmortem fresh = load(id);
            List<Participant> people = new ArrayList<>(participants.activeOf(fresh.id));
            List<Participant> all = participants.allOf(fresh.id);
            for (ParticipantDirectory.Candidate c : team) {
                if (ParticipantDirectory.find(all, c.person().id(), c.person().email()).isEmpty()) {
                    Participant transientOne = new Participant();
                    transientOne.personId = c.person().id();
                    transientOne.email = c.person().email();
                    transientOne.name = c.person().name();
                    transientOne.username = c.person().username();
                    people.add(transientOne);
                }
            }
            ZoneId zone = ZoneId.of(fresh.timeZone);
            Instant earliest = earliest();
            Instant horizon = horizon(earliest, zone);
            List<MeetingRepository.Busy> busy = busyFor(fresh.id, people, earliest, horizon);
            SlotFinder.Slot slot = slots.firstFree(earliest, zone, config.scheduling().windowBusinessDays(), length,
                            busy.stream().map(b -> new SlotFinder.Interval(b.start(), b.end())).toList())
                    .orElseThrow(() -> noFreeSlot(zone));
            return new Proposal(slot.start(), slot.end(), zone.getId(),
                    people.stream().filter(x -> x.email != null).map(x -> new Views.Attendee(x.displayName(), x.email)).toList(),
                    busy.stream().map(b -> new Busy(b.start(), b.end(), b.who())).toList());
        });
    }

    // ------------------------------------------------------------------ schedule (within a decision)

    /**
     * Creates the meeting of a postmortem the IC decided to hold and queues the invitations.
     * Runs inside the decision's transaction, with the postmortem row locked.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public Meeting schedule(Postmortem p, Instant requestedStart, Duration length,
                            List<ParticipantDirectory.Candidate> team, Requester caller) {
        Instant now = Instant.now();
        lockScheduling();
        directory.addMissing(p.id, ParticipantDirectory.fromIncident(snapshots.incident(p)), now);
        directory.addMissing(p.id, team, now);
        List<Participant> people = participants.activeOf(p.id);
        ZoneId zone = ZoneId.of(p.timeZone);
        Instant start;
        if (requestedStart != null) {
            checkSlot(p, requestedStart, length, zone, people);
            start = requestedStart;
        } else {
            Instant earliest = earliest();
            List<MeetingRepository.Busy> busy = busyFor(p.id, people, earliest, horizon(earliest, zone));
            start = slots.firstFree(earliest, zone, config.scheduling().windowBusinessDays(), length,
                            busy.stream().map(b -> new SlotFinder.Interval(b.start(), b.end())).toList())
                    .orElseThrow(() -> noFreeSlot(zone)).start();
        }
        IncidentSnapshot incident = snapshots.incident(p);
        Meeting m = new Meeting();
        m.id = UUID.randomUUID();
        m.postmortemId = p.id;
        m.uid = "postmortem-" + m.id + "@toban";
        m.status = MeetingStatus.SCHEDULED;
        m.start = start;
        m.end = start.plus(length);
        m.timeZone = zone.getId();
        m.sequence = 0;
        m.location = config.scheduling().location().orElse(incident.warRoomUrl());
        PersonRef commander = incident.commander();
        if (commander != null && commander.email() != null && !commander.email().isBlank()) {
            m.organizerName = commander.name() != null ? commander.name() : commander.username();
            m.organizerEmail = commander.email();
        } else {
            m.organizerName = config.invitations().organizerName();
            m.organizerEmail = config.invitations().organizerEmail();
        }
        m.createdAt = now;
        m.updatedAt = now;
        meetings.persist(m);
        meetings.flush();
        invitations.enqueue(p, m, InvitationCalendar.Method.REQUEST, people, people, null);
        LOG.infof("Scheduled postmortem %s meeting %s at %s (%s) for %d participants", p.id, m.uid, m.start,
                m.timeZone, people.size());
        return m;
    }

    // ------------------------------------------------------------------ reschedule and cancel

    public Views.PostmortemSnapshot reschedule(UUID id, Instant start, Integer durationMinutes, Requester caller) {
        if (start == null) {
            throw ProblemException.invalid("start", "is required");
        }
        return QuarkusTransaction.requiringNew().call(() -> {
            Postmortem p = lockLoad(id);
            Access.requireOrganise(p, snapshots.incident(p), caller);
            if (p.state != PostmortemState.SCHEDULED) {
                throw invalidTransition(p, "reschedule its meeting");
            }
            Meeting m = meetings.currentOf(p.id).orElseThrow(() -> invalidTransition(p, "reschedule its meeting"));
            Duration length = durationMinutes == null ? Duration.between(m.start, m.end) : length(durationMinutes);
            lockScheduling();
            List<Participant> people = participants.activeOf(p.id);
            ZoneId zone = ZoneId.of(m.timeZone);
            checkSlot(p, start, length, zone, people);
            if (start.equals(m.start) && start.plus(length).equals(m.end)) {
                throw ProblemException.invalid("start", "is the meeting's current time");
            }
            Views.MeetingView previous = snapshots.meeting(m, people);
            m.start = start;
            m.end = start.plus(length);
            m.sequence++;
            m.updatedAt = Instant.now();
            p.updatedAt = m.updatedAt;
            meetings.flush();
            invitations.enqueue(p, m, InvitationCalendar.Method.REQUEST, people, people, null);
            events.publish(PostmortemEvents.RESCHEDULED, p, caller.actor(), (s, a) -> new Rescheduled(s, a,
                    PostmortemEvents.meeting(snapshots.meeting(m, people)), PostmortemEvents.meeting(previous)));
            return snapshots.of(p);
        });
    }

    public Views.PostmortemSnapshot cancel(UUID id, String reason, Requester caller) {
        if (reason != null && reason.length() > 2000) {
            throw ProblemException.invalid("reason", "must be at most 2000 characters");
        }
        return QuarkusTransaction.requiringNew().call(() -> {
            Postmortem p = lockLoad(id);
            Access.requireOrganise(p, snapshots.incident(p), caller);
            if (p.state != PostmortemState.SCHEDULED) {
                throw invalidTransition(p, "cancel its meeting");
            }
            // back to the IC's decision: hold again (a new meeting, a new UID) or skip
            p.state = PostmortemState.PENDING_DECISION;
            p.decision = null;
            p.decidedBy = null;
            p.decidedAt = null;
            p.updatedAt = Instant.now();
            cancelMeeting(p, reason, caller);
            postmortems.flush();
            return snapshots.of(p);
        });
    }

    /**
     * Cancels the current meeting (SEQUENCE+1, METHOD:CANCEL to everyone) and publishes
     * toban.postmortem.cancelled. The caller sets the postmortem's next state first, so the event shows it.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public void cancelMeeting(Postmortem p, String reason, Requester caller) {
        Meeting m = meetings.currentOf(p.id).orElseThrow(() -> invalidTransition(p, "cancel its meeting"));
        List<Participant> people = participants.activeOf(p.id);
        m.status = MeetingStatus.CANCELLED;
        m.sequence++;
        m.cancelReason = reason;
        m.updatedAt = Instant.now();
        meetings.flush();
        invitations.enqueue(p, m, InvitationCalendar.Method.CANCEL, people, people, reason);
        Views.MeetingView cancelled = snapshots.meeting(m, people);
        events.publish(PostmortemEvents.CANCELLED, p, snapshots.of(p, cancelled), caller.actor(),
                (s, a) -> new Cancelled(s, a, PostmortemEvents.meeting(cancelled), reason));
    }

    // ------------------------------------------------------------------ participants

    public List<Views.ParticipantView> participants(UUID id, Requester caller) {
        return QuarkusTransaction.joiningExisting().call(() -> {
            Postmortem p = load(id);
            Access.requireRead(p, caller);
            return participants.allOf(p.id).stream().map(MeetingService::view).toList();
        });
    }

    public Views.ParticipantView addParticipant(UUID id, ParticipantRequest body, Requester caller) {
        if (body == null) {
            throw ProblemException.invalid("body", "is required");
        }
        boolean byEmail = body.email() != null && !body.email().isBlank();
        if (byEmail == (body.personId() != null)) {
            throw ProblemException.invalid(List.of(
                    new Problem.FieldError("email", "give either an email or a personId"),
                    new Problem.FieldError("personId", "give either an email or a personId")));
        }
        Postmortem before = QuarkusTransaction.joiningExisting().call(() -> load(id));
        Access.requireOrganise(before, snapshots.incident(before), caller);
        PersonRef person;
        if (byEmail) {
            person = new PersonRef(null, body.name() == null || body.name().isBlank() ? null : body.name().strip(), null,
                    body.email().strip(), null, null, null);
        } else {
            person = resolvePerson(before, body.personId());
        }
        return QuarkusTransaction.requiringNew().call(() -> {
            Postmortem p = lockLoad(id);
            Access.requireOrganise(p, snapshots.incident(p), caller);
            if (p.state == PostmortemState.HELD || p.state == PostmortemState.PUBLISHED) {
                throw invalidTransition(p, "change its participants");
            }
            List<Participant> all = participants.allOf(p.id);
            Optional<Participant> existing = ParticipantDirectory.find(all, person.id(), person.email());
            Participant participant;
            if (existing.isPresent() && !existing.get().removed) {
                throw ProblemException.conflict(byEmail ? "email" : "personId", "is already a participant");
            } else if (existing.isPresent()) {
                participant = existing.get();
                participant.removed = false;
                participant.source = ParticipantSource.ADDED;
                if (participant.name == null) {
                    participant.name = person.name();
                }
            } else {
                participant = new Participant();
                participant.id = UUID.randomUUID();
                participant.postmortemId = p.id;
                participant.personId = person.id();
                participant.username = person.username();
                participant.name = person.name();
                participant.email = person.email();
                participant.source = ParticipantSource.ADDED;
                participant.createdAt = Instant.now();
                participants.persist(participant);
            }
            participants.flush();
            Optional<Meeting> meeting = meetings.currentOf(p.id).filter(m -> m.status == MeetingStatus.SCHEDULED);
            if (meeting.isPresent()) {
                // RFC 5546: an added attendee gets the REQUEST with the full attendee list; SEQUENCE stays
                invitations.enqueue(p, meeting.get(), InvitationCalendar.Method.REQUEST, participants.activeOf(p.id),
                        List.of(participant), null);
            }
            return view(participant);
        });
    }

    public void removeParticipant(UUID id, UUID participantId, Requester caller) {
        QuarkusTransaction.requiringNew().run(() -> {
            Postmortem p = lockLoad(id);
            IncidentSnapshot incident = snapshots.incident(p);
            Access.requireOrganise(p, incident, caller);
            Participant participant = participants.findByIdOptional(participantId)
                    .filter(x -> x.postmortemId.equals(p.id) && !x.removed)
                    .orElseThrow(() -> new ProblemException(404, "Not found", "participantId " + participantId
                            + " is not a participant of postmortem " + p.id,
                            List.of(new Problem.FieldError("participantId", "is not a participant of this postmortem"))));
            if (p.state == PostmortemState.HELD || p.state == PostmortemState.PUBLISHED) {
                throw invalidTransition(p, "change its participants");
            }
            if (participant.source == ParticipantSource.COMMANDER || (incident.commander() != null
                    && Objects.equals(incident.commander().id(), participant.personId) && participant.personId != null)) {
                throw ProblemException.conflict("participantId", "the incident commander organises the meeting and cannot be removed");
            }
            participant.removed = true;
            participants.flush();
            Optional<Meeting> meeting = meetings.currentOf(p.id).filter(m -> m.status == MeetingStatus.SCHEDULED);
            // RFC 5546 3.2.5: uninvite with a CANCEL that lists only the removed attendee
            meeting.ifPresent(m -> invitations.enqueue(p, m, InvitationCalendar.Method.CANCEL, List.of(participant),
                    List.of(participant), "You were removed from the participants."));
        });
    }

    /** A person id must resolve: among the people this postmortem knows, else in oncall-service. */
    private PersonRef resolvePerson(Postmortem p, UUID personId) {
        IncidentSnapshot incident = snapshots.incident(p);
        Optional<PersonRef> known = incident.people().stream().filter(x -> personId.equals(x.id())).findFirst();
        if (known.isPresent()) {
            return known.get();
        }
        Optional<Participant> participant = QuarkusTransaction.joiningExisting().call(() ->
                participants.allOf(p.id).stream().filter(x -> personId.equals(x.personId)).findFirst());
        if (participant.isPresent()) {
            Participant x = participant.get();
            return new PersonRef(x.personId, x.name, x.username, x.email, null, null, null);
        }
        return switch (oncall.person(personId)) {
            case OnCallClient.PersonLookup.Found found -> found.person();
            case OnCallClient.PersonLookup.Unknown unknown ->
                    throw ProblemException.invalid("personId", "does not resolve to a person in oncall-service");
            case OnCallClient.PersonLookup.Unavailable unavailable -> throw new ProblemException(503,
                    "Service unavailable", "oncall-service cannot be reached to resolve personId; retry later, or add the person by email",
                    List.of(new Problem.FieldError("personId", "cannot be resolved right now")));
        };
    }

    // ------------------------------------------------------------------ helpers

    private void checkSlot(Postmortem p, Instant start, Duration length, ZoneId zone, List<Participant> people) {
        Instant now = Instant.now();
        if (!start.isAfter(now)) {
            throw ProblemException.invalid("start", "is in the past");
        }
        if (start.isAfter(now.plus(MAX_AHEAD))) {
            throw ProblemException.invalid("start", "is more than a year ahead");
        }
        slots.outsideWorkingHours(start, length, zone).ifPresent(why -> {
            throw ProblemException.invalid("start", why);
        });
        List<MeetingRepository.Busy> clashes = busyFor(p.id, people, start, start.plus(length));
        if (!clashes.isEmpty()) {
            DateTimeFormatter hm = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm", Locale.ROOT).withZone(zone);
            MeetingRepository.Busy first = clashes.get(0);
            throw ProblemException.conflict("start", "overlaps another postmortem meeting of " + first.who()
                    + " (" + hm.format(first.start()) + "-" + DateTimeFormatter.ofPattern("HH:mm").withZone(zone).format(first.end())
                    + " " + zone.getId() + ")");
        }
    }

    private List<MeetingRepository.Busy> busyFor(UUID postmortemId, List<Participant> people, Instant from, Instant to) {
        List<String> emails = people.stream().map(x -> x.email).filter(Objects::nonNull).toList();
        List<UUID> ids = people.stream().map(x -> x.personId).filter(Objects::nonNull).toList();
        return meetings.busy(postmortemId, emails, ids, from, to);
    }

    private Instant earliest() {
        return Instant.now().plus(config.scheduling().minNotice());
    }

    /** Far enough to cover the search window whatever the holidays. */
    private Instant horizon(Instant earliest, ZoneId zone) {
        return slots.deadline(earliest, zone, config.scheduling().windowBusinessDays()).plus(Duration.ofDays(1));
    }

    private ProblemException noFreeSlot(ZoneId zone) {
        return ProblemException.conflict("start", "no free slot in working hours (" + slots.dayStart() + "-"
                + slots.dayEnd() + " " + zone.getId() + ") within " + config.scheduling().windowBusinessDays()
                + " business days; give a start");
    }

    public Duration length(Integer durationMinutes) {
        if (durationMinutes == null) {
            return config.scheduling().meetingLength();
        }
        if (durationMinutes < 15 || durationMinutes > 480) {
            throw ProblemException.invalid("durationMinutes", "must be between 15 and 480");
        }
        return Duration.ofMinutes(durationMinutes);
    }

    private void lockScheduling() {
        em.createNativeQuery("select pg_advisory_xact_lock(?1)").setParameter(1, SCHEDULING_LOCK).getSingleResult();
    }

    private Postmortem load(UUID id) {
        return postmortems.findByIdOptional(id).orElseThrow(() -> ProblemException.notFound("Postmortem", id));
    }

    private Postmortem lockLoad(UUID id) {
        return postmortems.lock(id).orElseThrow(() -> ProblemException.notFound("Postmortem", id));
    }

    public static ProblemException invalidTransition(Postmortem p, String action) {
        return new ProblemException(409, "Conflict", "Cannot " + action + " while the postmortem is " + p.state.wire(),
                List.of(new Problem.FieldError("state", "is " + p.state.wire())));
    }

    public static Views.ParticipantView view(Participant x) {
        return new Views.ParticipantView(x.id, x.personId, x.username, x.name, x.email, x.source, x.removed);
    }
}

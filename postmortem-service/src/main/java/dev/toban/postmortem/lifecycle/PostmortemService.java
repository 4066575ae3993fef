package dev.toban.postmortem.lifecycle;

import dev.toban.contracts.incident.IncidentSnapshot;
import dev.toban.contracts.postmortem.PostmortemContracts.Decided;
import dev.toban.contracts.postmortem.PostmortemContracts.Held;
import dev.toban.contracts.postmortem.PostmortemContracts.Published;
import dev.toban.contracts.postmortem.PostmortemContracts.Scheduled;
import dev.toban.contracts.postmortem.PostmortemContracts.Skipped;
import dev.toban.plumbing.input.SingleLine;
import dev.toban.plumbing.problem.ProblemException;
import dev.toban.postmortem.access.Access;
import dev.toban.postmortem.access.Requester;
import dev.toban.postmortem.meeting.MeetingNotStartedException;
import dev.toban.postmortem.meeting.MeetingService;
import dev.toban.postmortem.meeting.ParticipantDirectory;
import dev.toban.postmortem.model.Decision;
import dev.toban.postmortem.model.MeetingRepository;
import dev.toban.postmortem.model.MeetingStatus;
import dev.toban.postmortem.model.Participant;
import dev.toban.postmortem.model.ParticipantRepository;
import dev.toban.postmortem.model.Postmortem;
import dev.toban.postmortem.model.PostmortemRepository;
import dev.toban.postmortem.model.PostmortemState;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * Reading postmortems and moving them through their states:
 * pending_decision → scheduled → held → published, or skipped with a reason.
 */
@ApplicationScoped
public class PostmortemService {

    private static final Logger LOG = Logger.getLogger(PostmortemService.class);

    private final PostmortemRepository postmortems;
    private final ParticipantRepository participants;
    private final MeetingRepository meetings;
    private final MeetingService meetingService;
    private final PostmortemEvents events;
    private final Snapshots snapshots;

    public PostmortemService(PostmortemRepository postmortems, ParticipantRepository participants,
                             MeetingRepository meetings, MeetingService meetingService, PostmortemEvents events,
                             Snapshots snapshots) {
        this.postmortems = postmortems;
        this.participants = participants;
        this.meetings = meetings;
        this.meetingService = meetingService;
        this.events = events;
        this.snapshots = snapshots;
    }

    /** POST /api/postmortems/{id}/decision. {@code start} and {@code durationMinutes} apply to hold. */
    /**
     * {@code onBehalfOf}: set by a Toban service (incident-service's Slack app) for the person who decided in
     * Slack; the decision is checked and recorded as that person.
     */
    public record DecisionRequest(
            @NotNull Decision decision,
            @Size(max = 2000) String reason,
            OffsetDateTime start,
            Integer durationMinutes,
            @Valid OnBehalfOf onBehalfOf) {

        public DecisionRequest(Decision decision, String reason, OffsetDateTime start, Integer durationMinutes) {
            this(decision, reason, start, durationMinutes, null);
        }
    }

    /** The person a Toban service acts for: their username, name and realm roles as oncall-service mirrors them. */
    public record OnBehalfOf(
            @NotBlank @Size(max = 100) @SingleLine String username,
            UUID personId,
            @Size(max = 200) @SingleLine String name,
            @Size(max = 10) List<@NotBlank @Size(max = 20) String> roles) {
    }

    public List<Views.PostmortemSnapshot> list(PostmortemState state, UUID incidentId, int limit, Requester caller) {
        return QuarkusTransaction.joiningExisting().call(() ->
                postmortems.search(state, incidentId, !caller.readsAll(), limit).stream().map(snapshots::of).toList());
    }

    public Views.PostmortemDetail get(UUID id, Requester caller) {
        return QuarkusTransaction.joiningExisting().call(() -> {
            Postmortem p = load(id);
            Access.requireRead(p, caller);
            IncidentSnapshot incident = snapshots.incident(p);
            List<Participant> all = participants.allOf(p.id);
            Views.Permissions permissions = new Views.Permissions(Access.canEdit(p, incident, all, caller),
                    Access.canOrganise(incident, caller), caller.admin());
            return new Views.PostmortemDetail(snapshots.of(p), Snapshots.downtime(p),
                    all.stream().map(MeetingService::view).toList(), permissions);
        });
    }

    /** The IC records hold (and the meeting is scheduled) or skip (with a reason). */
    public Views.PostmortemSnapshot decide(UUID id, DecisionRequest body, Requester caller) {
        Postmortem before = QuarkusTransaction.joiningExisting().call(() -> load(id));
        Access.requireOrganise(before, snapshots.incident(before), caller);
        return switch (body.decision()) {
            case SKIP -> skip(id, body, caller);
            case HOLD -> hold(id, body, caller, before);
        };
    }

    private Views.PostmortemSnapshot skip(UUID id, DecisionRequest body, Requester caller) {
        if (body.reason() == null || body.reason().isBlank()) {
            throw ProblemException.invalid("reason", "is required to skip a postmortem");
        }
        if (body.start() != null) {
            throw ProblemException.invalid("start", "applies to hold only");
        }
        String reason = body.reason().strip();
        return QuarkusTransaction.requiringNew().call(() -> {
            Postmortem p = lock(id);
            Access.requireOrganise(p, snapshots.incident(p), caller);
            if (p.state != PostmortemState.PENDING_DECISION && p.state != PostmortemState.SCHEDULED) {
                throw MeetingService.invalidTransition(p, "skip it");
            }
            if (p.required && !caller.admin()) {
                throw ProblemException.forbidden("A " + p.severity + " postmortem is required by policy; only an admin can skip it");
            }
            boolean hadMeeting = p.state == PostmortemState.SCHEDULED;
            record(p, Decision.SKIP, reason, caller);
            p.state = PostmortemState.SKIPPED;
            if (hadMeeting) {
                meetingService.cancelMeeting(p, "Skipped: " + reason, caller);
            }
            postmortems.flush();
            events.publish(PostmortemEvents.DECIDED, p, caller.actor(),
                    (s, a) -> new Decided(s, a, Decision.SKIP.wire(), reason));
            events.publish(PostmortemEvents.SKIPPED, p, caller.actor(), (s, a) -> new Skipped(s, a, reason));
            LOG.infof("Postmortem %s skipped by %s: %s", p.id, caller.username(), reason);
            return snapshots.of(p);
        });
    }

    private Views.PostmortemSnapshot hold(UUID id, DecisionRequest body, Requester caller, Postmortem before) {
        Duration length = meetingService.length(body.durationMinutes());
        Instant start = body.start() == null ? null : body.start().toInstant();
        if (before.state != PostmortemState.PENDING_DECISION && before.state != PostmortemState.SKIPPED) {
            throw MeetingService.invalidTransition(before, "decide to hold it");
        }
        List<ParticipantDirectory.Candidate> team = meetingService.teamMembers(before);
        return QuarkusTransaction.requiringNew().call(() -> {
            Postmortem p = lock(id);
            Access.requireOrganise(p, snapshots.incident(p), caller);
            if (p.state != PostmortemState.PENDING_DECISION && p.state != PostmortemState.SKIPPED) {
                throw MeetingService.invalidTransition(p, "decide to hold it");
            }
            record(p, Decision.HOLD, null, caller);
            p.state = PostmortemState.SCHEDULED;
            var meeting = meetingService.schedule(p, start, length, team, caller);
            postmortems.flush();
            events.publish(PostmortemEvents.DECIDED, p, caller.actor(),
                    (s, a) -> new Decided(s, a, Decision.HOLD.wire(), body.reason()));
            events.publish(PostmortemEvents.SCHEDULED, p, caller.actor(), (s, a) -> new Scheduled(s, a,
                    PostmortemEvents.meeting(snapshots.meeting(meeting, participants.activeOf(p.id)))));
            LOG.infof("Postmortem %s will be held at %s", p.id, meeting.start);
            return snapshots.of(p);
        });
    }

    /** The meeting took place. */
    public Views.PostmortemSnapshot markHeld(UUID id, Requester caller) {
        return QuarkusTransaction.requiringNew().call(() -> {
            Postmortem p = lock(id);
            Access.requireOrganise(p, snapshots.incident(p), caller);
            if (p.state != PostmortemState.SCHEDULED) {
                throw MeetingService.invalidTransition(p, "mark it held");
            }
            Instant now = Instant.now();
            meetings.currentOf(p.id).filter(m -> now.isBefore(m.start)).ifPresent(m -> {
                throw new MeetingNotStartedException(m.start);
            });
            meetings.currentOf(p.id).ifPresent(m -> {
                m.status = MeetingStatus.HELD;
                m.updatedAt = Instant.now();
            });
            p.state = PostmortemState.HELD;
            p.heldAt = Instant.now();
            p.updatedAt = p.heldAt;
            postmortems.flush();
            events.publish(PostmortemEvents.HELD, p, caller.actor(), Held::new);
            return snapshots.of(p);
        });
    }

    /** The document is final: viewers can read it and the Markdown export is announced. */
    public Views.PostmortemSnapshot publish(UUID id, Requester caller) {
        return QuarkusTransaction.requiringNew().call(() -> {
            Postmortem p = lock(id);
            Access.requireOrganise(p, snapshots.incident(p), caller);
            if (p.state != PostmortemState.HELD) {
                throw MeetingService.invalidTransition(p, "publish it");
            }
            p.state = PostmortemState.PUBLISHED;
            p.publishedAt = Instant.now();
            p.updatedAt = p.publishedAt;
            postmortems.flush();
            events.publish(PostmortemEvents.PUBLISHED, p, caller.actor(),
                    (s, a) -> new Published(s, a, snapshots.markdownUrl(p)));
            return snapshots.of(p);
        });
    }

    private static void record(Postmortem p, Decision decision, String reason, Requester caller) {
        p.decision = decision;
        p.skipReason = decision == Decision.SKIP ? reason : null;
        p.decidedBy = caller.username();
        p.decidedAt = Instant.now();
        p.updatedAt = p.decidedAt;
    }

    private Postmortem load(UUID id) {
        return postmortems.findByIdOptional(id).orElseThrow(() -> ProblemException.notFound("Postmortem", id));
    }

    private Postmortem lock(UUID id) {
        return postmortems.lock(id).orElseThrow(() -> ProblemException.notFound("Postmortem", id));
    }
}

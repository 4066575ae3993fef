package dev.toban.incident.escalation;

import dev.toban.contracts.Actor;
import dev.toban.contracts.PersonRef;
import dev.toban.contracts.incident.IncidentContracts.Escalated;
import dev.toban.contracts.incident.IncidentState;
import dev.toban.incident.client.EscalationTargets.Found;
import dev.toban.incident.client.EscalationTargets.Lookup;
import dev.toban.incident.client.EscalationTargets.Rejected;
import dev.toban.incident.client.EscalationTargets.Unavailable;
import dev.toban.incident.client.EscalationTargets;
import dev.toban.incident.client.PolicyTargets;
import dev.toban.incident.commander.CommanderAssignment;
import dev.toban.incident.config.IncidentConfig;
import dev.toban.incident.directory.PeopleDirectoryService;
import dev.toban.incident.lifecycle.IncidentEvents;
import dev.toban.incident.lifecycle.IncidentTimeline;
import dev.toban.incident.model.Incident;
import dev.toban.incident.model.IncidentRepository;
import dev.toban.incident.model.PolicyTargetsCache;
import dev.toban.incident.model.Sql;
import dev.toban.incident.rest.RetryLaterException;
import dev.toban.plumbing.jobs.JobSpec;
import dev.toban.plumbing.jobs.JobTable;
import dev.toban.plumbing.jobs.Jobs;
import dev.toban.plumbing.jobs.Worker;
import dev.toban.plumbing.problem.ProblemException;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.runtime.configuration.DurationConverter;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.transaction.Transactional;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * Pages the next level while an incident stays unacknowledged. Level k's {@code delayMinutes} is how
 * long level k has to acknowledge before level k+1 is paged; after the last level the policy starts
 * again at level 1 up to {@code repeatCount} times. The next step is a row in {@code escalation_timer}:
 * it survives restarts; plumbing's job worker ({@link Jobs}) sleeps until the earliest one is due, and
 * claiming it with {@code FOR UPDATE SKIP LOCKED} plus re-checking it under
 * the incident's lock makes it fire once with several replicas. Acknowledging deletes it.
 */
@ApplicationScoped
public class EscalationService {

    private static final Logger LOG = Logger.getLogger(EscalationService.class);
    private static final int BATCH = 20;
    private static final JobTable TIMERS = new JobTable("escalation_timer", "incident_id", "fire_at");
    /** A level with no delay would page in a tight loop; it waits at least this long. */
    private static final Duration MINIMUM_DELAY = Duration.ofMinutes(1);

    private final Sql sql;
    private final IncidentRepository incidents;
    private final EscalationTargets targets;
    private final PeopleDirectoryService people;
    private final IncidentTimeline timeline;
    private final IncidentEvents events;
    private final IncidentConfig.Escalation config;
    private final PolicyTargetsCache cache;
    private final Worker worker;

    public EscalationService(Sql sql, IncidentRepository incidents, EscalationTargets targets,
                             PeopleDirectoryService people, IncidentTimeline timeline, IncidentEvents events,
                             IncidentConfig config, PolicyTargetsCache cache, Jobs jobs) {
        this.sql = sql;
        this.incidents = incidents;
        this.targets = targets;
        this.people = people;
        this.timeline = timeline;
        this.events = events;
        this.config = config.escalation();
        this.cache = cache;
        // sleeps until the earliest timer (or lease) is due, not a poll every second
        this.worker = jobs.define(JobSpec.queue("escalation", this::claim, this::work)
                .nextDue(() -> sql.query(TIMERS.nextDueSql()).get(0).instant(0))
                .batch(BATCH)
                .shortClaimTakesAll() // a plain due-and-unleased claim: fewer than asked is all there is
                .idleCap(DurationConverter.parseDuration(this.config.checkEvery())));
    }

    void start(@Observes StartupEvent event) {
        worker.start();
    }

    /** After level {@code answer.level()} (repeat {@code repeat}) was paged: sets the timer for the next step. */
    @Transactional(Transactional.TxType.MANDATORY)
    public void scheduleAfter(Incident incident, PolicyTargets answer, int repeat) {
        int nextLevel;
        int nextRepeat;
        if (answer.level() < answer.levels()) {
            nextLevel = answer.level() + 1;
            nextRepeat = repeat;
        } else if (repeat < answer.repeatCount()) {
            nextLevel = 1;
            nextRepeat = repeat + 1;
        } else {
            cancel(incident.id);
            timeline.add(incident.id, "escalation_exhausted", Actor.SYSTEM,
                    "The last level of " + CommanderAssignment.policyName(answer) + " has been paged; escalation ends here",
                    Map.of("level", answer.level(), "repeat", repeat));
            return;
        }
        Duration delay = Duration.ofMinutes(Math.max(answer.delayMinutes(), 0));
        if (delay.compareTo(MINIMUM_DELAY) < 0) {
            delay = MINIMUM_DELAY;
        }
        Instant fireAt = Instant.now().plus(delay);
        sql.update("""
                insert into escalation_timer (incident_id, policy_id, level, repeat, fire_at, claimed_until, failures)
                values (?, ?, ?, ?, ?, null, 0)
                on conflict (incident_id) do update set policy_id = excluded.policy_id, level = excluded.level,
                    repeat = excluded.repeat, fire_at = excluded.fire_at, claimed_until = null, failures = 0""",
                incident.id, answer.policyId() == null ? incident.escalationPolicyId : answer.policyId(),
                nextLevel, nextRepeat, fireAt);
        worker.wakeAfterCommitFor(fireAt); // only if the worker would sleep past this timer's fire time
    }

    /**
     * Why a level was paged: {@code escalated}'s {@code reason}. {@code initial}: level 1 when the IC is found
     * (late); {@code timeout}: the level before did not acknowledge in time; {@code escalate} and {@code repage}: by hand.
     */
    public static final String INITIAL = "initial";
    public static final String TIMEOUT = "timeout";
    public static final String ESCALATE = "escalate";
    public static final String REPAGE = "repage";

    /**
     * Pages a level by hand, for "escalate now" ({@code nextLevel}: the level after the one last paged) and
     * "re-page" (the level last paged, again). Whom to page is asked first, outside any transaction; then, under
     * the incident's lock, it is refused if the incident closed or another page moved the level meanwhile, else it
     * publishes {@code toban.incident.escalated} like an automatic escalation (with {@code reason}) and writes the
     * timeline line. An unacknowledged incident's timer restarts from the paged level.
     */
    public void pageNow(UUID incidentId, boolean nextLevel, Actor actor) {
        pageNow(incidentId, nextLevel, actor, null);
    }

    /**
     * As {@link #pageNow(UUID, boolean, Actor)}; {@code via} names the channel a paged person answered "escalate"
     * through (notify-service's toban.notify.page.responded), kept in the timeline line's data.
     */
    public void pageNow(UUID incidentId, boolean nextLevel, Actor actor, String via) {
        Incident seen = QuarkusTransaction.requiringNew().call(() -> incidents.findByIdOptional(incidentId)
                .orElseThrow(() -> ProblemException.notFound("Incident", incidentId)));
        requireOpen(seen);
        if (seen.escalationPolicyId == null) {
            throw ProblemException.conflict(null, "the incident has no escalation policy");
        }
        Integer seenLevel = seen.pageLevel;
        int current = seenLevel == null ? 1 : seenLevel;
        int repeat = seen.pageRepeat == null ? 0 : seen.pageRepeat;
        int level = nextLevel && seenLevel != null ? current + 1 : current;
        Optional<PolicyTargets> known = cache.find(seen.escalationPolicyId, current);
        if (nextLevel && seenLevel != null && known.isPresent() && current >= known.get().levels()) {
            throw ProblemException.conflict(null, "level " + current + " is the last level of "
                    + CommanderAssignment.policyName(known.get()) + "; page it again instead");
        }
        PolicyTargets answer = switch (targets.lookup(seen.escalationPolicyId, level)) {
            case Found found -> found.answer();
            case Rejected rejected -> throw nextLevel && rejected.status() == 400
                    ? ProblemException.conflict(null, "level " + current + " is the last level of "
                    + known.map(CommanderAssignment::policyName).orElse("the policy") + "; page it again instead")
                    : ProblemException.conflict(null, "oncall-service refused level " + level + " (" + rejected.reason() + ")");
            case Unavailable unavailable -> throw new RetryLaterException(503, "Service unavailable",
                    "oncall-service cannot say whom to page at level " + level + " right now; retry shortly",
                    List.of(), 10);
        };
        if (answer.peopleOrEmpty().isEmpty()) {
            throw ProblemException.conflict(null, "nobody is on call at level " + level + " of "
                    + CommanderAssignment.policyName(answer));
        }
        String reason = nextLevel ? ESCALATE : REPAGE;
        QuarkusTransaction.requiringNew().run(() -> {
            Incident incident = incidents.lock(incidentId).orElseThrow(() -> ProblemException.notFound("Incident", incidentId));
            requireOpen(incident);
            if (!java.util.Objects.equals(incident.pageLevel, seenLevel)) {
                throw ProblemException.conflict(null, "the page level changed meanwhile; look at the timeline and try again");
            }
            List<PersonRef> onCall = answer.peopleOrEmpty();
            onCall.forEach(people::ensure);
            List<PersonRef> page = onCall.stream().map(p -> people.ref(p.id())).toList();
            incident.pageLevel = level;
            incident.pageRepeat = repeat;
            events.publish(IncidentEvents.ESCALATED, incident, s -> new Escalated(s, actor, level, repeat, page, reason));
            Map<String, Object> lineData = pageData(level, repeat, page, reason, answer);
            if (via != null) {
                lineData.put("via", via);
            }
            timeline.add(incidentId, "escalated", actor, actor.display() + (nextLevel ? " escalated to level " + level
                            : " paged level " + level + " again") + (via == null ? "" : " via " + via) + ": "
                            + CommanderAssignment.names(page), lineData);
            if (incident.state == IncidentState.TRIGGERED) {
                scheduleAfter(incident, answer, repeat);
            }
        });
    }

    private static void requireOpen(Incident incident) {
        if (!incident.state.isOpen()) {
            throw ProblemException.conflict("state", "the incident is " + incident.state.wire()
                    + "; only an open incident can be escalated or paged again");
        }
    }

    /** A paging timeline line's level, repeat, targets and reason (the same words as toban.incident.escalated). */
    static Map<String, Object> escalated(int level, int repeat, List<PersonRef> page, String reason) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("level", level);
        data.put("repeat", repeat);
        data.put("targets", page);
        data.put("reason", reason);
        return data;
    }

    /**
     * A paging line's data: whom, which level, why, and the policy and schedules by name (for links). Public:
     * CommanderAssignment writes the first page's line.
     */
    public static Map<String, Object> pageData(int level, int repeat, List<PersonRef> page, String reason, PolicyTargets answer) {
        Map<String, Object> data = escalated(level, repeat, page, reason);
        data.put("policy", Map.of("id", String.valueOf(answer.policyId()), "name",
                answer.policyName() == null ? "" : answer.policyName()));
        data.put("schedules", answer.targets() == null ? List.of() : answer.targets().stream()
                .filter(t -> "schedule".equals(t.type()) && t.id() != null)
                .map(t -> Map.of("id", t.id().toString(), "name", t.name() == null ? "" : t.name())).toList());
        return data;
    }

    /** Acknowledgement (or any later state) stops the escalation. */
    @Transactional(Transactional.TxType.MANDATORY)
    public void cancel(UUID incidentId) {
        sql.update("delete from escalation_timer where incident_id = ?", incidentId);
    }

    /** One claimed timer. */
    record Timer(UUID incidentId, UUID policyId, int level, int repeat, Instant fireAt) {
    }

    /** Claims due timers with a lease (in the worker's transaction). */
    List<Timer> claim(int limit) {
        Instant now = Instant.now();
        return sql.query(TIMERS.claimSql("", "incident_id, policy_id, level, repeat, fire_at"),
                        now.plus(config.claimLease()), now, now, limit).stream()
                .map(r -> new Timer(r.uuid(0), r.uuid(1), r.integer(2), r.integer(3), r.instant(4))).toList();
    }

    /** Fires one claimed timer: whom to page is asked outside any transaction. True when it escalated. */
    boolean work(Timer timer) {
        Lookup lookup = targets.lookup(timer.policyId(), timer.level());
        return QuarkusTransaction.requiringNew().call(() -> fire(timer.incidentId(), timer.level(), timer.repeat(),
                timer.fireAt(), lookup));
    }

    /** Fires every due timer this caller can claim, now, on the calling thread; returns how many escalated. */
    public int fireDue() {
        List<Timer> claimed = QuarkusTransaction.requiringNew().call(() -> claim(BATCH));
        int fired = 0;
        for (Timer timer : claimed) {
            try {
                if (work(timer)) {
                    fired++;
                }
            } catch (RuntimeException e) {
                LOG.warnf("Escalation of incident %s failed (%s); it will be retried", timer.incidentId(), e.toString());
            }
        }
        return fired;
    }

    /** Applies one claimed step, if the timer is still the one that was claimed and the incident still unacknowledged. */
    boolean fire(UUID incidentId, int level, int repeat, Instant fireAt, Lookup lookup) {
        Incident incident = incidents.lock(incidentId).orElse(null);
        if (incident == null) {
            return false;
        }
        List<Sql.Row> current = sql.query(
                "select level, repeat, fire_at, failures from escalation_timer where incident_id = ? for update", incidentId);
        if (current.isEmpty() || current.get(0).integer(0) != level || current.get(0).integer(1) != repeat
                || !current.get(0).instant(2).equals(fireAt)) {
            return false; // acknowledged meanwhile, or another replica fired this step
        }
        if (incident.state != IncidentState.TRIGGERED) {
            cancel(incidentId);
            return false;
        }
        switch (lookup) {
            case Found found -> {
                PolicyTargets answer = found.answer();
                List<PersonRef> onCall = answer.peopleOrEmpty();
                onCall.forEach(people::ensure);
                List<PersonRef> page = onCall.stream().map(p -> people.ref(p.id())).toList();
                boolean paged = !page.isEmpty();
                if (paged) {
                    incident.pageLevel = level;
                    incident.pageRepeat = repeat;
                    events.publish(IncidentEvents.ESCALATED, incident,
                            s -> new Escalated(s, Actor.SYSTEM, level, repeat, page, TIMEOUT));
                    timeline.add(incidentId, "escalated", Actor.SYSTEM, "Not acknowledged in time: escalated to level "
                                    + level + (repeat > 0 ? " (repeat " + repeat + ")" : "") + ": "
                                    + CommanderAssignment.names(page)
                                    + (answer.cachedAt() == null ? "" : " (cached answer of " + answer.cachedAt() + ")"),
                            pageData(level, repeat, page, TIMEOUT, answer));
                } else {
                    timeline.add(incidentId, "escalation_skipped", Actor.SYSTEM,
                            "Nobody is on call at level " + level + "; moving on", Map.of("level", level, "repeat", repeat));
                }
                scheduleAfter(incident, answer, repeat);
                return paged;
            }
            case Rejected rejected -> {
                cancel(incidentId);
                timeline.add(incidentId, "escalation_stopped", Actor.SYSTEM, "Escalation stopped: oncall-service refused level "
                        + level + " (" + rejected.reason() + ")", Map.of("level", level, "repeat", repeat));
                return false;
            }
            case Unavailable unavailable -> {
                int failures = current.get(0).integer(3) + 1;
                if (failures == 1) {
                    timeline.add(incidentId, "escalation_delayed", Actor.SYSTEM, "Cannot page level " + level
                            + " yet: " + unavailable.reason() + ". Retrying.", Map.of("level", level, "repeat", repeat));
                }
                sql.update("update escalation_timer set fire_at = ?, claimed_until = null, failures = ? where incident_id = ?",
                        Instant.now().plus(config.retryWhenUnavailable()), failures, incidentId);
                return false;
            }
        }
    }
}

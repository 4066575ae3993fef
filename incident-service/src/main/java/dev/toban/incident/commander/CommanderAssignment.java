package dev.toban.incident.commander;

import dev.toban.contracts.Actor;
import dev.toban.contracts.PersonRef;
import dev.toban.contracts.incident.IncidentContracts.AlertSummary;
import dev.toban.contracts.incident.IncidentContracts.Escalated;
import dev.toban.contracts.incident.IncidentContracts.RoleChanged;
import dev.toban.contracts.incident.IncidentState;
import dev.toban.incident.client.EscalationTargets.Found;
import dev.toban.incident.client.EscalationTargets.Lookup;
import dev.toban.incident.client.EscalationTargets.Rejected;
import dev.toban.incident.client.EscalationTargets.Unavailable;
import dev.toban.incident.client.EscalationTargets;
import dev.toban.incident.client.PolicyTargets;
import dev.toban.incident.config.IncidentConfig;
import dev.toban.incident.directory.PeopleDirectoryService;
import dev.toban.incident.escalation.EscalationService;
import dev.toban.incident.lifecycle.IncidentEvents;
import dev.toban.incident.lifecycle.IncidentOpener;
import dev.toban.incident.lifecycle.IncidentTimeline;
import dev.toban.incident.model.Incident;
import dev.toban.incident.model.IncidentRepository;
import dev.toban.incident.model.Sql;
import dev.toban.plumbing.jobs.AfterCommit;
import dev.toban.plumbing.jobs.Backoff;
import dev.toban.plumbing.jobs.JobSpec;
import dev.toban.plumbing.jobs.JobTable;
import dev.toban.plumbing.jobs.Jobs;
import dev.toban.plumbing.jobs.Worker;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.transaction.TransactionSynchronizationRegistry;
import jakarta.transaction.Transactional;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;

/**
 * Makes the person on call at level 1 of the service's escalation policy the incident's IC, right
 * after the incident commits and outside its transaction. Jobs are rows ({@code commander_job}),
 * claimed by plumbing's job worker ({@link Jobs}) with {@code FOR UPDATE SKIP LOCKED} and a lease, so with two replicas each is worked once and
 * a crash leaves it for the other. When oncall-service cannot answer and nothing is cached, the
 * incident is announced without an IC, the timeline says so, and the job keeps retrying.
 */
@ApplicationScoped
public class CommanderAssignment {

    private static final int BATCH = 20;
    private static final JobTable JOBS = new JobTable("commander_job", "incident_id", "next_attempt_at");

    private final Sql sql;
    private final IncidentRepository incidents;
    private final EscalationTargets targets;
    private final PeopleDirectoryService people;
    private final IncidentTimeline timeline;
    private final IncidentEvents events;
    private final EscalationService escalation;
    private final IncidentConfig.Commander config;
    private final Worker worker;
    private final TransactionSynchronizationRegistry registry;
    private final AfterCommit afterCommit;

    public CommanderAssignment(Sql sql, IncidentRepository incidents, EscalationTargets targets,
                               PeopleDirectoryService people, IncidentTimeline timeline, IncidentEvents events,
                               EscalationService escalation, Jobs jobs, IncidentConfig config,
                               TransactionSynchronizationRegistry registry, AfterCommit afterCommit) {
        this.registry = registry;
        this.afterCommit = afterCommit;
        this.sql = sql;
        this.incidents = incidents;
        this.targets = targets;
        this.people = people;
        this.timeline = timeline;
        this.events = events;
        this.escalation = escalation;
        this.config = config.commander();
        // jobs are independent incidents: an alert storm's new incidents get their IC side by side
        this.worker = jobs.define(JobSpec.queue("commander-assignment", this::claim, this::work)
                .nextDue(() -> sql.query(JOBS.nextDueSql()).get(0).instant(0))
                .parallelism(this.config.parallelism())
                .batch(BATCH)
                .jobsWakeForFollowUps() // a finished job frees no other; a retry wakes the worker itself
                .shortClaimTakesAll() // a plain due-and-unleased claim: fewer than asked is all there is
                .idleCap(this.config.pollInterval()));
    }

    /**
     * Writes the "needs an IC" marker in the incident's transaction; the worker wakes when it commits, unless
     * {@link #assignFromMemory} named the IC in that transaction already.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public void enqueue(UUID incidentId, UUID policyId) {
        sql.update("insert into commander_job (incident_id, policy_id, next_attempt_at, created_at) values (?, ?, ?, ?) "
                + "on conflict (incident_id) do nothing", incidentId, policyId, Instant.now(), Instant.now());
        AtomicBoolean assigned = new AtomicBoolean();
        registry.putResource(new Enqueued(incidentId), assigned);
        afterCommit.run(() -> {
            if (!assigned.get()) {
                worker.wake();
            }
        });
    }

    /** The registry key of an IC job enqueued in the current transaction; its value says whether it was done inline. */
    private record Enqueued(UUID incidentId) {
    }

    /**
     * Names the IC of an incident opened in the caller's transaction (called once its alert is in, so that
     * {@code triggered} carries it) when oncall-service's answer for level 1 is in memory: nothing remote is asked, so
     * it can run inside the transaction, and the incident needs no job, claim or transaction of its own (an alert
     * storm's hot path; docs/performance.md). False when the answer is not in memory: the job does it as before.
     *
     * @param firstAlert the incident's only alert, as the caller wrote it (null: {@code triggered} reads it)
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public boolean assignFromMemory(UUID incidentId, UUID policyId, AlertSummary firstAlert) {
        if (!(registry.getResource(new Enqueued(incidentId)) instanceof AtomicBoolean assigned) || assigned.get()) {
            return false; // not opened in this transaction
        }
        PolicyTargets answer = targets.remembered(policyId, 1).filter(a -> !a.peopleOrEmpty().isEmpty()).orElse(null);
        if (answer == null) {
            return false;
        }
        Incident incident = incidents.lock(incidentId).orElse(null);
        if (incident == null || !incident.state.isOpen() || incident.commanderId != null || incident.announcedAt != null) {
            return false;
        }
        assign(incident, answer, firstAlert);
        done(incidentId);
        assigned.set(true);
        return true;
    }

    void start(@Observes StartupEvent event) {
        worker.start();
    }

    /** One claimed job: the incident, its policy and the attempt this is. */
    record Job(UUID incidentId, UUID policyId, int attempts) {
    }

    /** Claims due jobs with a lease (in the worker's transaction). */
    List<Job> claim(int limit) {
        Instant now = Instant.now();
        return sql.query(JOBS.claimSql(", attempts = attempts + 1", "incident_id, policy_id, attempts"),
                        now.plus(config.claimLease()), now, now, limit).stream()
                .map(r -> new Job(r.uuid(0), r.uuid(1), r.integer(2))).toList();
    }

    private void work(Job job) {
        // asked outside any transaction: oncall-service may be slow; the lease keeps the job ours meanwhile
        Lookup lookup = targets.lookup(job.policyId(), 1);
        QuarkusTransaction.requiringNew().run(() -> apply(job.incidentId(), job.attempts(), lookup));
    }

    void apply(UUID incidentId, int attempts, Lookup lookup) {
        Incident incident = incidents.lock(incidentId).orElse(null);
        if (incident == null || sql.query("select 1 from commander_job where incident_id = ? for update", incidentId).isEmpty()) {
            return; // another replica finished it
        }
        if (!incident.state.isOpen() || incident.commanderId != null && incident.announcedAt != null) {
            done(incidentId); // over, or someone took the IC role by hand
            return;
        }
        if (lookup instanceof Found found && !found.answer().peopleOrEmpty().isEmpty()) {
            assign(incident, found.answer(), null);
            done(incidentId);
            return;
        }
        String reason = switch (lookup) {
            case Found found -> "nobody is on call at level 1 of " + policyName(found.answer());
            case Rejected rejected -> "oncall-service does not know the escalation policy " + incident.escalationPolicyId
                    + " (" + rejected.reason() + ")";
            case Unavailable unavailable -> "oncall-service is unreachable and no earlier answer is cached ("
                    + unavailable.reason() + ")";
        };
        if (attempts <= 1) {
            timeline.add(incident.id, "commander_unavailable", Actor.SYSTEM,
                    "No Incident Commander yet: " + reason + ". The incident is open without one; Toban keeps asking.",
                    Map.of("reason", reason));
        }
        if (incident.announcedAt == null) {
            events.announceUnstaffed(incident, List.of(), null);
        }
        Duration wait = Backoff.after(attempts, config.retryInitial(), config.retryMax());
        sql.update("update commander_job set next_attempt_at = ?, claimed_until = null, last_problem = ? where incident_id = ?",
                Instant.now().plus(wait), IncidentOpener.truncate(reason, 1000), incidentId);
        worker.wakeAfterCommit(); // it sleeps until the next due time it knew, which may be later than this retry
    }

    private void assign(Incident incident, PolicyTargets answer, AlertSummary firstAlert) {
        List<PersonRef> onCall = answer.peopleOrEmpty();
        onCall.forEach(people::ensure);
        PersonRef commander = people.ref(onCall.get(0).id());
        boolean newlySet = false;
        if (incident.commanderId == null) {
            incident.commanderId = commander.id();
            newlySet = true;
            String via = answer.cachedAt() == null ? ""
                    : " (oncall-service is unreachable: its answer of " + answer.cachedAt() + " was used)";
            Map<String, Object> data = new LinkedHashMap<>();
            data.put("person", commander);
            data.put("policyId", answer.policyId());
            data.put("policyName", answer.policyName());
            data.put("level", 1);
            data.put("cachedAt", answer.cachedAt());
            timeline.add(incident.id, "commander_assigned", Actor.SYSTEM, name(commander)
                    + " is the Incident Commander, on call at level 1 of " + policyName(answer) + via, data);
        }
        // low urgency (opened during a maintenance window): the IC is named, nobody is paged
        List<PersonRef> page = incident.state == IncidentState.TRIGGERED && !incident.lowUrgency
                ? onCall.stream().map(p -> people.ref(p.id())).toList() : List.of();
        if (!page.isEmpty()) {
            incident.pageLevel = 1;
            incident.pageRepeat = 0;
        }
        if (incident.announcedAt == null) {
            events.announceUnstaffed(incident, page, firstAlert);
        } else {
            if (newlySet) {
                events.publish(IncidentEvents.ROLE_CHANGED, incident,
                        s -> new RoleChanged(s, Actor.SYSTEM, "commander", commander, null, "set"));
            }
            if (!page.isEmpty()) {
                events.publish(IncidentEvents.ESCALATED, incident,
                        s -> new Escalated(s, Actor.SYSTEM, 1, 0, page, EscalationService.INITIAL));
            }
        }
        if (!page.isEmpty()) {
            timeline.add(incident.id, "paged", Actor.SYSTEM, "Paging level 1: " + names(page),
                    EscalationService.pageData(1, 0, page, EscalationService.INITIAL, answer));
            escalation.scheduleAfter(incident, answer, 0);
        }
    }

    private void done(UUID incidentId) {
        sql.update("delete from commander_job where incident_id = ?", incidentId);
    }

    // How people and policies are named in timeline lines; public: lifecycle and escalation write such lines too.

    public static String policyName(PolicyTargets answer) {
        return answer.policyName() == null ? "policy " + answer.policyId() : answer.policyName();
    }

    public static String name(PersonRef p) {
        return p.name() != null ? p.name() : p.username() != null ? p.username() : String.valueOf(p.id());
    }

    public static String names(List<PersonRef> people) {
        return people.stream().map(CommanderAssignment::name).collect(Collectors.joining(", "));
    }
}

package dev.toban.incident.service;

import dev.toban.contracts.Actor;
import dev.toban.contracts.PersonRef;
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
import dev.toban.incident.model.Incident;
import dev.toban.incident.model.IncidentRepository;
import dev.toban.incident.model.Sql;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.transaction.Status;
import jakarta.transaction.Synchronization;
import jakarta.transaction.TransactionSynchronizationRegistry;
import jakarta.transaction.Transactional;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.jboss.logging.Logger;

/**
 * Makes the person on call at level 1 of the service's escalation policy the incident's IC, right
 * after the incident commits and outside its transaction. Jobs are rows ({@code commander_job}),
 * claimed with {@code FOR UPDATE SKIP LOCKED} and a lease, so with two replicas each is worked once and
 * a crash leaves it for the other. When oncall-service cannot answer and nothing is cached, the
 * incident is announced without an IC, the timeline says so, and the job keeps retrying.
 */
@ApplicationScoped
public class CommanderAssignment {

    private static final Logger LOG = Logger.getLogger(CommanderAssignment.class);
    private static final int BATCH = 20;

    private final Sql sql;
    private final IncidentRepository incidents;
    private final EscalationTargets targets;
    private final PeopleDirectoryService people;
    private final TimelineService timeline;
    private final IncidentEvents events;
    private final EscalationService escalation;
    private final TransactionSynchronizationRegistry transactions;
    private final IncidentConfig.Commander config;
    private final Semaphore wakeUps = new Semaphore(0);
    private final ExecutorService workers;
    private volatile boolean running;
    private volatile Thread worker;

    public CommanderAssignment(Sql sql, IncidentRepository incidents, EscalationTargets targets,
                               PeopleDirectoryService people, TimelineService timeline, IncidentEvents events,
                               EscalationService escalation, TransactionSynchronizationRegistry transactions,
                               IncidentConfig config) {
        this.sql = sql;
        this.incidents = incidents;
        this.targets = targets;
        this.people = people;
        this.timeline = timeline;
        this.events = events;
        this.escalation = escalation;
        this.transactions = transactions;
        this.config = config.commander();
        this.workers = Executors.newFixedThreadPool(Math.max(1, this.config.parallelism()),
                Thread.ofPlatform().daemon().name("commander-assignment-", 0).factory());
    }

    /** Writes the "needs an IC" marker in the incident's transaction; the worker wakes when it commits. */
    @Transactional(Transactional.TxType.MANDATORY)
    public void enqueue(Incident incident) {
        sql.update("insert into commander_job (incident_id, policy_id, next_attempt_at, created_at) values (?, ?, ?, ?) "
                + "on conflict (incident_id) do nothing", incident.id, incident.escalationPolicyId, Instant.now(), Instant.now());
        if (transactions.getResource(CommanderAssignment.class) == null) {
            transactions.putResource(CommanderAssignment.class, Boolean.TRUE);
            transactions.registerInterposedSynchronization(new Synchronization() {
                @Override
                public void beforeCompletion() {
                }

                @Override
                public void afterCompletion(int status) {
                    if (status == Status.STATUS_COMMITTED) {
                        wake();
                    }
                }
            });
        }
    }

    public void wake() {
        if (wakeUps.availablePermits() == 0) {
            wakeUps.release();
        }
    }

    void start(@Observes StartupEvent event) {
        running = true;
        worker = Thread.ofPlatform().daemon().name("commander-assignment").start(this::loop);
    }

    void stop(@Observes ShutdownEvent event) {
        running = false;
        workers.shutdownNow();
        Thread t = worker;
        if (t != null) {
            t.interrupt();
            try {
                t.join(5000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void loop() {
        while (running) {
            try {
                wakeUps.drainPermits();
                int worked = runOnce();
                if (worked < BATCH) {
                    wakeUps.tryAcquire(config.pollInterval().toMillis(), TimeUnit.MILLISECONDS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (Exception e) {
                LOG.warnf("IC assignment pass failed (%s); trying again shortly", e.toString());
                try {
                    Thread.sleep(config.pollInterval().toMillis());
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    /** Claims the due jobs and works them off; returns how many were claimed. */
    public int runOnce() {
        List<Sql.Row> claimed = QuarkusTransaction.requiringNew().call(() -> sql.query("""
                update commander_job set claimed_until = ?, attempts = attempts + 1
                where incident_id in (
                    select incident_id from commander_job
                    where next_attempt_at <= ? and (claimed_until is null or claimed_until < ?)
                    order by next_attempt_at limit ? for update skip locked)
                returning incident_id, policy_id, attempts""",
                Instant.now().plus(config.claimLease()), Instant.now(), Instant.now(), BATCH));
        // jobs are independent incidents: an alert storm's new incidents get their IC side by side
        List<Future<?>> inFlight = new ArrayList<>();
        for (Sql.Row job : claimed) {
            inFlight.add(workers.submit(() -> work(job.uuid(0), job.uuid(1), job.integer(2))));
        }
        for (Future<?> f : inFlight) {
            try {
                f.get();
            } catch (ExecutionException e) {
                LOG.warnf("IC assignment failed (%s); it will be retried", e.getCause().toString());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        return claimed.size();
    }

    private void work(UUID incidentId, UUID policyId, int attempts) {
        try {
            Lookup lookup = targets.lookup(policyId, 1);
            QuarkusTransaction.requiringNew().run(() -> apply(incidentId, attempts, lookup));
        } catch (RuntimeException e) {
            LOG.warnf("IC assignment for incident %s failed (%s); it will be retried", incidentId, e.toString());
        }
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
            assign(incident, found.answer());
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
            events.announce(incident, List.of());
        }
        long factor = 1L << Math.min(Math.max(attempts - 1, 0), 20);
        Duration wait = config.retryInitial().multipliedBy(factor);
        if (wait.compareTo(config.retryMax()) > 0) {
            wait = config.retryMax();
        }
        sql.update("update commander_job set next_attempt_at = ?, claimed_until = null, last_problem = ? where incident_id = ?",
                Instant.now().plus(wait), IncidentOpener.truncate(reason, 1000), incidentId);
    }

    private void assign(Incident incident, PolicyTargets answer) {
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
            events.announce(incident, page);
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

    static String policyName(PolicyTargets answer) {
        return answer.policyName() == null ? "policy " + answer.policyId() : answer.policyName();
    }

    static String name(PersonRef p) {
        return p.name() != null ? p.name() : p.username() != null ? p.username() : String.valueOf(p.id());
    }

    static String names(List<PersonRef> people) {
        return people.stream().map(CommanderAssignment::name).collect(Collectors.joining(", "));
    }
}

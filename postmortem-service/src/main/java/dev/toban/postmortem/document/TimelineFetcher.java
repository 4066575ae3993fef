package dev.toban.postmortem.document;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.toban.contracts.incident.IncidentSnapshot;
import dev.toban.plumbing.jobs.JobSpec;
import dev.toban.plumbing.jobs.Jobs;
import dev.toban.plumbing.jobs.Periodic;
import dev.toban.plumbing.jobs.Worker;
import dev.toban.plumbing.problem.ProblemException;
import dev.toban.postmortem.access.Access;
import dev.toban.postmortem.access.Requester;
import dev.toban.postmortem.client.IncidentClient;
import dev.toban.postmortem.client.RemoteNotFoundException;
import dev.toban.postmortem.config.PostmortemConfig;
import dev.toban.postmortem.lifecycle.IncidentSync;
import dev.toban.postmortem.model.Postmortem;
import dev.toban.postmortem.model.PostmortemRepository;
import dev.toban.postmortem.model.PostmortemTimeline;
import dev.toban.postmortem.model.TimelineRepository;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * Fills in each document's timeline from incident-service, on plumbing's worker {@value #JOB}: woken when a
 * postmortem opens (its commit), it retries with backoff while incident-service is down (the document shows the
 * snapshot's key times meanwhile) and otherwise sleeps until the next attempt is due. The call itself runs outside
 * any transaction, on timelines claimed with {@code FOR UPDATE SKIP LOCKED} and a lease.
 */
@ApplicationScoped
public class TimelineFetcher {

    private static final Logger LOG = Logger.getLogger(TimelineFetcher.class);
    private static final Duration LEASE = Duration.ofMinutes(2);
    private static final int BATCH = 20;
    public static final String JOB = "timeline-fetch";

    private final TimelineRepository timelines;
    private final PostmortemRepository postmortems;
    private final IncidentClient incidents;
    private final IncidentSync sync;
    private final ObjectMapper mapper;
    private final PostmortemConfig config;
    private final Worker worker;

    public TimelineFetcher(TimelineRepository timelines, PostmortemRepository postmortems, IncidentClient incidents,
                           IncidentSync sync, ObjectMapper mapper, PostmortemConfig config, Jobs jobs) {
        this.timelines = timelines;
        this.postmortems = postmortems;
        this.incidents = incidents;
        this.sync = sync;
        this.mapper = mapper;
        this.config = config;
        Optional<Duration> idleCap = Periodic.interval(config.jobs().timelineEvery());
        this.worker = idleCap.map(cap -> jobs.define(JobSpec.queue(JOB,
                        (int limit) -> timelines.claimDue(Instant.now(), LEASE, limit),
                        (TimelineRepository.Due due) -> fetch(due.postmortemId(), due.incidentId()))
                .nextDue(timelines::nextAttempt)
                .batch(BATCH)
                .shortClaimTakesAll() // a plain due-and-unleased claim: fewer than asked is all there is
                .idleCap(cap))).orElse(null);
    }

    void start(@Observes StartupEvent event) {
        if (worker != null) {
            worker.start();
        }
    }

    /** POST /api/postmortems/{id}/timeline/refresh: fetch now, whatever the schedule. */
    public boolean refresh(UUID postmortemId, Requester caller) {
        Postmortem p = QuarkusTransaction.joiningExisting().call(() ->
                postmortems.findByIdOptional(postmortemId).orElseThrow(() -> ProblemException.notFound("Postmortem", postmortemId)));
        Access.requireRead(p, caller);
        if (!caller.responder()) {
            throw ProblemException.forbidden("Refreshing the timeline needs the responder role");
        }
        return fetch(p.id, p.incidentId);
    }

    private boolean fetch(UUID postmortemId, UUID incidentId) {
        Optional<IncidentClient.IncidentWithTimeline> answer;
        String error = null;
        try {
            answer = incidents.incidentWithTimeline(incidentId);
            if (answer.isEmpty()) {
                error = "incident-service unavailable";
            }
        } catch (RemoteNotFoundException e) {
            answer = Optional.empty();
            error = "incident-service does not know incident " + incidentId;
        }
        String lastError = error;
        Optional<IncidentClient.IncidentWithTimeline> result = answer;
        return QuarkusTransaction.requiringNew().call(() -> {
            PostmortemTimeline t = timelines.findById(postmortemId);
            if (t == null || t.fetchedAt != null) {
                return false;
            }
            Instant now = Instant.now();
            if (result.isPresent()) {
                t.entries = mapper.writeValueAsString(result.get().timeline());
                t.fetchedAt = now;
                t.nextAttemptAt = null;
                t.lastError = null;
                refreshSnapshot(postmortemId, result.get().incident());
                return true;
            }
            t.attempts++;
            t.lastError = lastError;
            if (lastError != null && lastError.startsWith("incident-service does not know")) {
                t.nextAttemptAt = null;
                LOG.warnf("Giving up the timeline of postmortem %s: %s", postmortemId, lastError);
            } else {
                t.nextAttemptAt = now.plus(backoff(t.attempts));
            }
            return false;
        });
    }

    /** A newer snapshot from incident-service (for example with the Slack thread) refreshes the copy. */
    private void refreshSnapshot(UUID postmortemId, JsonNode incident) {
        if (incident == null || !incident.isObject()) {
            return;
        }
        try {
            IncidentSnapshot snapshot = sync.snapshotOf(mapper.createObjectNode().set("incident", incident));
            sync.refresh(postmortemId, snapshot, incident);
        } catch (RuntimeException e) {
            LOG.debugf("Ignoring an unreadable incident from incident-service: %s", e.toString());
        }
    }

    Duration backoff(int attempts) {
        Duration delay = Duration.ofSeconds(30L << Math.min(attempts - 1, 12));
        Duration max = config.jobs().timelineMaxBackoff();
        return delay.compareTo(max) > 0 ? max : delay;
    }
}

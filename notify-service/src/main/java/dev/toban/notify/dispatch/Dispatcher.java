package dev.toban.notify.dispatch;

import dev.toban.contracts.EventType;
import dev.toban.contracts.notify.NotifyContracts.DeliveryDead;
import dev.toban.contracts.notify.NotifyContracts.SlackThreadCreated;
import dev.toban.contracts.notify.NotifyContracts;
import dev.toban.notify.config.NotifyConfig;
import dev.toban.notify.config.SlackSettings;
import dev.toban.notify.dispatch.channel.NotificationChannel;
import dev.toban.notify.dispatch.channel.Outgoing;
import dev.toban.notify.dispatch.channel.SendResult;
import dev.toban.notify.model.Delivery;
import dev.toban.notify.model.DeliveryAttempt;
import dev.toban.notify.model.DeliveryRepository;
import dev.toban.notify.model.IncidentThread;
import dev.toban.notify.model.IncidentThreadRepository;
import dev.toban.notify.paging.PageRateLimiter;
import dev.toban.notify.paging.PageSteps;
import dev.toban.plumbing.outbox.Outbox;
import dev.toban.plumbing.jobs.DatabaseOutage;
import dev.toban.plumbing.jobs.JobSpec;
import dev.toban.plumbing.jobs.Jobs;
import dev.toban.plumbing.jobs.Periodic;
import dev.toban.plumbing.jobs.Worker;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.arc.All;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.jboss.logging.Logger;

/**
 * Sends deliveries. Worker threads claim due work with row locks that other replicas skip, send
 * outside any transaction, and record the outcome with a retry, a dead letter or the provider's
 * message id.
 *
 * <p>Per lane (a Slack channel or DM) one message is in flight at a time and posts are paced
 * ({@code toban.slack.post-interval}); with pacing off, posts of different incident threads in one
 * channel go side by side ({@code toban.slack.unpaced-parallelism}). Within an incident thread
 * messages go in incident-version order and replies wait for the parent. A 429 holds the lane for
 * Retry-After.
 */
@ApplicationScoped
public class Dispatcher {

    private static final Logger LOG = Logger.getLogger(Dispatcher.class);
    public static final EventType<SlackThreadCreated> SLACK_THREAD_CREATED = NotifyContracts.SLACK_THREAD_CREATED;
    public static final EventType<DeliveryDead> DELIVERY_DEAD = NotifyContracts.DELIVERY_DEAD;

    private final EntityManager em;
    private final DeliveryRepository deliveries;
    private final IncidentThreadRepository threads;
    private final DeliveryService service;
    private final DispatcherSignal signal;
    private final Outbox outbox;
    private final NotifyConfig.Delivery config;
    private final Duration postInterval;
    /** Least time between two chat.update calls of one incident's parent. */
    private final Duration updateInterval;
    /** Posts one Slack channel may have in flight: one when paced. */
    private final int laneParallelism;
    private final Map<String, NotificationChannel> channels;
    private final MeterRegistry meters;
    private final PageRateLimiter rateLimiter;
    private final PageSteps pageSteps;
    private final AtomicLong lastStaleCheck = new AtomicLong();
    /** Channels (slack, email, webhook) with deliveries this instance put into backoff after a failure. */
    private final Set<String> backingOff = ConcurrentHashMap.newKeySet();
    private final Worker worker;
    /** When the worker last found nothing to claim (read on the worker's thread only). */
    private Instant lastLooked = Instant.EPOCH;
    /** Whose turn a single free slot is, laned or unlaned work's (the worker's thread only). */
    private boolean unlanedTurn;
    /** Whether the last claim may have left due work claimable now: it filled a share of its slots (the worker's thread only). */
    private boolean leftSome;

    public Dispatcher(EntityManager em, DeliveryRepository deliveries, IncidentThreadRepository threads,
                      DeliveryService service, DispatcherSignal signal, Outbox outbox, NotifyConfig config,
                      SlackSettings slack, @All List<NotificationChannel> channels, MeterRegistry meters,
                      PageRateLimiter rateLimiter, PageSteps pageSteps, Jobs jobs) {
        this.em = em;
        this.deliveries = deliveries;
        this.threads = threads;
        this.service = service;
        this.signal = signal;
        this.outbox = outbox;
        this.config = config.delivery();
        this.postInterval = slack.postInterval();
        this.updateInterval = slack.updateInterval();
        this.laneParallelism = postInterval.isZero() ? Math.max(1, slack.unpacedParallelism()) : 1;
        this.channels = channels.stream().collect(Collectors.toMap(NotificationChannel::name, Function.identity()));
        this.meters = meters;
        this.rateLimiter = rateLimiter;
        this.pageSteps = pageSteps;
        // one claim transaction for all free slots (lane locks); sends run on the pool, outside any
        this.worker = jobs.define(JobSpec.queue(JOB, this::claimNext, this::send)
                .nextDue(this::nextWake)
                .parallelism(Math.max(1, this.config.workers()))
                .claimOutsideTransaction()
                .jobsWakeForFollowUps() // complete() wakes the worker when an outcome frees or reschedules work
                .shortClaimTakesAll(() -> leftSome) // a short claim that filled neither share took all there was
                .idleCap(this.config.pollInterval()));
    }

    /** The name of the dispatcher's worker ({@link DispatcherSignal} wakes it by name). */
    public static final String JOB = "delivery";

    /** One claimed delivery, ready to send; {@code lane} and the outgoing message's kind and incident let the outcome lock in order. */
    record Claim(UUID id, String channel, int attempt, Instant startedAt, boolean unknownOutcome, Outgoing outgoing,
                 String lane) {

        /** A claim settled without sending (or a look again): worked as a no-op. */
        static Claim none(Instant now) {
            return new Claim(null, null, 0, now, false, null, null);
        }
    }

    void start(@Observes StartupEvent event) {
        int count = config.workers();
        if (count <= 0) {
            LOG.info("Delivery dispatcher disabled on this instance (toban.notify.delivery.workers=0)");
            return;
        }
        worker.start();
        LOG.infof("Delivery dispatcher started with %d worker(s)", count);
    }

    /** Claims due deliveries for the free worker slots in one transaction (the worker asks again while there is more). */
    private List<Claim> claimNext(int limit) {
        releaseStaleNow();
        Instant looked = Instant.now();
        List<Claim> claims = QuarkusTransaction.requiringNew().call(() -> claim(limit));
        if (!leftSome) {
            lastLooked = looked; // what was due then and not claimed waits for something in flight
        }
        return claims; // settled ones (no id) are worked as no-ops: the worker looks again
    }

    /**
     * When the idle worker looks again: the next delivery or lane hold coming due after it last looked, or
     * the next stale-claim check while a delivery is sending; at most the poll interval (the worker's idle cap).
     * Work that waits for something in flight is not counted: the commit that finishes it wakes the worker,
     * so it never spins.
     */
    private Instant nextWake() {
        Instant next = deliveries.nextDue(lastLooked);
        Instant sending = deliveries.oldestSending();
        if (sending != null) {
            long every = Math.max(1000, config.sendingTimeout().toMillis() / 4);
            Instant stale = sending.plus(config.sendingTimeout());
            Instant checkable = Instant.ofEpochMilli(lastStaleCheck.get() + every);
            Instant release = stale.isAfter(checkable) ? stale : checkable;
            next = next == null || release.isBefore(next) ? release : next;
        }
        return next;
    }

    /** Sends a claimed delivery outside any transaction and records the outcome. */
    private void send(Claim claim) {
        if (claim.id() == null) {
            return; // settled without sending (a dependent of a dead parent, a stale update)
        }
        NotificationChannel channel = channels.get(claim.channel());
        SendResult result = null;
        if (claim.unknownOutcome()) {
            result = channel.findEarlier(claim.outgoing()).orElse(null);
            if (result != null) {
                LOG.infof("Delivery %s had reached %s before the crash; not sending it again", claim.id(), claim.channel());
            }
        }
        boolean recovered = result != null;
        Instant sendStarted = Instant.now();
        if (result == null) {
            Timer.Sample sample = Timer.start(meters);
            result = channel.send(claim.outgoing());
            sample.stop(meters.timer("toban.notify.send", "channel", claim.channel(), "outcome",
                    result.status().name().toLowerCase()));
        }
        record(claim, result, recovered, sendStarted);
    }

    /**
     * Records an outcome, retrying a few times: the message is out (or not) whatever the database
     * says, and an unrecorded send would be checked and possibly repeated once the claim goes stale.
     * While the database is unreachable it keeps trying (up to every 5 s) without counting, so an
     * outage does not leave the delivery "sending" until the stale-claim timeout. Provider texts are
     * cleaned first; an outcome the database still refuses is recorded as a plain failed attempt
     * ({@link SendResult#unstorable}), so the retry limit and dead-lettering apply to it too.
     */
    void record(Claim claim, SendResult result, boolean recovered, Instant sendStarted) {
        SendResult outcome = result.cleaned();
        boolean fallback = false;
        long pause = 50;
        for (int attempt = 1; ; attempt++) {
            SendResult recording = outcome;
            try {
                QuarkusTransaction.requiringNew().run(() -> complete(claim, recording, recovered, sendStarted));
                return;
            } catch (RuntimeException e) {
                boolean outage = DatabaseOutage.isOutage(e);
                if (outage) {
                    attempt--;
                } else if (attempt >= 5 && !fallback) {
                    LOG.errorf("Cannot record the outcome (%s) of delivery %s: %s; recording a failed attempt instead",
                            outcome.status(), claim.id(), e.toString());
                    outcome = outcome.unstorable(e.getClass().getSimpleName());
                    fallback = true;
                    attempt = 0;
                    pause = 50;
                    continue;
                } else if (attempt >= 5) {
                    LOG.errorf("Cannot record even a failed attempt of delivery %s: %s", claim.id(), e.toString());
                    throw e;
                }
                LOG.warnf("Recording the outcome of delivery %s failed (%s); retrying in %d ms", claim.id(), e.toString(), pause);
                try {
                    Thread.sleep(pause);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    throw e;
                }
                pause = Math.min(pause * 2, 5000);
            }
        }
    }

    /**
     * Marks up to {@code limit} due deliveries sending; empty when nothing is due. Laned (Slack) and unlaned (email,
     * webhooks) work share the slots: when only one is free they take turns, else one slot is kept for unlaned
     * work, so a storm's Slack posts never hold back the emails that page people (or the other way round).
     */
    List<Claim> claim(int limit) {
        Instant now = Instant.now();
        boolean unlanedFirst = limit == 1 && unlanedTurn;
        unlanedTurn = !unlanedTurn;
        List<UUID> unlaned = unlanedFirst ? deliveries.claimUnlaned(now, 1) : List.of();
        int lanedAsked = limit - unlaned.size() - (limit > 1 ? 1 : 0);
        DeliveryRepository.LaneClaims laned = deliveries.claimLaned(now, laneParallelism, lanedAsked);
        List<UUID> ids = new ArrayList<>(laned.ids());
        int unlanedAsked = unlanedFirst ? 1 : limit - ids.size();
        if (!unlanedFirst) {
            unlaned = deliveries.claimUnlaned(now, unlanedAsked);
        }
        ids.addAll(unlaned);
        // a share that took all it asked for may have left more: the worker claims again rather than sleep
        leftSome = laned.lookAgain() || lanedAsked > 0 && laned.ids().size() >= lanedAsked
                || unlanedAsked > 0 && unlaned.size() >= unlanedAsked;
        List<Claim> claims = new ArrayList<>(ids.size());
        for (UUID id : ids) {
            claims.add(claim(id, now));
            em.flush(); // the next one's checks (rate limits, what is sending) see this one
        }
        if (claims.isEmpty() && laned.lookAgain()) {
            claims.add(Claim.none(now)); // a lane filled up meanwhile: look again
        }
        return claims;
    }

    /** Marks one locked delivery sending, or settles it without sending (a claim without id). */
    private Claim claim(UUID id, Instant now) {
        // the lane lock may have been won against a row version read before another worker finished
        // this very delivery: lock the row itself and check again
        Delivery d = em.find(Delivery.class, id, LockModeType.PESSIMISTIC_WRITE);
        if (d == null || !Delivery.PENDING.equals(d.state) || d.dueAt.isAfter(now)) {
            return Claim.none(now);
        }
        if (d.blockedBy != null) {
            Delivery parent = em.find(Delivery.class, d.blockedBy);
            if (parent != null && !Delivery.SENT.equals(parent.state)) {
                settleDependent(d, parent);
                return Claim.none(now);
            }
        }
        String threadChannel = null;
        String threadTs = null;
        if (NewDelivery.SLACK_REPLY.equals(d.kind) || NewDelivery.SLACK_UPDATE.equals(d.kind)) {
            IncidentThread thread = d.incidentId == null ? null : threads.findById(d.incidentId);
            if (thread == null || thread.ts == null) {
                fail(d, "the incident thread has no parent message to reply to");
                return Claim.none(now);
            }
            threadChannel = thread.channelId != null ? thread.channelId : thread.channel;
            threadTs = thread.ts;
            Message message = service.read(d.payload);
            if (NewDelivery.SLACK_UPDATE.equals(d.kind) && stale(message, thread)) {
                settle(d, Delivery.SKIPPED, "the parent already shows version " + thread.parentVersion
                        + " (revision " + thread.shownRevision + ")");
                return Claim.none(now);
            }
        }
        // a number or topic at its rate limit: this page is folded into one summary instead (under the lane lock)
        java.util.Optional<String> folded = rateLimiter.foldIfLimited(d, now);
        if (folded.isPresent()) {
            settle(d, Delivery.SKIPPED, folded.get());
            return Claim.none(now);
        }
        if (PageRateLimiter.FOLD.equals(d.purpose) && !d.unknownOutcome) {
            d.payload = service.write(rateLimiter.summary(d)); // the pages it stands for, counted now
        }
        Instant previousStart = d.unknownOutcome ? (d.sendingSince != null ? d.sendingSince : d.updatedAt) : null;
        String knownChannel = d.unknownOutcome && NewDelivery.SLACK.equals(d.channel)
                ? deliveries.knownSlackChannelId(d.target).orElse(null) : null;
        d.state = Delivery.SENDING;
        d.attempts += 1;
        d.sendingSince = now;
        d.updatedAt = now;
        Outgoing outgoing = new Outgoing(d.id, d.eventId, d.eventType, d.incidentId, d.kind, d.target,
                service.read(d.payload), threadChannel, threadTs, knownChannel, d.attempts, previousStart);
        return new Claim(d.id, d.channel, d.attempts, now, d.unknownOutcome, outgoing, d.lane);
    }

    /**
     * Whether a parent update shows nothing newer than Slack has: its revision (or, for updates queued
     * before revisions, its incident version) is not past what was sent last.
     */
    static boolean stale(Message update, IncidentThread thread) {
        if (update.revision() != null) {
            return update.revision() <= thread.shownRevision;
        }
        return update.version() != null && update.version() <= thread.parentVersion;
    }

    /** Records the outcome of an attempt, unless the claim was taken over meanwhile. */
    void complete(Claim claim, SendResult result, boolean recovered, Instant sendStarted) {
        // lock order, the same as the consumers': incident thread, then lane, then delivery rows; what the order needs
        // (kind, incident, lane: fixed when the delivery is made) comes with the claim, so the row is read once, locked
        Outgoing o = claim.outgoing();
        String kind = o == null ? null : o.kind();
        String lane = claim.lane();
        IncidentThread thread = null;
        if (o != null && o.incidentId() != null
                && (NewDelivery.SLACK_PARENT.equals(kind) || NewDelivery.SLACK_UPDATE.equals(kind))) {
            thread = threads.findByIdOptional(o.incidentId(), LockModeType.PESSIMISTIC_WRITE).orElse(null);
        }
        if (lane != null && lane.startsWith("slack:") && !postInterval.isZero()) {
            // the next post in this channel goes no sooner than one interval after this one went out
            deliveries.holdLane(lane, sendStarted.plus(postInterval));
        } else if (NewDelivery.SLACK_UPDATE.equals(kind) && lane != null && !updateInterval.isZero()) {
            // the next edit of this parent waits: what happens meanwhile folds into one update
            deliveries.holdLane(lane, sendStarted.plus(updateInterval));
        }
        Delivery d = em.find(Delivery.class, claim.id(), LockModeType.PESSIMISTIC_WRITE);
        if (d == null) {
            return;
        }
        Instant now = Instant.now();
        if (!Delivery.SENDING.equals(d.state) || d.attempts != claim.attempt()) {
            LOG.warnf("Delivery %s changed while attempt %d was in flight; its outcome (%s) is not recorded",
                    claim.id(), claim.attempt(), result.status());
            return;
        }
        boolean wake = true;
        DeliveryAttempt attempt = new DeliveryAttempt();
        attempt.deliveryId = d.id;
        attempt.attempt = claim.attempt();
        attempt.startedAt = claim.startedAt();
        attempt.finishedAt = now;
        attempt.error = result.error();
        attempt.providerMessageId = result.providerMessageId();
        d.updatedAt = now;
        d.unknownOutcome = false;
        switch (result.status()) {
            case SENT -> {
                attempt.outcome = recovered ? "recovered" : "sent";
                d.state = Delivery.SENT;
                d.sentAt = now;
                d.lastError = null;
                d.providerMessageId = result.providerMessageId();
                d.providerChannel = result.providerChannel();
                afterSent(d, thread, result);
                publishOutcome(d);
                boolean freed = false;
                if (backingOff.remove(d.channel)) {
                    // the provider answers again: what waits out a long backoff goes now (lane pacing still applies)
                    int woken = deliveries.retryBackedOffNow(d.channel, now, config.initialBackoff());
                    if (woken > 0) {
                        LOG.infof("%s answers again: %d delivery(ies) in backoff retry now", d.channel, woken);
                        freed = true;
                    }
                }
                // most sends free nothing (a DM, a parent with no reply yet): no claim pass for them
                wake = freed || deliveries.othersWaitOn(d.id, d.lane, d.threadKey);
            }
            case RATE_LIMITED -> {
                attempt.outcome = "rate_limited";
                Duration wait = result.retryAfter() == null ? Duration.ofSeconds(1) : result.retryAfter();
                d.state = Delivery.PENDING;
                d.attempts -= 1; // being told to slow down is not a failure
                d.dueAt = now.plus(wait);
                d.lastError = result.error();
                if (d.lane != null) {
                    deliveries.holdLane(d.lane, now.plus(wait));
                }
            }
            case RETRY -> {
                if (d.woken) {
                    // an early try (another message got through) that failed: back to its own schedule, uncounted;
                    // a destination that stays broken while others work cannot burn its attempts this way
                    d.attempts -= 1;
                    attempt.outcome = "early_retry";
                    d.state = Delivery.PENDING;
                    d.dueAt = now.plus(backoff(Math.max(1, d.attempts)));
                    d.lastError = result.error();
                    d.unknownOutcome = result.mayHaveArrived();
                } else if (d.attempts >= config.maxAttempts()) {
                    attempt.outcome = "failed";
                    dead(d, result.error() + " (after " + d.attempts + " attempts)");
                } else {
                    attempt.outcome = "retry";
                    d.state = Delivery.PENDING;
                    d.dueAt = now.plus(backoff(d.attempts));
                    backingOff.add(d.channel);
                    d.lastError = result.error();
                    d.unknownOutcome = result.mayHaveArrived();
                    if (NewDelivery.WAKING.contains(d.channel)) {
                        // every provider of the channel failed: this one keeps retrying, the next method goes now
                        pageSteps.advance(d, result.error());
                    }
                }
            }
            case FAILED -> {
                attempt.outcome = "failed";
                dead(d, result.error());
            }
        }
        d.woken = false;
        // after an ambiguous failure the start of the attempt bounds the search for its message
        d.sendingSince = Delivery.SENDING.equals(d.state) || d.unknownOutcome ? d.sendingSince : null;
        em.persist(attempt);
        meters.counter("toban.notify.deliveries", "channel", d.channel, "outcome", attempt.outcome).increment();
        if (wake) {
            signal.wakeAfterCommit(); // a retry's due time, a lane slot or a parent others wait for
        }
    }

    /** The parent of an incident thread is out: remember where, and tell incident-service. */
    private void afterSent(Delivery d, IncidentThread thread, SendResult result) {
        if (thread == null) {
            return;
        }
        if (NewDelivery.SLACK_PARENT.equals(d.kind)) {
            Message message = service.read(d.payload);
            thread.channelId = result.providerChannel();
            thread.ts = result.providerMessageId();
            thread.permalink = result.permalink();
            thread.parentVersion = Math.max(thread.parentVersion, message.version() == null ? 0 : message.version());
            thread.shownRevision = Math.max(thread.shownRevision, message.revision() == null ? 0 : message.revision());
            thread.updatedAt = Instant.now();
            // channelName: the name it was posted to (#svc-news-api), for people reading the timeline; Slack answers an id
            outbox.publish(SLACK_THREAD_CREATED, d.incidentId.toString(), new SlackThreadCreated(d.incidentId,
                    thread.channelId, thread.channel != null && thread.channel.startsWith("#") ? thread.channel : null,
                    thread.ts, thread.permalink));
        } else if (NewDelivery.SLACK_UPDATE.equals(d.kind)) {
            Message message = service.read(d.payload);
            if (message.version() != null) {
                thread.parentVersion = Math.max(thread.parentVersion, message.version());
            }
            if (message.revision() != null) {
                thread.shownRevision = Math.max(thread.shownRevision, message.revision());
            }
            thread.updatedAt = Instant.now();
        }
    }

    /** A delivery waiting for a parent that will never be sent takes the parent's fate. */
    private void settleDependent(Delivery d, Delivery parent) {
        switch (parent.state) {
            case Delivery.DEAD -> dead(d, parentNotPosted(parent));
            case Delivery.SKIPPED -> settle(d, Delivery.SKIPPED, "the thread parent was skipped");
            case Delivery.CANCELLED -> settle(d, Delivery.CANCELLED, "the thread parent was cancelled");
            default -> {
                // still open: the claim query should not have picked this; leave it pending
            }
        }
    }

    private static String parentNotPosted(Delivery parent) {
        return "the thread parent message (delivery " + parent.id + ") was not posted";
    }

    private void fail(Delivery d, String error) {
        d.attempts += 1;
        dead(d, error);
    }

    private void settle(Delivery d, String state, String reason) {
        d.state = state;
        d.lastError = reason;
        d.updatedAt = Instant.now();
        d.sendingSince = null;
        signal.wakeAfterCommit();
    }

    /** Marks a delivery dead, tells operators, and takes down what waits for it. */
    private void dead(Delivery d, String error) {
        d.state = Delivery.DEAD;
        d.lastError = error;
        d.updatedAt = Instant.now();
        d.sendingSince = null;
        LOG.warnf("Delivery %s (%s to %s for %s) is dead: %s", d.id, d.channel, d.target, d.eventType, error);
        pageSteps.advance(d, error);
        publishDead(d);
        publishOutcome(d);
        for (Delivery dependent : deliveries.waitingFor(d.id, Delivery.PENDING)) {
            dependent.state = Delivery.DEAD;
            dependent.lastError = parentNotPosted(d);
            dependent.updatedAt = Instant.now();
            publishDead(dependent);
            publishOutcome(dependent);
        }
        signal.wakeAfterCommit();
    }

    private void publishDead(Delivery d) {
        outbox.publish(DELIVERY_DEAD, d.id.toString(), new DeliveryDead(d.id, d.eventId,
                d.eventType, d.channel, d.target, d.incidentId, d.lastError));
        meters.counter("toban.notify.deliveries.dead", "channel", d.channel).increment();
    }

    /**
     * How a delivery of an incident ended, for the incident's timeline: {@code toban.notify.delivery.sent} or
     * {@code .failed}, in the transaction that records it. Edits of the parent message (chat.update) are not
     * messages of their own and are not announced; neither is a thread post or webhook that went out (no person):
     * the timeline makes no line of it, so the event would only cost an outbox row and an inbox transaction.
     */
    private void publishOutcome(Delivery d) {
        if (d.incidentId == null || NewDelivery.SLACK_UPDATE.equals(d.kind)) {
            return;
        }
        if (d.recipient == null && Delivery.SENT.equals(d.state)) {
            return;
        }
        DeliveryOutcome outcome = DeliveryOutcome.of(d, service.recipient(d));
        outbox.publish(outcome.type(), d.id.toString(), outcome.data());
    }

    Duration backoff(int attempt) {
        return Backoff.delay(attempt, config.initialBackoff(), config.maxBackoff(), ThreadLocalRandom.current().nextDouble());
    }

    /** Deliveries left sending by a stopped instance become pending with an unknown outcome. */
    private void releaseStaleNow() {
        long now = System.currentTimeMillis();
        long every = Math.max(1000, config.sendingTimeout().toMillis() / 4);
        long last = lastStaleCheck.get();
        if (now - last < every || !lastStaleCheck.compareAndSet(last, now)) {
            return;
        }
        int released = QuarkusTransaction.requiringNew().call(
                () -> deliveries.releaseStale(Instant.now().minus(config.sendingTimeout())));
        if (released > 0) {
            LOG.warnf("%d delivery(ies) were left sending by a stopped instance; checking before sending again", released);
        }
    }

    /** Purges on every instance, also one whose dispatcher is off (workers=0). */
    void schedulePurge(@Observes StartupEvent event, Periodic periodic) {
        periodic.every("delivery-purge", Duration.ofHours(1), Duration.ofMinutes(5), this::purge);
    }

    /** Old finished deliveries go; dead ones stay until replayed. */
    void purge() {
        int purged = QuarkusTransaction.requiringNew().call(
                () -> deliveries.purgeFinished(Instant.now().minus(config.retention())));
        if (purged > 0) {
            LOG.infof("Purged %d finished deliveries older than %s", purged, config.retention());
        }
    }
}

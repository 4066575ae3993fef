package dev.toban.plumbing.jobs;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.jboss.logging.Logger;

/**
 * The one background loop of Toban (see {@link JobSpec} for what it runs and {@link Jobs} for how a
 * service gets one). A single thread runs passes; between them it sleeps until the earliest of: the next
 * due time the pass reported, a {@link #wake()} (typically {@link #wakeAfterCommit()} from the transaction
 * that wrote a job, in this replica or through {@link ReplicaSignals} in another), or the idle cap. It never polls
 * in a tight loop: an idle worker costs one look per idle cap. A pass that throws (database or broker unreachable) is retried after an exponential backoff
 * that wake-ups do not cut short, so a storm of commits cannot hammer a dead broker.
 *
 * <p>Queue-shaped jobs are worked on a bounded pool: the worker claims at most as many jobs as it has
 * free slots, and a finished job wakes it to claim the next (with {@link JobSpec#jobsWakeForFollowUps()} only
 * when it waits for a free slot). After a claim that took jobs it claims again at once, unless the claim came back
 * short and says it took all there was ({@link JobSpec#shortClaimTakesAll()}). Meters, tagged {@code job=<name>}:
 * {@code toban.jobs.claimed}, {@code toban.jobs.done}, {@code toban.jobs.failed} (jobs),
 * {@code toban.jobs.pass.failures} (passes), {@code toban.jobs.in_flight} and {@code toban.jobs.lag}
 * (seconds the worker has been continuously behind: more due work than it could take, 0 when it caught up).
 */
public final class Worker {

    private static final Logger LOG = Logger.getLogger(Worker.class);

    /** Runs a callable in a new transaction (the claim and the next-due query). */
    @FunctionalInterface
    public interface Transactions {
        <R> R call(Callable<R> work) throws Exception;

        Transactions NONE = Callable::call;
    }

    /** Tells the other replicas' worker of the same name to look once the caller's transaction commits. */
    @FunctionalInterface
    public interface Replicas {
        void signalAfterCommit(String worker);

        Replicas NONE = worker -> { };
    }

    /** The resolved settings of one worker. */
    public record Settings(Duration idleCap, Duration initialBackoff, Duration maxBackoff, Duration shutdownTimeout) {
    }

    private final JobSpec<Object> spec;
    private final Transactions transactions;
    private final AfterCommit afterCommit;
    private final Replicas replicas;
    private final Settings settings;
    private final Semaphore wakeUps = new Semaphore(0);
    private final CountDownLatch stopping = new CountDownLatch(1);
    private final Semaphore slots;
    private final ExecutorService pool;
    private final AtomicInteger inFlight = new AtomicInteger();
    private final Counter claimed;
    private final Counter done;
    private final Counter failed;
    private final Counter passFailures;
    private volatile Instant behindSince;
    /** Set while the worker has no free slot (see {@link JobSpec#jobsWakeForFollowUps()}). */
    private volatile boolean waitingForSlot;
    private volatile boolean running;
    private volatile Thread thread;
    /** When the sleeping worker looks next of itself; {@link #LOOKING} while a pass runs (it may not see new rows). */
    private volatile Instant plannedLook = LOOKING;
    private static final Instant LOOKING = Instant.MIN;

    /**
     * Background work yields to requests (an Events API accept, a page) when the CPU is short, as in a storm's first
     * seconds: with {@code -XX:ThreadPriorityPolicy=1} (bin/jvm.options) the JVM maps it to nice 4 on Linux, which
     * needs no privilege; without that flag Linux ignores Java thread priorities.
     */
    static final int BACKGROUND = Thread.MIN_PRIORITY;

    @SuppressWarnings("unchecked")
    public Worker(JobSpec<?> spec, Settings settings, Transactions transactions, AfterCommit afterCommit,
                  Replicas replicas, MeterRegistry meters) {
        this.spec = (JobSpec<Object>) spec;
        this.settings = settings;
        this.transactions = transactions;
        this.afterCommit = afterCommit;
        this.replicas = replicas == null ? Replicas.NONE : replicas;
        boolean pooled = spec.pass == null && spec.parallelism > 1;
        this.slots = pooled ? new Semaphore(spec.parallelism) : null;
        this.pool = pooled ? Executors.newFixedThreadPool(spec.parallelism,
                Thread.ofPlatform().daemon().priority(BACKGROUND).name(spec.name + "-", 0).factory()) : null;
        String job = spec.name;
        this.claimed = meters.counter("toban.jobs.claimed", "job", job);
        this.done = meters.counter("toban.jobs.done", "job", job);
        this.failed = meters.counter("toban.jobs.failed", "job", job);
        this.passFailures = meters.counter("toban.jobs.pass.failures", "job", job);
        Gauge.builder("toban.jobs.in_flight", inFlight, AtomicInteger::get).tag("job", job)
                .description("Jobs being worked right now").register(meters);
        Gauge.builder("toban.jobs.lag", this, Worker::lagSeconds).tag("job", job).baseUnit("seconds")
                .description("How long the worker has been behind (more due work than it could take); 0 when idle")
                .register(meters);
    }

    public String name() {
        return spec.name;
    }

    /** Starts the loop thread; the first pass runs at once (work left by a crash or another replica). */
    public synchronized void start() {
        if (running || stopping.getCount() == 0) {
            return;
        }
        running = true;
        thread = Thread.ofPlatform().daemon().priority(BACKGROUND).name("job-" + spec.name).start(this::loop);
    }

    public boolean isRunning() {
        return running;
    }

    /** Runs a pass as soon as possible (a wake-up already pending is enough). */
    public void wake() {
        if (wakeUps.availablePermits() == 0) {
            wakeUps.release();
        }
    }

    /**
     * Wakes the worker once the caller's transaction commits (once per transaction), and the other replicas' worker
     * of this name ({@link ReplicaSignals}); now without a transaction.
     */
    public void wakeAfterCommit() {
        if (afterCommit == null) {
            wake();
        } else {
            afterCommit.once(this, this::wake);
            replicas.signalAfterCommit(spec.name);
        }
    }

    /**
     * Wakes the worker once the caller's transaction commits, for a job that becomes due at {@code due}, unless the
     * worker sleeps until then anyway: a timer set minutes ahead (an escalation step) costs no pass of its own. One
     * due at or after the worker's longest sleep from now costs not even an after-commit action: it looks by then.
     */
    public void wakeAfterCommitFor(Instant due) {
        if (!due.isBefore(Instant.now().plus(settings.idleCap()))) {
            return;
        }
        if (afterCommit == null) {
            wakeFor(due);
        } else {
            afterCommit.run(() -> wakeFor(due));
            replicas.signalAfterCommit(spec.name); // another replica's worker plans its sleep without this job
        }
    }

    private void wakeFor(Instant due) {
        Instant planned = plannedLook;
        if (planned == LOOKING || due.isBefore(planned)) {
            wake();
        }
    }

    /** Stops taking work, lets jobs in flight finish for the shutdown timeout, then interrupts them. */
    public void stop() {
        running = false;
        stopping.countDown();
        wake();
        Thread t = thread;
        long waitMillis = settings.shutdownTimeout().toMillis();
        try {
            if (t != null) {
                t.join(waitMillis);
                if (t.isAlive()) {
                    t.interrupt();
                    t.join(1000);
                }
            }
            if (pool != null) {
                pool.shutdown();
                if (!pool.awaitTermination(waitMillis, TimeUnit.MILLISECONDS)) {
                    pool.shutdownNow();
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            if (pool != null) {
                pool.shutdownNow();
            }
        }
    }

    private void loop() {
        long backoffMillis = 0;
        int pastDue = 0;
        while (running) {
            Next next;
            try {
                plannedLook = LOOKING; // before the pass reads anything: a row committed from here on wakes it
                wakeUps.drainPermits(); // a wake-up from now on runs another pass
                next = spec.pass != null ? spec.pass.run() : queuePass();
                if (backoffMillis > 0) {
                    LOG.infof("Worker %s is working again", spec.name);
                }
                backoffMillis = 0;
            } catch (InterruptedException e) {
                if (!running) {
                    return;
                }
                Thread.currentThread().interrupt();
                return;
            } catch (Exception e) {
                if (!running) {
                    return;
                }
                passFailures.increment();
                backoffMillis = backoffMillis == 0 ? settings.initialBackoff().toMillis()
                        : Math.min(settings.maxBackoff().toMillis(), backoffMillis * 2);
                LOG.warnf("Worker %s: %s (%s); trying again in %d ms", spec.name,
                        DatabaseOutage.isOutage(e) ? "the database is unreachable" : "pass failed",
                        rootMessage(e), backoffMillis);
                if (!pause(backoffMillis)) {
                    return;
                }
                continue;
            }
            if (!running) {
                return;
            }
            if (next.done()) {
                running = false;
                return;
            }
            if (next.now()) {
                pastDue = 0;
                if (behindSince == null) {
                    behindSince = Instant.now();
                }
                continue;
            }
            if (slots == null || slots.availablePermits() > 0) {
                behindSince = null; // caught up: nothing more claimable now
            }
            long waitMillis = settings.idleCap().toMillis();
            if (next.at() != null) {
                // rounded up: a pass a fraction of a millisecond early would find the job not due yet
                Duration until = Duration.between(Instant.now(), next.at());
                if (until.compareTo(settings.idleCap()) < 0) {
                    long nanos = until.toNanos();
                    waitMillis = nanos <= 0 ? 0 : (nanos + 999_999) / 1_000_000;
                }
            }
            if (waitMillis <= 0) {
                // due already but not claimable (a row another replica holds locked while it works it): look
                // again soon, backing off while that lasts, never in a tight loop
                waitMillis = Math.min(settings.idleCap().toMillis(), 10L << Math.min(pastDue++, 10));
            } else {
                pastDue = 0;
            }
            plannedLook = Instant.now().plusMillis(waitMillis);
            try {
                wakeUps.tryAcquire(waitMillis, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /** Sleeps out a backoff; wake-ups do not end it, a stop does. False when stopping. */
    private boolean pause(long millis) {
        try {
            return !stopping.await(millis, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            return false;
        }
    }

    private Next queuePass() throws Exception {
        int limit = spec.batch;
        if (slots != null) {
            waitingForSlot = true; // before reading the permits: a job finishing after the read sees it and wakes us
            int free = slots.availablePermits();
            if (free == 0) {
                if (behindSince == null) {
                    behindSince = Instant.now();
                }
                return Next.IDLE; // a finishing job wakes the worker
            }
            waitingForSlot = false;
            limit = Math.min(limit, free);
        }
        int want = limit;
        List<Object> jobs = spec.claimInTransaction ? transactions.call(() -> spec.claim.claim(want)) : spec.claim.claim(want);
        if (jobs == null || jobs.isEmpty()) {
            return nextDue();
        }
        claimed.increment(jobs.size());
        for (Object job : jobs) {
            if (slots == null) {
                workOne(job);
                continue;
            }
            slots.acquire();
            try {
                pool.execute(() -> {
                    try {
                        workOne(job);
                    } finally {
                        slots.release();
                        if (spec.wakeOnEveryFinish || waitingForSlot) {
                            wake(); // a free slot: look for the next job
                        }
                    }
                });
            } catch (RejectedExecutionException e) {
                slots.release();
                return Next.IDLE; // shutting down: the lease brings the job back
            }
        }
        if (spec.shortClaimTakesAll && jobs.size() < want && (spec.leftSome == null || !spec.leftSome.getAsBoolean())) {
            return nextDue(); // took all there was
        }
        return Next.NOW; // there may be more due
    }

    /**
     * When the queue's next job comes due; none asked when a wake-up came during the pass, which runs the next pass
     * at once anyway. Under load most passes end that way, and the next-due query, its transaction and the index
     * entries it walks past are saved.
     */
    private Next nextDue() throws Exception {
        if (spec.nextDue == null || wakeUps.availablePermits() > 0) {
            return Next.IDLE;
        }
        return Next.at(transactions.call(spec.nextDue::next));
    }

    private void workOne(Object job) {
        inFlight.incrementAndGet();
        try {
            spec.work.work(job);
            done.increment();
        } catch (Exception e) {
            failed.increment();
            LOG.warnf("Worker %s: a job failed (%s); it is tried again when its lease or backoff ends", spec.name,
                    DatabaseOutage.isOutage(e) ? "database unreachable: " + rootMessage(e) : e.toString());
        } finally {
            inFlight.decrementAndGet();
        }
    }

    private double lagSeconds() {
        Instant since = behindSince;
        return since == null ? 0 : Duration.between(since, Instant.now()).toMillis() / 1000.0;
    }

    static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t.getClass().getSimpleName() + ": " + t.getMessage();
    }
}

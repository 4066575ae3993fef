package dev.toban.plumbing.jobs;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.function.BooleanSupplier;

/**
 * What a {@link Worker} runs. Two shapes:
 *
 * <ul>
 *   <li>{@link #queue queue}: a row-backed job queue. The service gives the claim (typically
 *   {@code update ... set claimed_until = <lease> where id in (select ... where due <= now and
 *   (claimed_until is null or claimed_until < now) ... for update skip locked) returning ...}, see
 *   {@link JobTable}), the work per claimed job and the next due time (including lease expiries). The
 *   worker claims in its own transaction, works jobs outside it on a bounded pool and sleeps until the
 *   next due time, a wake-up, or the idle cap.</li>
 *   <li>{@link #pass pass}: one step that does everything itself (the outbox relay's batch under its
 *   advisory lock, the handoff tick) and says when it wants to run again ({@link Next}).</li>
 * </ul>
 */
public final class JobSpec<T> {

    /** Claims up to {@code limit} due jobs; runs in a new transaction unless {@link #claimOutsideTransaction()}. */
    @FunctionalInterface
    public interface Claim<T> {
        List<T> claim(int limit) throws Exception;
    }

    /** Works one claimed job, outside the claim's transaction; a throw counts as failed (the lease brings it back). */
    @FunctionalInterface
    public interface Work<T> {
        void work(T job) throws Exception;
    }

    /** When the earliest job not claimable now becomes claimable (due time or lease expiry); null: none known. */
    @FunctionalInterface
    public interface NextDue {
        Instant next() throws Exception;
    }

    /** One step of a pass-shaped job. */
    @FunctionalInterface
    public interface Pass {
        Next run() throws Exception;
    }

    final String name;
    final Pass pass;
    final Claim<T> claim;
    final Work<T> work;
    NextDue nextDue;
    int parallelism = 1;
    int batch = 20;
    boolean claimInTransaction = true;
    boolean wakeOnEveryFinish = true;
    boolean shortClaimTakesAll;
    BooleanSupplier leftSome;
    Duration idleCap;
    Duration initialBackoff;
    Duration maxBackoff;

    private JobSpec(String name, Pass pass, Claim<T> claim, Work<T> work) {
        this.name = Objects.requireNonNull(name);
        this.pass = pass;
        this.claim = claim;
        this.work = work;
    }

    public static <T> JobSpec<T> queue(String name, Claim<T> claim, Work<T> work) {
        return new JobSpec<>(name, null, Objects.requireNonNull(claim), Objects.requireNonNull(work));
    }

    public static JobSpec<Void> pass(String name, Pass pass) {
        return new JobSpec<>(name, Objects.requireNonNull(pass), null, null);
    }

    public JobSpec<T> nextDue(NextDue nextDue) {
        this.nextDue = nextDue;
        return this;
    }

    /** Jobs worked side by side (a bounded pool); 1 works them on the worker's own thread. */
    public JobSpec<T> parallelism(int parallelism) {
        this.parallelism = Math.max(1, parallelism);
        return this;
    }

    /** Most jobs one claim takes (with a pool: at most the free workers). */
    public JobSpec<T> batch(int batch) {
        this.batch = Math.max(1, batch);
        return this;
    }

    /**
     * For a pooled queue whose jobs wake the worker themselves whenever finishing one frees or reschedules other
     * work: a finished job then wakes the worker only when it is waiting for a free slot, instead of after every
     * job (one claim and one next-due query saved per job).
     */
    public JobSpec<T> jobsWakeForFollowUps() {
        this.wakeOnEveryFinish = false;
        return this;
    }

    /**
     * For a claim that takes every job claimable now up to its limit: when it returns fewer than asked, the worker
     * does not claim again only to find nothing, but asks for the next due time at once (one claim transaction saved
     * per pass; work that comes due or is written meanwhile wakes the worker as always).
     */
    public JobSpec<T> shortClaimTakesAll() {
        return shortClaimTakesAll(null);
    }

    /**
     * {@link #shortClaimTakesAll()} for a claim that may come back short and still leave work claimable now (the
     * dispatcher's laned and unlaned shares of the slots): {@code leftSome}, asked right after such a claim on the
     * worker's thread, says so, and the worker then claims again at once.
     */
    public JobSpec<T> shortClaimTakesAll(BooleanSupplier leftSome) {
        this.shortClaimTakesAll = true;
        this.leftSome = leftSome;
        return this;
    }

    /** For a claim that opens its own transactions. */
    public JobSpec<T> claimOutsideTransaction() {
        this.claimInTransaction = false;
        return this;
    }

    /** Overrides {@link JobsConfig#idleCap()} for this worker. */
    public JobSpec<T> idleCap(Duration idleCap) {
        this.idleCap = idleCap;
        return this;
    }

    /** Overrides the pause after failed passes for this worker. */
    public JobSpec<T> backoff(Duration initial, Duration max) {
        this.initialBackoff = initial;
        this.maxBackoff = max;
        return this;
    }

    public String name() {
        return name;
    }
}

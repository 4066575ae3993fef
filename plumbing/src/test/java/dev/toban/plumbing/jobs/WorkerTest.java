package dev.toban.plumbing.jobs;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The worker loop: wake-up after commit, due times, leases, backoff, the pool and shutdown; no sleeps. */
class WorkerTest {

    private static final Duration LONG = Duration.ofHours(1);

    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final List<Worker> started = new ArrayList<>();
    /** Workers the other replicas were told to wake, in order. */
    private final List<String> signalled = new CopyOnWriteArrayList<>();

    @AfterEach
    void stopAll() {
        started.forEach(Worker::stop);
    }

    private Worker start(JobSpec<?> spec, AfterCommit afterCommit, Duration idleCap, Duration initialBackoff,
                         Duration maxBackoff) {
        Worker worker = new Worker(spec, new Worker.Settings(idleCap, initialBackoff, maxBackoff, Duration.ofMillis(500)),
                Worker.Transactions.NONE, afterCommit, signalled::add, meters);
        started.add(worker);
        worker.start();
        return worker;
    }

    private Worker start(JobSpec<?> spec) {
        return start(spec, null, LONG, Duration.ofMillis(50), Duration.ofMillis(200));
    }

    private double count(String meter, String job) {
        return meters.get(meter).tag("job", job).counter().count();
    }

    @Test
    void wakesOnceAfterCommitAndNotAfterRollback() {
        FakeTransactions tx = new FakeTransactions();
        AtomicInteger passes = new AtomicInteger();
        Worker worker = start(JobSpec.pass("commit", () -> {
            passes.incrementAndGet();
            return Next.IDLE;
        }), new AfterCommit(tx), LONG, Duration.ofMillis(50), Duration.ofMillis(200));
        await().atMost(5, TimeUnit.SECONDS).until(() -> passes.get() == 1); // the first pass at start

        tx.begin();
        worker.wakeAfterCommit();
        worker.wakeAfterCommit();
        worker.wakeAfterCommit();
        await().during(200, TimeUnit.MILLISECONDS).atMost(1, TimeUnit.SECONDS).until(() -> passes.get() == 1);
        tx.commit();
        await().atMost(5, TimeUnit.SECONDS).until(() -> passes.get() == 2);

        tx.begin();
        worker.wakeAfterCommit();
        tx.rollback();
        await().during(300, TimeUnit.MILLISECONDS).atMost(1, TimeUnit.SECONDS).until(() -> passes.get() == 2);
    }

    @Test
    void afterCommitRunsAtOnceWithoutATransaction() {
        FakeTransactions tx = new FakeTransactions();
        AtomicInteger runs = new AtomicInteger();
        AfterCommit afterCommit = new AfterCommit(tx);
        afterCommit.run(runs::incrementAndGet);
        afterCommit.once("k", runs::incrementAndGet);
        assertEquals(2, runs.get());
        tx.begin();
        afterCommit.run(runs::incrementAndGet);
        afterCommit.run(runs::incrementAndGet);
        afterCommit.once("k", runs::incrementAndGet);
        afterCommit.once("k", runs::incrementAndGet);
        assertEquals(2, runs.get());
        tx.commit();
        assertEquals(5, runs.get(), "run: every call; once: once per key and transaction");
    }

    /** An in-memory job table with due times and leases, claimed like the SQL of {@link JobTable}. */
    static final class Table {
        final Duration lease;
        final List<Row> rows = new CopyOnWriteArrayList<>();

        Table(Duration lease) {
            this.lease = lease;
        }

        static final class Row {
            final String id;
            volatile Instant due;
            volatile Instant claimedUntil;
            volatile boolean finished;

            Row(String id, Instant due) {
                this.id = id;
                this.due = due;
            }
        }

        synchronized List<Row> claim(int limit) {
            Instant now = Instant.now();
            List<Row> claimed = new ArrayList<>();
            for (Row r : rows) {
                if (claimed.size() < limit && !r.finished && !r.due.isAfter(now)
                        && (r.claimedUntil == null || r.claimedUntil.isBefore(now))) {
                    r.claimedUntil = now.plus(lease);
                    claimed.add(r);
                }
            }
            return claimed;
        }

        synchronized Instant nextDue() {
            return rows.stream().filter(r -> !r.finished)
                    .map(r -> r.claimedUntil != null && r.claimedUntil.isAfter(r.due) ? r.claimedUntil : r.due)
                    .min(Instant::compareTo).orElse(null);
        }
    }

    @Test
    void sleepsUntilTheNextDueTimeNotLonger() {
        Table table = new Table(Duration.ofMinutes(1));
        Instant due = Instant.now().plusMillis(400);
        table.rows.add(new Table.Row("a", due));
        List<Instant> workedAt = new CopyOnWriteArrayList<>();
        start(JobSpec.queue("due", table::claim, (Table.Row r) -> {
            workedAt.add(Instant.now());
            r.finished = true;
        }).nextDue(table::nextDue));
        // the idle cap is an hour: only the due time can bring the job in
        await().atMost(5, TimeUnit.SECONDS).until(() -> workedAt.size() == 1);
        assertFalse(workedAt.get(0).isBefore(due), "not before it was due");
        assertEquals(1, count("toban.jobs.done", "due"));
    }

    @Test
    void aJobWhoseWorkerDiedIsClaimedAgainWhenItsLeaseExpires() {
        Table table = new Table(Duration.ofMillis(300));
        table.rows.add(new Table.Row("a", Instant.now()));
        AtomicInteger claims = new AtomicInteger();
        List<Instant> attempts = new CopyOnWriteArrayList<>();
        start(JobSpec.queue("lease", (int limit) -> {
            List<Table.Row> rows = table.claim(limit);
            claims.addAndGet(rows.size());
            return rows;
        }, (Table.Row r) -> {
            attempts.add(Instant.now());
            if (attempts.size() == 1) {
                throw new IllegalStateException("worker died"); // the row keeps its lease, as after a crash
            }
            r.finished = true;
        }).nextDue(table::nextDue));
        await().atMost(5, TimeUnit.SECONDS).until(() -> table.rows.get(0).finished);
        assertEquals(2, claims.get());
        assertTrue(Duration.between(attempts.get(0), attempts.get(1)).toMillis() >= 250, "only after the lease ended");
        assertEquals(1, count("toban.jobs.failed", "lease"));
        assertEquals(1, count("toban.jobs.done", "lease"));
        assertEquals(2, count("toban.jobs.claimed", "lease"));
    }

    @Test
    void failedPassesBackOffExponentiallyAndWakeUpsDoNotCutItShort() {
        List<Instant> passes = new CopyOnWriteArrayList<>();
        Worker worker = start(JobSpec.pass("backoff", () -> {
            passes.add(Instant.now());
            if (passes.size() <= 3) {
                throw new SQLException("Connection refused", "08001");
            }
            return Next.IDLE;
        }), null, LONG, Duration.ofMillis(100), Duration.ofMillis(400));
        await().atMost(5, TimeUnit.SECONDS).until(() -> {
            worker.wake(); // a storm of commits during the outage
            return passes.size() >= 4;
        });
        assertTrue(gap(passes, 0) >= 90, "first pause is the initial backoff: " + gap(passes, 0));
        assertTrue(gap(passes, 1) >= 190, "then it doubles: " + gap(passes, 1));
        assertTrue(gap(passes, 2) >= 390, "then again: " + gap(passes, 2));
        assertEquals(3, count("toban.jobs.pass.failures", "backoff"));
    }

    private static long gap(List<Instant> times, int i) {
        return Duration.between(times.get(i), times.get(i + 1)).toMillis();
    }

    @Test
    void thePoolIsBoundedAndAFinishedJobBringsTheNextIn() {
        Table table = dueNow(6);
        AtomicInteger running = new AtomicInteger();
        AtomicInteger most = new AtomicInteger();
        CountDownLatch release = new CountDownLatch(1);
        start(JobSpec.queue("pool", table::claim, (Table.Row r) -> {
            most.accumulateAndGet(running.incrementAndGet(), Math::max);
            try {
                release.await(5, TimeUnit.SECONDS);
            } finally {
                running.decrementAndGet();
                r.finished = true;
            }
        }).nextDue(table::nextDue).parallelism(2).batch(10));
        await().atMost(5, TimeUnit.SECONDS).until(() -> running.get() == 2);
        await().during(200, TimeUnit.MILLISECONDS).atMost(1, TimeUnit.SECONDS).until(() -> running.get() == 2);
        release.countDown();
        await().atMost(5, TimeUnit.SECONDS).until(() -> table.rows.stream().allMatch(r -> r.finished));
        assertEquals(2, most.get());
        assertEquals(6, count("toban.jobs.claimed", "pool"), "each job claimed once: a claim takes only free slots");
    }

    /** jobsWakeForFollowUps: a finished job still brings the next in while the pool is full, and costs no pass else. */
    @Test
    void jobsThatWakeForFollowUpsWakeTheWorkerOnlyForAFreeSlot() {
        Table table = dueNow(5);
        AtomicInteger claims = new AtomicInteger();
        AtomicInteger running = new AtomicInteger();
        CountDownLatch release = new CountDownLatch(1);
        Worker worker = start(JobSpec.queue("follow-ups", (int limit) -> {
            claims.incrementAndGet();
            return table.claim(limit);
        }, (Table.Row r) -> {
            running.incrementAndGet();
            try {
                release.await(5, TimeUnit.SECONDS);
            } finally {
                running.decrementAndGet();
                r.finished = true;
            }
        }).nextDue(table::nextDue).parallelism(2).batch(10).jobsWakeForFollowUps());
        // the pool is full and the worker asleep: from here only the slot-starved wake-ups bring the rest in (the
        // idle cap is an hour)
        await().atMost(5, TimeUnit.SECONDS).until(() -> running.get() == 2);
        release.countDown();
        await().atMost(5, TimeUnit.SECONDS).until(() -> table.rows.stream().allMatch(r -> r.finished));
        await().atMost(5, TimeUnit.SECONDS).until(() -> count("toban.jobs.done", "follow-ups") == 5);
        int afterWork = claims.get();
        // a finished job that frees nothing while slots are free runs no further claim
        table.rows.add(new Table.Row("late", Instant.now()));
        worker.wake();
        await().atMost(5, TimeUnit.SECONDS).until(() -> count("toban.jobs.done", "follow-ups") == 6);
        await().during(300, TimeUnit.MILLISECONDS).atMost(2, TimeUnit.SECONDS)
                .until(() -> claims.get() == afterWork + 2); // the woken claim, and the look for more it returns
    }

    /** shortClaimTakesAll: a claim that came back short is not followed by one that finds nothing, unless it left some. */
    @Test
    void aShortClaimThatTookAllGoesStraightToTheNextDueTime() {
        Table table = dueNow(3);
        AtomicInteger claims = new AtomicInteger();
        AtomicInteger nextDues = new AtomicInteger();
        Worker worker = start(JobSpec.queue("short", (int limit) -> {
            claims.incrementAndGet();
            return table.claim(limit);
        }, (Table.Row r) -> r.finished = true).nextDue(() -> {
            nextDues.incrementAndGet();
            return table.nextDue();
        }).batch(10).shortClaimTakesAll());
        await().atMost(5, TimeUnit.SECONDS).until(() -> count("toban.jobs.done", "short") == 3);
        await().during(300, TimeUnit.MILLISECONDS).atMost(2, TimeUnit.SECONDS)
                .until(() -> claims.get() == 1 && nextDues.get() == 1); // 3 of 10 asked: all there was

        // a batch that fills the claim: the worker looks again, and the short claim after it ends the pass
        for (int i = 0; i < 12; i++) {
            table.rows.add(new Table.Row("k" + i, Instant.now()));
        }
        worker.wake();
        await().atMost(5, TimeUnit.SECONDS).until(() -> count("toban.jobs.done", "short") == 15);
        await().during(300, TimeUnit.MILLISECONDS).atMost(2, TimeUnit.SECONDS)
                .until(() -> claims.get() == 3 && nextDues.get() == 2);

        // a claim that says it left some (the dispatcher's filled share) is followed by another at once
        Table shares = dueNow(4);
        AtomicInteger shareClaims = new AtomicInteger();
        start(JobSpec.queue("left-some", (int limit) -> {
            shareClaims.incrementAndGet();
            return shares.claim(Math.min(limit, 2)); // takes at most two a claim, as if one share were full
        }, (Table.Row r) -> r.finished = true).nextDue(shares::nextDue).batch(10)
                .shortClaimTakesAll(() -> shares.rows.stream().anyMatch(r -> r.claimedUntil == null)));
        await().atMost(5, TimeUnit.SECONDS).until(() -> shares.rows.stream().allMatch(r -> r.finished));
        await().during(300, TimeUnit.MILLISECONDS).atMost(2, TimeUnit.SECONDS).until(() -> shareClaims.get() == 2);
    }

    /** wakeAfterCommitFor: a job due after the worker's next look costs no pass; one due before it does. */
    @Test
    void aJobDueAfterTheNextLookDoesNotWakeTheWorker() {
        FakeTransactions tx = new FakeTransactions();
        AtomicInteger passes = new AtomicInteger();
        Instant nextLook = Instant.now().plus(Duration.ofMinutes(10));
        Worker worker = start(JobSpec.pass("timers", () -> {
            passes.incrementAndGet();
            return Next.at(nextLook);
        }), new AfterCommit(tx), LONG, Duration.ofMillis(50), Duration.ofMillis(200));
        await().atMost(5, TimeUnit.SECONDS).until(() -> passes.get() == 1);

        tx.begin();
        worker.wakeAfterCommitFor(nextLook.plus(Duration.ofMinutes(5))); // a timer after the next look
        tx.commit();
        await().during(300, TimeUnit.MILLISECONDS).atMost(2, TimeUnit.SECONDS).until(() -> passes.get() == 1);

        tx.begin();
        worker.wakeAfterCommitFor(Instant.now().plusSeconds(1)); // one before it
        tx.rollback();
        await().during(300, TimeUnit.MILLISECONDS).atMost(2, TimeUnit.SECONDS).until(() -> passes.get() == 1);
        tx.begin();
        worker.wakeAfterCommitFor(Instant.now().plusSeconds(1));
        tx.commit();
        await().atMost(5, TimeUnit.SECONDS).until(() -> passes.get() == 2);
    }

    /** The other replicas hear of a wake-up after commit, and of a timer unless it is past the longest sleep. */
    @Test
    void wakeUpsAfterCommitAreSignalledToTheOtherReplicas() {
        FakeTransactions tx = new FakeTransactions();
        Worker worker = start(JobSpec.pass("signals", () -> Next.IDLE), new AfterCommit(tx), LONG,
                Duration.ofMillis(50), Duration.ofMillis(200));
        tx.begin();
        worker.wakeAfterCommit();
        worker.wakeAfterCommitFor(Instant.now().plus(LONG).plusSeconds(60)); // every worker looks before then
        tx.commit();
        assertEquals(List.of("signals"), signalled);

        tx.begin();
        worker.wakeAfterCommitFor(Instant.now().plusSeconds(30));
        tx.commit();
        assertEquals(List.of("signals", "signals"), signalled);
    }

    /** A job table with {@code n} rows due now. */
    private static Table dueNow(int n) {
        Table table = new Table(Duration.ofMinutes(1));
        for (int i = 0; i < n; i++) {
            table.rows.add(new Table.Row("j" + i, Instant.now()));
        }
        return table;
    }

    @Test
    void shutdownLetsAJobInFlightFinishAndStopsTakingWork() throws Exception {
        Table table = new Table(Duration.ofMinutes(1));
        table.rows.add(new Table.Row("a", Instant.now()));
        CountDownLatch inJob = new CountDownLatch(1);
        CountDownLatch finish = new CountDownLatch(1);
        AtomicInteger finished = new AtomicInteger();
        Worker worker = start(JobSpec.queue("shutdown", table::claim, (Table.Row r) -> {
            inJob.countDown();
            finish.await(5, TimeUnit.SECONDS);
            finished.incrementAndGet();
            r.finished = true;
        }).nextDue(table::nextDue).parallelism(2));
        assertTrue(inJob.await(5, TimeUnit.SECONDS));
        Thread stopper = Thread.ofPlatform().start(worker::stop);
        await().atMost(5, TimeUnit.SECONDS).until(() -> !worker.isRunning());
        table.rows.add(new Table.Row("b", Instant.now()));
        worker.wake();
        finish.countDown();
        stopper.join(5000);
        assertFalse(stopper.isAlive(), "stop returned");
        assertEquals(1, finished.get(), "the job in flight finished; nothing new was taken");
        assertFalse(table.rows.get(1).finished);
    }

    @Test
    void shutdownInterruptsAJobThatOutlivesTheTimeout() throws Exception {
        CountDownLatch inPass = new CountDownLatch(1);
        AtomicInteger interrupted = new AtomicInteger();
        Worker worker = start(JobSpec.pass("stuck", () -> {
            inPass.countDown();
            try {
                new CountDownLatch(1).await();
            } catch (InterruptedException e) {
                interrupted.incrementAndGet();
                throw e;
            }
            return Next.IDLE;
        }));
        assertTrue(inPass.await(5, TimeUnit.SECONDS));
        worker.stop();
        assertEquals(1, interrupted.get());
    }

    @Test
    void aOneOffJobThatIsDoneEndsItsWorker() {
        AtomicInteger passes = new AtomicInteger();
        Worker worker = start(JobSpec.pass("once", () -> passes.incrementAndGet() < 2 ? Next.NOW : Next.DONE));
        await().atMost(5, TimeUnit.SECONDS).until(() -> !worker.isRunning());
        worker.wake();
        await().during(200, TimeUnit.MILLISECONDS).atMost(1, TimeUnit.SECONDS).until(() -> passes.get() == 2);
    }

    @Test
    void databaseOutagesAreToldFromBadStatements() {
        assertTrue(DatabaseOutage.isOutage(new RuntimeException(new SQLException("gone", "08006"))));
        assertTrue(DatabaseOutage.isOutage(new SQLException("terminating connection", "57P01")));
        assertTrue(DatabaseOutage.isOutage(new SQLException("Acquisition timeout while waiting for new connection")));
        assertTrue(DatabaseOutage.isOutage(new java.net.ConnectException("refused")));
        assertFalse(DatabaseOutage.isOutage(new SQLException("syntax error", "42601")));
        assertFalse(DatabaseOutage.isOutage(new SQLException("duplicate key", "23505")));
        assertFalse(DatabaseOutage.isOutage(new IllegalStateException("no")));
    }

    @Test
    void jobTableClaimsWithALeaseAndSkipLocked() {
        JobTable table = new JobTable("commander_job", "incident_id", "next_attempt_at");
        String claim = table.claimSql(", attempts = attempts + 1", "incident_id, attempts");
        assertTrue(claim.startsWith("update commander_job set claimed_until = ?, attempts = attempts + 1 where incident_id in"));
        assertTrue(claim.contains("next_attempt_at <= ? and (claimed_until is null or claimed_until < ?)"));
        assertTrue(claim.endsWith("limit ? for update skip locked) returning incident_id, attempts"));
        assertEquals("select min(greatest(next_attempt_at, claimed_until)) from commander_job", table.nextDueSql());
        assertEquals(Duration.ofSeconds(8), Backoff.after(4, Duration.ofSeconds(1), Duration.ofMinutes(1)));
        assertEquals(Duration.ofMinutes(1), Backoff.after(30, Duration.ofSeconds(1), Duration.ofMinutes(1)));
    }
}

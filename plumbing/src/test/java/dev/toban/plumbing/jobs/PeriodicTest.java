package dev.toban.plumbing.jobs;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The one periodic worker: intervals, first delays, cron-like next times, failures, one task at a time; no sleeps. */
class PeriodicTest {

    private static final Duration LONG = Duration.ofHours(1);

    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final JobsConfig config = new JobsConfig() {
        @Override
        public Duration idleCap() {
            return Duration.ofSeconds(30);
        }

        @Override
        public Duration initialBackoff() {
            return Duration.ofMillis(50);
        }

        @Override
        public Duration maxBackoff() {
            return Duration.ofMillis(200);
        }

        @Override
        public Duration shutdownTimeout() {
            return Duration.ofMillis(500);
        }

        @Override
        public boolean replicaSignals() {
            return false;
        }
    };
    private final AfterCommit afterCommit = new AfterCommit(new FakeTransactions());
    private final Jobs jobs = new Jobs(config, meters, afterCommit, new ReplicaSignals(config, afterCommit, null,
            Optional.empty(), Optional.empty(), Optional.empty()));
    private final Periodic periodic = new Periodic(jobs, meters);

    @AfterEach
    void stop() {
        jobs.stopAll(null);
    }

    private double meter(String name, String task) {
        return name.endsWith(".runs") ? meters.get(name).tag("task", task).timer().count()
                : meters.get(name).tag("task", task).counter().count();
    }

    @Test
    void tasksRunAtTheirOwnIntervalsAfterTheirFirstDelays() {
        List<Instant> fast = new CopyOnWriteArrayList<>();
        List<Instant> slow = new CopyOnWriteArrayList<>();
        Instant registered = Instant.now();
        periodic.every("fast", Duration.ofMillis(150), Duration.ZERO, () -> fast.add(Instant.now()));
        periodic.every("slow", Duration.ofMillis(600), Duration.ofMillis(400), () -> slow.add(Instant.now()));

        await().atMost(10, TimeUnit.SECONDS).until(() -> slow.size() >= 3 && fast.size() >= 8);

        // never before its due time: first delay, then one interval after the previous due time (or later)
        for (int i = 0; i < fast.size(); i++) {
            assertFalse(fast.get(i).isBefore(registered.plusMillis(150L * i)), "fast run " + i + " early: " + fast);
        }
        for (int i = 0; i < slow.size(); i++) {
            assertFalse(slow.get(i).isBefore(registered.plusMillis(400 + 600L * i)), "slow run " + i + " early: " + slow);
        }
        // both keep their own pace on the one worker
        int fastBeforeThirdSlow = (int) fast.stream().filter(t -> t.isBefore(slow.get(2))).count();
        assertTrue(fastBeforeThirdSlow >= 4, "the fast task ran " + fastBeforeThirdSlow + " times before the slow one's third");
        assertEquals(Optional.empty(), periodic.nextRun("missing"));
        assertTrue(periodic.nextRun("slow").orElseThrow().isAfter(slow.get(slow.size() - 1)));
    }

    @Test
    void aFailingTaskDoesNotStopTheOthers() {
        AtomicInteger bad = new AtomicInteger();
        AtomicInteger good = new AtomicInteger();
        periodic.every("bad", Duration.ofMillis(50), Duration.ZERO, () -> {
            if (bad.incrementAndGet() % 2 == 0) {
                throw new AssertionError("an Error, too");
            }
            throw new IllegalStateException("database unreachable");
        });
        periodic.every("good", Duration.ofMillis(100), Duration.ofMillis(20), good::incrementAndGet);

        await().atMost(10, TimeUnit.SECONDS).until(() -> good.get() >= 5 && bad.get() >= 6);
        assertTrue(meter("toban.jobs.periodic.failures", "bad") >= 6);
        assertEquals(0, meter("toban.jobs.periodic.failures", "good"));
        assertTrue(meter("toban.jobs.periodic.runs", "good") >= 5);
    }

    @Test
    void aCronLikeTaskRunsAtTheTimesItsNextAfterGives() {
        long step = 300;
        // like a cron "every 0.3 s on the dot": the next multiple of 300 ms strictly after the instant
        Function<Instant, Instant> nextAfter = t -> Instant.ofEpochMilli((t.toEpochMilli() / step + 1) * step);
        List<Instant> scheduled = new CopyOnWriteArrayList<>();
        List<Instant> ran = new CopyOnWriteArrayList<>();
        periodic.schedule("cron", nextAfter, at -> {
            scheduled.add(at);
            ran.add(Instant.now());
        });

        await().atMost(10, TimeUnit.SECONDS).until(() -> scheduled.size() >= 4);
        for (int i = 0; i < scheduled.size(); i++) {
            Instant at = scheduled.get(i);
            assertEquals(0, at.toEpochMilli() % step, "the task gets its scheduled time: " + scheduled);
            assertEquals(0, at.getNano() % 1_000_000, "a whole millisecond, as nextAfter gave it");
            assertFalse(ran.get(i).isBefore(at), "ran before its time: " + at + " / " + ran.get(i));
            if (i > 0) {
                assertTrue(at.isAfter(scheduled.get(i - 1)), "each time once, in order: " + scheduled);
            }
        }
        assertEquals(0, periodic.nextRun("cron").orElseThrow().toEpochMilli() % step);
    }

    @Test
    void aScheduleWithoutFurtherTimesEnds() {
        AtomicInteger runs = new AtomicInteger();
        Instant start = Instant.now();
        List<Instant> times = List.of(start.plusMillis(300), start.plusMillis(600));
        periodic.schedule("twice", t -> times.stream().filter(x -> x.isAfter(t)).findFirst().orElse(null),
                at -> runs.incrementAndGet());
        AtomicInteger other = new AtomicInteger();
        periodic.every("other", Duration.ofMillis(50), Duration.ZERO, other::incrementAndGet);

        await().atMost(5, TimeUnit.SECONDS).until(() -> runs.get() == 2 && periodic.nextRun("twice").isEmpty());
        int seen = other.get();
        await().atMost(5, TimeUnit.SECONDS).until(() -> other.get() >= seen + 3);
        assertEquals(2, runs.get());
    }

    @Test
    void registeringWakesTheSleepingWorker() {
        AtomicInteger later = new AtomicInteger();
        periodic.every("hourly", LONG, LONG, later::incrementAndGet);
        AtomicInteger soon = new AtomicInteger();
        // the worker sleeps until the hourly task (its idle cap is an hour too); a new task is seen at once
        await().during(200, TimeUnit.MILLISECONDS).atMost(2, TimeUnit.SECONDS).until(() -> later.get() == 0);
        periodic.every("soon", LONG, Duration.ofMillis(10), soon::incrementAndGet);
        await().atMost(2, TimeUnit.SECONDS).until(() -> soon.get() == 1);
        assertEquals(0, later.get());
    }

    @Test
    void tasksRunOneAfterAnother() throws InterruptedException {
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger other = new AtomicInteger();
        periodic.every("slow", LONG, Duration.ZERO, () -> {
            started.countDown();
            try {
                release.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        assertTrue(started.await(5, TimeUnit.SECONDS));
        periodic.every("due-meanwhile", LONG, Duration.ZERO, other::incrementAndGet);
        await().during(300, TimeUnit.MILLISECONDS).atMost(2, TimeUnit.SECONDS).until(() -> other.get() == 0);
        release.countDown();
        await().atMost(2, TimeUnit.SECONDS).until(() -> other.get() == 1);
    }

    @Test
    void namesAreUniqueAndIntervalsPositive() {
        periodic.every("once", LONG, LONG, () -> { });
        assertThrows(IllegalStateException.class, () -> periodic.every("once", LONG, LONG, () -> { }));
        assertThrows(IllegalArgumentException.class, () -> periodic.every("zero", Duration.ZERO, LONG, () -> { }));
    }

    @Test
    void intervalSettingsReadLikeScheduled() {
        assertEquals(Optional.of(Duration.ofMinutes(5)), Periodic.interval("5m"));
        assertEquals(Optional.of(Duration.ofSeconds(60)), Periodic.interval(" 60s "));
        assertEquals(Optional.of(Duration.ofHours(1)), Periodic.interval("PT1H"));
        assertEquals(Optional.empty(), Periodic.interval("off"));
        assertEquals(Optional.empty(), Periodic.interval("Disabled"));
    }
}

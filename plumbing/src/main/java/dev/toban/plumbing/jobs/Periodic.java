package dev.toban.plumbing.jobs;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.arc.Arc;
import io.quarkus.arc.ArcContainer;
import io.quarkus.arc.ManagedContext;
import io.quarkus.runtime.configuration.DurationConverter;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Function;
import org.jboss.logging.Logger;

/**
 * Periodic housekeeping of a service (purges, reloads, syncs, a cron reminder) on ONE plumbing worker, named
 * {@code periodic}. It sleeps until the earliest task is due, so an idle service pays no ticking scheduler
 * thread; registering a task wakes it.
 *
 * <p>Tasks run one after another on that worker's thread: a task never overlaps itself (nor another task),
 * and one that is still running when it is due again simply runs later. A task that throws is logged and
 * counted; the other tasks and its own next run are not affected. Each run has an active CDI request context
 * (as {@code @Scheduled} methods had). Meters, tagged {@code task=<name>}: {@code toban.jobs.periodic.runs}
 * (a timer) and {@code toban.jobs.periodic.failures}.
 *
 * <p>A bean registers its task on {@code StartupEvent}; the worker starts with the first task and stops with the
 * other workers on shutdown ({@link Jobs}). Tasks should be short (a few seconds): a long one delays the others.
 */
@ApplicationScoped
public class Periodic {

    private static final Logger LOG = Logger.getLogger(Periodic.class);
    /** The worker always knows its next due time; this only bounds a sleep nothing is waiting for. */
    static final Duration IDLE_CAP = Duration.ofHours(1);
    /** When a task's next time cannot be computed (a failing or stuck {@code nextAfter}), it is asked again after this. */
    static final Duration RETRY_NEXT = Duration.ofMinutes(1);

    private final Worker worker;
    private final MeterRegistry meters;
    private final Map<String, Task> tasks = new ConcurrentHashMap<>();

    public Periodic(Jobs jobs, MeterRegistry meters) {
        this.meters = meters;
        this.worker = jobs.define(JobSpec.pass("periodic", this::pass).idleCap(IDLE_CAP));
    }

    /**
     * Runs {@code task} first {@code firstAfter} from now, then every {@code every} (from its previous due time;
     * after a late run, from its end: no catch-up runs).
     */
    public void every(String name, Duration every, Duration firstAfter, Runnable task) {
        Objects.requireNonNull(task);
        Objects.requireNonNull(firstAfter);
        if (every.isNegative() || every.isZero()) {
            throw new IllegalArgumentException("The interval of " + name + " must be positive: " + every);
        }
        register(new Task(name, null, every, at -> task.run(), Instant.now().plus(firstAfter)));
    }

    /**
     * Runs {@code task} at the times {@code nextAfter} gives (a cron's next time strictly after the instant given;
     * null: no more runs), with the time it was due (the scheduled fire time). The first run is
     * {@code nextAfter(now)}; after a run, {@code nextAfter(the end of the run)}, so a run that ended late skips
     * the times it missed.
     */
    public void schedule(String name, Function<Instant, Instant> nextAfter, Consumer<Instant> task) {
        Objects.requireNonNull(task);
        Instant first = nextAfter.apply(Instant.now());
        if (first == null) {
            LOG.infof("Periodic task %s has no future run", name);
            return;
        }
        register(new Task(name, nextAfter, null, task, first));
    }

    /**
     * An interval setting read like {@code @Scheduled(every = ...)} read it: {@code 5m}, {@code 60s}, {@code PT1H};
     * empty for {@code off} or {@code disabled} (the task is not registered).
     */
    public static Optional<Duration> interval(String value) {
        String v = value == null ? "" : value.strip();
        if (v.equalsIgnoreCase("off") || v.equalsIgnoreCase("disabled")) {
            return Optional.empty();
        }
        if (v.isEmpty()) {
            throw new IllegalArgumentException("An interval is required: a duration such as 5m or PT1H, or off");
        }
        return Optional.of(DurationConverter.parseDuration(v));
    }

    /** When the named task runs next; empty when there is no such task (tests, diagnostics). */
    public Optional<Instant> nextRun(String name) {
        return Optional.ofNullable(tasks.get(name)).map(t -> t.due);
    }

    private void register(Task task) {
        if (tasks.putIfAbsent(task.name, task) != null) {
            throw new IllegalStateException("A periodic task named " + task.name + " already exists");
        }
        worker.start(); // nothing once stopped; the first registration starts it
        worker.wake(); // the new task may be due before the worker's current sleep ends
    }

    /** Runs every due task, earliest first, then sleeps until the next one is due. */
    private Next pass() {
        while (worker.isRunning()) {
            Task next = null;
            for (Task t : tasks.values()) {
                if (next == null || t.due.isBefore(next.due)) {
                    next = t;
                }
            }
            if (next == null) {
                return Next.IDLE;
            }
            Instant now = Instant.now();
            if (next.due.isAfter(now)) {
                return Next.at(next.due);
            }
            if (next.askNext) {
                next.askNext = false;
                reschedule(next, now);
            } else {
                run(next);
            }
        }
        return Next.IDLE;
    }

    private void run(Task task) {
        Instant due = task.due;
        long start = System.nanoTime();
        try {
            inRequestContext(() -> task.body.accept(due));
        } catch (Throwable e) { // a task's failure must not stop the others (nor the worker's thread)
            task.failures.increment();
            if (DatabaseOutage.isOutage(e)) {
                LOG.warnf("Periodic task %s: the database is unreachable (%s); it runs again at its next time",
                        task.name, Worker.rootMessage(e));
            } else {
                LOG.errorf(e, "Periodic task %s failed; it runs again at its next time", task.name);
            }
        } finally {
            task.runs.record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
        }
        Instant ended = Instant.now();
        if (task.every != null) {
            Instant next = due.plus(task.every);
            task.due = next.isAfter(ended) ? next : ended.plus(task.every);
        } else {
            reschedule(task, ended);
        }
    }

    /** Sets a scheduled task's next time after {@code from}; a failing or stuck {@code nextAfter} is asked again later. */
    private void reschedule(Task task, Instant from) {
        Instant next;
        try {
            next = task.nextAfter.apply(from);
        } catch (RuntimeException e) {
            LOG.errorf(e, "Periodic task %s: its next time could not be computed; asking again in %s", task.name,
                    RETRY_NEXT);
            task.askNextAt(from.plus(RETRY_NEXT));
            return;
        }
        if (next == null) {
            LOG.infof("Periodic task %s has no further run", task.name);
            tasks.remove(task.name, task);
        } else if (!next.isAfter(from)) {
            LOG.errorf("Periodic task %s: its next time %s is not after %s; asking again in %s", task.name, next,
                    from, RETRY_NEXT);
            task.askNextAt(from.plus(RETRY_NEXT));
        } else {
            task.due = next;
        }
    }

    /** As the Quarkus scheduler did for @Scheduled methods; without a CDI container (unit tests), just runs. */
    private static void inRequestContext(Runnable body) {
        ArcContainer arc = Arc.container();
        ManagedContext context = arc == null ? null : arc.requestContext();
        if (context == null || context.isActive()) {
            body.run();
            return;
        }
        context.activate();
        try {
            body.run();
        } finally {
            context.terminate();
        }
    }

    private final class Task {
        final String name;
        final Function<Instant, Instant> nextAfter;
        final Duration every;
        final Consumer<Instant> body;
        final Timer runs;
        final Counter failures;
        volatile Instant due;
        /** At {@link #due}, ask {@code nextAfter} again instead of running (read and written on the worker). */
        boolean askNext;

        Task(String name, Function<Instant, Instant> nextAfter, Duration every, Consumer<Instant> body, Instant first) {
            this.name = Objects.requireNonNull(name);
            this.nextAfter = nextAfter;
            this.every = every;
            this.body = body;
            this.due = first;
            this.runs = Timer.builder("toban.jobs.periodic.runs").tag("task", name)
                    .description("Runs of a periodic task and how long they took").register(meters);
            this.failures = meters.counter("toban.jobs.periodic.failures", "task", name);
        }

        void askNextAt(Instant at) {
            askNext = true;
            due = at;
        }
    }
}

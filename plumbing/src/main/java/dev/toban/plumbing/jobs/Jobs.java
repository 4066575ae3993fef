package dev.toban.plumbing.jobs;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Where a service gets its background workers. A bean defines its worker in its constructor
 * ({@link #define}), starts it on {@code StartupEvent} when enabled, and wakes it after the commits that
 * give it work ({@link Worker#wakeAfterCommit()}, or {@link #wakeAfterCommit(String)} by name from beans
 * that do not own it). Those wake-ups reach the other replicas' workers too ({@link ReplicaSignals}). Every worker
 * is stopped on {@code ShutdownEvent}. Defaults: {@link JobsConfig}.
 */
@ApplicationScoped
public class Jobs {

    private static final Worker.Transactions NEW_TRANSACTION =
            new Worker.Transactions() {
                @Override
                public <R> R call(java.util.concurrent.Callable<R> work) {
                    return QuarkusTransaction.requiringNew().call(work);
                }
            };

    private final JobsConfig config;
    private final MeterRegistry meters;
    private final AfterCommit afterCommit;
    private final ReplicaSignals signals;
    private final Map<String, Worker> workers = new ConcurrentHashMap<>();

    public Jobs(JobsConfig config, MeterRegistry meters, AfterCommit afterCommit, ReplicaSignals signals) {
        this.config = config;
        this.meters = meters;
        this.afterCommit = afterCommit;
        this.signals = signals;
    }

    /** Creates the worker for {@code spec} (not started yet); one per name. */
    public Worker define(JobSpec<?> spec) {
        Worker worker = new Worker(spec, new Worker.Settings(
                spec.idleCap != null ? spec.idleCap : config.idleCap(),
                spec.initialBackoff != null ? spec.initialBackoff : config.initialBackoff(),
                spec.maxBackoff != null ? spec.maxBackoff : config.maxBackoff(),
                config.shutdownTimeout()), NEW_TRANSACTION, afterCommit, signals::signalAfterCommit, meters);
        if (workers.putIfAbsent(spec.name(), worker) != null) {
            throw new IllegalStateException("A worker named " + spec.name() + " already exists");
        }
        return worker;
    }

    /** Wakes the named worker once the current transaction commits; nothing when there is no such worker. */
    public void wakeAfterCommit(String name) {
        Worker worker = workers.get(name);
        if (worker != null) {
            worker.wakeAfterCommit();
        }
    }

    /** Wakes the named worker now. */
    public void wake(String name) {
        Worker worker = workers.get(name);
        if (worker != null) {
            worker.wake();
        }
    }

    /** Listens for other replicas' signals; one for a worker this replica does not run is ignored. */
    void listen(@Observes StartupEvent event) {
        signals.start(this::wake, () -> workers.values().forEach(Worker::wake));
    }

    void stopAll(@Observes ShutdownEvent event) {
        signals.stop();
        workers.values().parallelStream().forEach(Worker::stop);
    }
}

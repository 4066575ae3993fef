package dev.toban.notify.dispatch;

import dev.toban.plumbing.jobs.Jobs;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Wakes the dispatcher's worker (plumbing's {@link Jobs}, named {@link Dispatcher#JOB}) after a transaction
 * that created or freed work commits. The worker claims one delivery per free slot and looks again while
 * it finds work, so a burst fills every slot while a single new delivery costs one claim query.
 */
@ApplicationScoped
public class DispatcherSignal {

    private final Jobs jobs;

    public DispatcherSignal(Jobs jobs) {
        this.jobs = jobs;
    }

    /** Wakes the worker now (a wake-up already pending is enough). */
    public void wake() {
        jobs.wake(Dispatcher.JOB);
    }

    /** Wakes the worker once the current transaction commits (once per transaction); now without one. */
    public void wakeAfterCommit() {
        jobs.wakeAfterCommit(Dispatcher.JOB);
    }
}

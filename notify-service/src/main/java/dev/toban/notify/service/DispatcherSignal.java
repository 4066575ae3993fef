package dev.toban.notify.service;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Status;
import jakarta.transaction.Synchronization;
import jakarta.transaction.TransactionSynchronizationRegistry;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * Wakes the dispatcher's workers after a transaction that created or freed work commits. One worker
 * wakes per signal; a worker that found work wakes the next one, so a burst brings every worker in
 * while a single new delivery costs one claim query, not one per worker.
 */
@ApplicationScoped
public class DispatcherSignal {

    private final TransactionSynchronizationRegistry registry;
    private final Semaphore permits = new Semaphore(0);

    public DispatcherSignal(TransactionSynchronizationRegistry registry) {
        this.registry = registry;
    }

    /** Wakes one idle worker now (a wake-up already pending is enough). */
    public void wake() {
        if (permits.availablePermits() == 0) {
            permits.release();
        }
    }

    /** Wakes the workers once the current transaction commits (once per transaction). */
    public void wakeAfterCommit() {
        if (registry.getTransactionKey() == null) {
            wake();
            return;
        }
        if (registry.getResource(DispatcherSignal.class) != null) {
            return;
        }
        registry.putResource(DispatcherSignal.class, Boolean.TRUE);
        registry.registerInterposedSynchronization(new Synchronization() {
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

    /** Waits for a wake-up or the timeout; true when woken. */
    boolean await(long millis) throws InterruptedException {
        boolean woken = permits.tryAcquire(Math.max(1, millis), TimeUnit.MILLISECONDS);
        return woken;
    }
}

package dev.toban.notify.service;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Status;
import jakarta.transaction.Synchronization;
import jakarta.transaction.TransactionSynchronizationRegistry;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/** Wakes the dispatcher's workers after a transaction that created or freed work commits. */
@ApplicationScoped
public class DispatcherSignal {

    private final TransactionSynchronizationRegistry registry;
    private final Semaphore permits = new Semaphore(0);
    private volatile int workers = 1;

    public DispatcherSignal(TransactionSynchronizationRegistry registry) {
        this.registry = registry;
    }

    void workers(int count) {
        this.workers = Math.max(1, count);
    }

    /** Wakes every worker now. */
    public void wake() {
        int missing = workers - permits.availablePermits();
        if (missing > 0) {
            permits.release(missing);
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

package dev.toban.plumbing.jobs;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Status;
import jakarta.transaction.Synchronization;
import jakarta.transaction.TransactionSynchronizationRegistry;

/**
 * Runs something after the current transaction commits, and not at all if it rolls back. The one place
 * Toban registers a JTA {@link Synchronization}: waking a worker for the rows a transaction wrote,
 * invalidating a cache, recording a metric only for what really happened.
 *
 * <p>Without a transaction the action runs at once (nothing can roll back). Actions run on the
 * committing thread, so they must be quick (release a permit, clear a map); an exception they throw is
 * logged by the transaction manager and does not undo the commit.
 */
@ApplicationScoped
public class AfterCommit {

    private final TransactionSynchronizationRegistry registry;

    public AfterCommit(TransactionSynchronizationRegistry registry) {
        this.registry = registry;
    }

    /** Runs {@code action} after the commit, once per call. */
    public void run(Runnable action) {
        if (registry.getTransactionKey() == null) {
            action.run();
            return;
        }
        registry.registerInterposedSynchronization(new OnCommit(action));
    }

    /**
     * Runs {@code action} after the commit, once per transaction and {@code key} however often it is asked
     * for: a transaction that writes 500 outbox rows wakes the relay once.
     */
    public void once(Object key, Runnable action) {
        if (registry.getTransactionKey() == null) {
            action.run();
            return;
        }
        if (firstInTransaction(key)) {
            registry.registerInterposedSynchronization(new OnCommit(action));
        }
    }

    /**
     * True the first time {@code key} is asked for in the current transaction; false after that, and without a
     * transaction. For work done once per transaction inside it (a NOTIFY that goes with its commit).
     */
    public boolean firstInTransaction(Object key) {
        if (registry.getTransactionKey() == null) {
            return false;
        }
        Object resourceKey = new OnceKey(key);
        if (registry.getResource(resourceKey) != null) {
            return false;
        }
        registry.putResource(resourceKey, Boolean.TRUE);
        return true;
    }

    /** Keeps these keys apart from other users of the registry's resources. */
    private record OnceKey(Object key) {
    }

    private record OnCommit(Runnable action) implements Synchronization {
        @Override
        public void beforeCompletion() {
        }

        @Override
        public void afterCompletion(int status) {
            if (status == Status.STATUS_COMMITTED) {
                action.run();
            }
        }
    }
}

package dev.toban.oncall.service;

import dev.toban.oncall.config.OnCallConfig;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.transaction.Status;
import jakarta.transaction.Synchronization;
import jakarta.transaction.TransactionSynchronizationRegistry;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * Runs {@link HandoffService#tick} on its own thread every tick interval, and at once after a
 * transaction that changed a schedule or an override commits (short-notice overrides).
 */
@ApplicationScoped
public class HandoffTicker {

    private static final Logger LOG = Logger.getLogger(HandoffTicker.class);

    private final HandoffService handoffs;
    private final dev.toban.oncall.client.MaintenanceWindows maintenance;
    private final OnCallConfig.Handoff config;
    private final TransactionSynchronizationRegistry registry;
    private final Semaphore wakeUps = new Semaphore(0);
    private volatile boolean running;
    private volatile Thread worker;

    public HandoffTicker(HandoffService handoffs, dev.toban.oncall.client.MaintenanceWindows maintenance,
                         OnCallConfig config, TransactionSynchronizationRegistry registry) {
        this.handoffs = handoffs;
        this.maintenance = maintenance;
        this.config = config.handoff();
        this.registry = registry;
    }

    void start(@Observes StartupEvent event) {
        if (!config.enabled()) {
            LOG.info("Handoff ticker disabled on this instance");
            return;
        }
        running = true;
        wakeUps.release(); // first tick right after start-up
        worker = Thread.ofPlatform().daemon().name("handoff-ticker").start(this::loop);
    }

    void stop(@Observes ShutdownEvent event) {
        running = false;
        Thread t = worker;
        if (t != null) {
            t.interrupt();
            try {
                t.join(5000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Ticks as soon as possible. */
    public void wake() {
        if (wakeUps.availablePermits() == 0) {
            wakeUps.release();
        }
    }

    /** Ticks once the caller's transaction commits; does nothing if it rolls back. */
    public void wakeAfterCommit() {
        if (registry.getResource(HandoffTicker.class) != null) {
            return;
        }
        registry.putResource(HandoffTicker.class, Boolean.TRUE);
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

    private void loop() {
        long backoff = 0;
        while (running) {
            try {
                wakeUps.tryAcquire(backoff > 0 ? backoff : config.tickInterval().toMillis(), TimeUnit.MILLISECONDS);
                wakeUps.drainPermits();
                if (!running) {
                    return;
                }
                // the windows the notices mention, asked before the tick's transaction; the clock is read once
                // the tick lock is held
                handoffs.tick(null, HandoffService.notes(maintenance.currentAndUpcoming()));
                backoff = 0;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (Exception e) {
                backoff = Math.min(config.tickInterval().toMillis(), backoff == 0 ? 500 : backoff * 2);
                LOG.warnf("Handoff tick failed (%s); retrying in %d ms", e.toString(), backoff);
            }
        }
    }
}

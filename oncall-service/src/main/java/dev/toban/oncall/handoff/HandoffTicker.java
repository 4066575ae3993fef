package dev.toban.oncall.handoff;

import dev.toban.oncall.config.OnCallConfig;
import dev.toban.plumbing.jobs.JobSpec;
import dev.toban.plumbing.jobs.Jobs;
import dev.toban.plumbing.jobs.Next;
import dev.toban.plumbing.jobs.Worker;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.time.Instant;
import org.jboss.logging.Logger;

/**
 * Runs {@link HandoffService#tick} on its worker (plumbing's {@link Jobs}) every tick interval, and at once
 * after a transaction that changed a schedule, an override or a person commits (short-notice overrides,
 * reachability). A failed tick is retried with backoff, from 500 ms up to the tick interval.
 */
@ApplicationScoped
public class HandoffTicker {

    private static final Logger LOG = Logger.getLogger(HandoffTicker.class);

    private final HandoffService handoffs;
    private final dev.toban.oncall.client.MaintenanceWindows maintenance;
    private final OnCallConfig.Handoff config;
    private final Worker worker;

    public HandoffTicker(HandoffService handoffs, dev.toban.oncall.client.MaintenanceWindows maintenance,
                         OnCallConfig config, Jobs jobs) {
        this.handoffs = handoffs;
        this.maintenance = maintenance;
        this.config = config.handoff();
        this.worker = jobs.define(JobSpec.pass("handoff-ticker", this::tick)
                .idleCap(this.config.tickInterval())
                .backoff(Duration.ofMillis(500), this.config.tickInterval()));
    }

    void start(@Observes StartupEvent event) {
        if (!config.enabled()) {
            LOG.info("Handoff ticker disabled on this instance");
            return;
        }
        worker.start(); // the first tick runs right after start-up
    }

    /** Ticks as soon as possible. */
    public void wake() {
        worker.wake();
    }

    /** Ticks once the caller's transaction commits; does nothing if it rolls back. */
    public void wakeAfterCommit() {
        worker.wakeAfterCommit();
    }

    private Next tick() {
        // the maintenance windows a start or upcoming notice mentions are asked of incident-service before the
        // tick's transaction, and only when such a notice is due; the clock is read once the tick lock is held
        if (handoffs.tickUnlessAnnouncing(null).isEmpty()) {
            handoffs.tick(null, HandoffService.notes(maintenance.currentAndUpcoming()));
        }
        return Next.at(Instant.now().plus(config.tickInterval()));
    }
}

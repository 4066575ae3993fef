package dev.toban.plumbing.jobs;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/**
 * Defaults of every background worker ({@link Jobs}); a service's own settings (for example its poll
 * interval or parallelism) are passed in its {@link JobSpec} and win over these.
 */
@ConfigMapping(prefix = "toban.jobs")
public interface JobsConfig {

    /**
     * Longest sleep of an idle worker. Commits in this process and, through {@link #replicaSignals()}, in the
     * other replicas wake it at once, and due times (lease expiries included) are waited for exactly, so this only
     * bounds how late it sees work whose signal was lost (the signal connection was down) or rows changed by hand.
     * It is what an idle service pays: one look per worker per idle cap.
     */
    @WithDefault("5m")
    Duration idleCap();

    /**
     * Whether replicas wake each other's workers through PostgreSQL LISTEN/NOTIFY ({@link ReplicaSignals}): one
     * NOTIFY per transaction and worker it wakes, one extra connection per replica. Off, another replica's work is
     * seen at the idle cap.
     */
    @WithDefault("true")
    boolean replicaSignals();

    /** First pause after a failed pass (database or broker unreachable); it doubles up to {@link #maxBackoff()}. */
    @WithDefault("250ms")
    Duration initialBackoff();

    /** Longest pause between failed passes. */
    @WithDefault("5s")
    Duration maxBackoff();

    /** How long shutdown waits for a worker's jobs in flight before it interrupts them. */
    @WithDefault("5s")
    Duration shutdownTimeout();
}

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
     * Longest sleep of an idle worker. Commits in this process wake it at once and due times are waited
     * for exactly, so this only bounds how late it sees rows written by another replica (or a crashed
     * one's expired leases). It is what an idle service pays: one look per worker per idle cap.
     */
    @WithDefault("30s")
    Duration idleCap();

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

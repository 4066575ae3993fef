package dev.toban.plumbing.jobs;

import java.time.Instant;

/**
 * What a pass tells its worker: run again {@link #NOW} (there is more), at a due time, or {@link #IDLE}
 * (sleep until woken, at most the idle cap).
 */
public record Next(boolean now, Instant at) {

    public static final Next NOW = new Next(true, null);
    public static final Next IDLE = new Next(false, null);

    /** At {@code due}, or idle when null. */
    public static Next at(Instant due) {
        return due == null ? IDLE : new Next(false, due);
    }
}

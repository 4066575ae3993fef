package dev.toban.plumbing.jobs;

import java.time.Duration;
import java.time.Instant;

/**
 * What a pass tells its worker: run again {@link #NOW} (there is more), at a due time, {@link #IDLE}
 * (sleep until woken, at most the idle cap), or {@link #DONE} (a one-off job that finished: the worker ends).
 */
public record Next(boolean now, Instant at, boolean done) {

    public static final Next NOW = new Next(true, null, false);
    public static final Next IDLE = new Next(false, null, false);
    public static final Next DONE = new Next(false, null, true);

    /** At {@code due}, or idle when null. */
    public static Next at(Instant due) {
        return due == null ? IDLE : new Next(false, due, false);
    }

    /**
     * At {@code due} (the earliest time still ahead; null: none), but within {@code recheck} when rows already due
     * were left behind: ones another replica holds, or ones waiting on something that does not wake the worker (an
     * incident still open, not yet announced). Those are looked at again every {@code recheck}, not in a tight loop
     * and not only at the idle cap.
     */
    public static Next atOrRecheck(Instant due, boolean dueLeft, Duration recheck) {
        if (!dueLeft) {
            return at(due);
        }
        Instant soon = Instant.now().plus(recheck);
        return at(due == null || soon.isBefore(due) ? soon : due);
    }
}

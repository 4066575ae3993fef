package dev.toban.plumbing.jobs;

import java.time.Duration;

/** Exponential backoff for a job that failed: {@code initial × 2^(attempt-1)}, at most {@code max}. */
public final class Backoff {

    private Backoff() {
    }

    /** The wait after failed attempt {@code attempt} (counting from 1). */
    public static Duration after(int attempt, Duration initial, Duration max) {
        Duration wait = initial.multipliedBy(1L << Math.min(Math.max(attempt - 1, 0), 20));
        return wait.compareTo(max) > 0 ? max : wait;
    }
}

package dev.toban.notify.dispatch;

import java.time.Duration;

/**
 * Waits between attempts: exponential from the initial backoff, capped, with ±20% jitter so that
 * deliveries failing together do not retry in lockstep. With the defaults (2 s, cap 5 min, 12
 * attempts) the 11 waits add up to between about 19 and 28 minutes: a Slack outage of many
 * minutes loses nothing.
 */
public final class Backoff {

    private Backoff() {
    }

    /**
     * @param attempt the attempt that just failed, from 1
     * @param random  uniform in [0, 1): the jitter
     */
    public static Duration delay(int attempt, Duration initial, Duration max, double random) {
        double nominal = Math.min(max.toMillis(), initial.toMillis() * Math.pow(2, Math.max(0, attempt - 1)));
        double jitter = 0.8 + random * 0.4;
        return Duration.ofMillis(Math.max(1, Math.round(nominal * jitter)));
    }
}

package dev.toban.notify.service.channel;

import java.time.Duration;

/** How one attempt went. */
public record SendResult(Status status, String providerMessageId, String providerChannel, String permalink,
                         String error, Duration retryAfter, boolean mayHaveArrived) {

    public enum Status {
        /** Delivered; {@code providerMessageId} names it (Slack ts, email Message-ID, HTTP status). */
        SENT,
        /** A transient failure (5xx, timeout, connection): try again later. */
        RETRY,
        /** The provider asked to slow down; try again after {@code retryAfter}, not counted as a failure. */
        RATE_LIMITED,
        /** A failure that retrying cannot fix (unknown channel, bad address): dead at once. */
        FAILED
    }

    public static SendResult sent(String messageId, String channel, String permalink) {
        return new SendResult(Status.SENT, messageId, channel, permalink, null, null, false);
    }

    /** A transient failure where the provider certainly did not take the message (it answered with an error). */
    public static SendResult retry(String error) {
        return new SendResult(Status.RETRY, null, null, null, error, null, false);
    }

    /**
     * A transient failure after which the message may have arrived anyway (a 5xx, a timeout, a lost
     * answer): the next attempt first looks for it ({@link NotificationChannel#findEarlier}).
     */
    public static SendResult retryUnknown(String error) {
        return new SendResult(Status.RETRY, null, null, null, error, null, true);
    }

    public static SendResult failed(String error) {
        return new SendResult(Status.FAILED, null, null, null, error, null, false);
    }

    public static SendResult rateLimited(Duration retryAfter, String error) {
        return new SendResult(Status.RATE_LIMITED, null, null, null, error, retryAfter, false);
    }
}

package dev.toban.notify.service.channel;

import java.time.Duration;

/** How one attempt went. */
public record SendResult(Status status, String providerMessageId, String providerChannel, String permalink,
                         String error, Duration retryAfter) {

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
        return new SendResult(Status.SENT, messageId, channel, permalink, null, null);
    }

    public static SendResult retry(String error) {
        return new SendResult(Status.RETRY, null, null, null, error, null);
    }

    public static SendResult failed(String error) {
        return new SendResult(Status.FAILED, null, null, null, error, null);
    }

    public static SendResult rateLimited(Duration retryAfter, String error) {
        return new SendResult(Status.RATE_LIMITED, null, null, null, error, retryAfter);
    }
}

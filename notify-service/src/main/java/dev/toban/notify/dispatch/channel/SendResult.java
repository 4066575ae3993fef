package dev.toban.notify.dispatch.channel;

import dev.toban.plumbing.input.Text;
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

    /** Longest error text kept; providers can answer whole pages. */
    static final int MAX_ERROR = 2000;

    /**
     * The same outcome with the provider's texts made storable: control characters dropped (PostgreSQL
     * refuses a NUL, which a webhook answered by some other protocol's port produces) and the error cut.
     */
    public SendResult cleaned() {
        String e = Text.clean(error);
        if (e != null && e.length() > MAX_ERROR) {
            e = e.substring(0, MAX_ERROR) + "…";
        }
        return new SendResult(status, Text.clean(providerMessageId), Text.clean(providerChannel), Text.clean(permalink),
                e, retryAfter, mayHaveArrived);
    }

    /**
     * What is recorded instead when the database refuses this outcome (not an outage): a failed attempt
     * that counts towards the retry limit, so the delivery is dead-lettered in the end rather than sent
     * again for ever. A final failure stays final; after a send that worked the next attempt looks for
     * the message first.
     */
    public SendResult unstorable(String why) {
        String e = "the outcome could not be recorded (" + why + ")";
        return switch (status) {
            case FAILED -> failed(e);
            case SENT -> retryUnknown(e);
            case RETRY, RATE_LIMITED -> new SendResult(Status.RETRY, null, null, null, e, null, mayHaveArrived);
        };
    }
}

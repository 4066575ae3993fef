package dev.toban.notify.dispatch.channel;

import java.util.Optional;

/**
 * One way of reaching people: Slack, email, webhooks. A new provider is one class implementing
 * this, named after the delivery's {@code channel} column. The dispatcher owns retries, pacing and
 * the delivery log; a channel only makes one attempt and says how it went.
 */
public interface NotificationChannel {

    /** The {@code channel} of the deliveries this provider sends: {@code slack}, {@code email}, {@code webhook}. */
    String name();

    /** False when the provider is not configured; its deliveries are then recorded as skipped. */
    boolean enabled();

    /** Why the channel is disabled, for the delivery log. */
    default String disabledReason() {
        return name() + " is not configured";
    }

    /** One attempt. Never throws: every failure is a {@link SendResult}. */
    SendResult send(Outgoing outgoing);

    /**
     * After an instance stopped in the middle of a send: finds the message if the earlier attempt
     * reached the provider after all, so it is not sent twice. Empty when it cannot tell.
     */
    default Optional<SendResult> findEarlier(Outgoing outgoing) {
        return Optional.empty();
    }
}

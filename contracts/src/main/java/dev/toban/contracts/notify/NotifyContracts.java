package dev.toban.contracts.notify;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import dev.toban.contracts.EventType;
import dev.toban.contracts.PersonRef;
import io.quarkus.runtime.annotations.RegisterForReflection;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** notify-service's events (exchange {@code toban.notify}, docs/events.md "notify-service"). */
public final class NotifyContracts {

    private NotifyContracts() {
    }

    public static final String PREFIX = "toban.notify.";

    public static final EventType<SlackThreadCreated> SLACK_THREAD_CREATED =
            EventType.of("toban.notify.slack_thread.created", 1, SlackThreadCreated.class);
    public static final EventType<DeliveryDead> DELIVERY_DEAD =
            EventType.of("toban.notify.delivery.dead", 1, DeliveryDead.class);
    public static final EventType<DeliveryOutcome> DELIVERY_SENT =
            EventType.of("toban.notify.delivery.sent", 1, DeliveryOutcome.class);
    public static final EventType<DeliveryOutcome> DELIVERY_FAILED =
            EventType.of("toban.notify.delivery.failed", 1, DeliveryOutcome.class);
    public static final EventType<PageResponded> PAGE_RESPONDED =
            EventType.of("toban.notify.page.responded", 1, PageResponded.class);

    public static final List<EventType<?>> ALL = List.of(SLACK_THREAD_CREATED, DELIVERY_DEAD, DELIVERY_SENT,
            DELIVERY_FAILED, PAGE_RESPONDED);

    /** {@code outcome} values of DeliveryOutcome. */
    public static final String DELIVERED = "delivered";
    public static final String FAILED = "failed";
    public static final String REFUSED = "refused";

    /** {@code action} values of PageResponded. */
    public static final String ACKNOWLEDGE = "acknowledge";
    public static final String ESCALATE = "escalate";

    /**
     * {@code slack_thread.created}: {@code channel} is the channel id Slack answered, {@code channelName} the
     * {@code #name} posted to (or null); {@code permalink} null when Slack's chat.getPermalink failed.
     */
    @RegisterForReflection
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record SlackThreadCreated(UUID incidentId, String channel, String channelName, String ts,
                                     String permalink) {
    }

    /** {@code delivery.dead}: a delivery given up, for operators; {@code incidentId} null when of no incident. */
    @RegisterForReflection
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record DeliveryDead(UUID deliveryId, String eventId, String eventType, String channel, String target,
                               UUID incidentId, String lastError) {
    }

    /**
     * {@code delivery.sent|failed}: how one delivery of an incident ended. {@code person} null for a channel post
     * or a webhook; {@code channel} slack, email or webhook; {@code purpose} page, thread, postmortem or webhook;
     * {@code outcome} delivered, failed or refused; {@code detail} null when delivered, else Toban's short text.
     */
    @RegisterForReflection
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record DeliveryOutcome(UUID deliveryId, UUID incidentId, PersonRef person, String channel, String purpose,
                                  String outcome, Instant at, String detail) {
    }

    /** {@code page.responded}: {@code action} acknowledge or escalate, through {@code channel} (sms, voice, ...). */
    @RegisterForReflection
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record PageResponded(UUID incidentId, UUID deliveryId, PersonRef person, String action, String channel,
                                Instant at) {
    }
}

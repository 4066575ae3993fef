package dev.toban.notify.model;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;
import org.hibernate.annotations.DynamicUpdate;

/** One message to one target on one channel, and how sending it went. */
@Entity
@DynamicUpdate // its payload (the rendered message, often kilobytes) is not rewritten by every claim and outcome
@Table(name = "delivery")
public class Delivery extends PanacheEntityBase {

    public static final String PENDING = "pending";
    public static final String SENDING = "sending";
    public static final String SENT = "sent";
    public static final String DEAD = "dead";
    public static final String SKIPPED = "skipped";
    public static final String CANCELLED = "cancelled";

    @Id
    public UUID id;

    /** Creation order (a database sequence); breaks ties in a lane and within a thread. Null until read back. */
    @Column(insertable = false, updatable = false)
    public Long seq;

    @Column(name = "event_id", nullable = false)
    public String eventId;

    @Column(name = "event_type", nullable = false)
    public String eventType;

    @Column(name = "event_time", nullable = false)
    public Instant eventTime;

    public String subject;

    @Column(name = "incident_id")
    public UUID incidentId;

    @Column(nullable = false)
    public String purpose;

    @Column(nullable = false)
    public String channel;

    @Column(nullable = false)
    public String kind;

    @Column(nullable = false)
    public String target;

    @Column(name = "message_key", nullable = false)
    public String messageKey;

    public String locale;

    /** The rendered message as JSON ({@link dev.toban.notify.dispatch.Message}). */
    @Column(nullable = false)
    public String payload;

    public String lane;

    @Column(name = "thread_key")
    public UUID threadKey;

    @Column(name = "order_version", nullable = false)
    public long orderVersion;

    @Column(nullable = false)
    public short priority;

    @Column(name = "blocked_by")
    public UUID blockedBy;

    @Column(nullable = false)
    public String state;

    @Column(nullable = false)
    public int attempts;

    @Column(name = "due_at", nullable = false)
    public Instant dueAt;

    @Column(name = "sending_since")
    public Instant sendingSince;

    @Column(name = "unknown_outcome", nullable = false)
    public boolean unknownOutcome;

    /**
     * Retried before its backoff ended because another message to the provider got through; a failure of
     * that early try does not count as an attempt.
     */
    @Column(name = "woken", nullable = false)
    public boolean woken;

    @Column(name = "last_error")
    public String lastError;

    @Column(name = "provider_message_id")
    public String providerMessageId;

    @Column(name = "provider_channel")
    public String providerChannel;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    @Column(name = "updated_at", nullable = false)
    public Instant updatedAt;

    @Column(name = "sent_at")
    public Instant sentAt;

    /** The person the message is for, as a PersonRef in JSON; null for channel posts and configured webhooks. */
    public String recipient;
    /** What the provider last reported (Twilio's status callbacks: delivered, failed, no-answer...). */
    @Column(name = "provider_status")
    public String providerStatus;
    @Column(name = "provider_status_at")
    public Instant providerStatusAt;
}

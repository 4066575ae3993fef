package dev.toban.oncall.model;

import jakarta.persistence.Column;
import jakarta.persistence.Embeddable;
import java.time.Instant;
import java.util.UUID;

/** One way to reach a person: a Slack DM, an email address, a phone (SMS, voice call), a push topic or a webhook URL. */
@Embeddable
public class ContactMethod {

    @Column(name = "id", nullable = false)
    public UUID id;

    /** {@code slack}, {@code email}, {@code sms}, {@code voice}, {@code push} or {@code webhook}. */
    @Column(nullable = false)
    public String type;

    @Column(nullable = false)
    public String address;

    public String label;

    /**
     * Whether notify-service may use it. Always true except for a webhook a non-admin added or pointed
     * elsewhere, until an admin approves it (notify-service calls the URL, so it must not be any URL).
     */
    @Column(nullable = false)
    public boolean approved;

    /** The admin who approved a webhook (added or approved it); null otherwise. */
    @Column(name = "approved_by")
    public String approvedBy;

    @Column(name = "approved_at")
    public Instant approvedAt;

    /**
     * Whether the person proved the address is theirs (a code sent through it), or it is their own directory
     * Slack id or email, or (a webhook) an admin approved it. notify-service pages only through verified methods.
     */
    @Column(nullable = false)
    public boolean verified;

    @Column(name = "verified_at")
    public Instant verifiedAt;

    public ContactMethod() {
    }

    public ContactMethod(UUID id, String type, String address, String label) {
        this.id = id;
        this.type = type;
        this.address = address;
        this.label = label;
    }

    public boolean isWebhook() {
        return "webhook".equals(type);
    }

    /** The types that can wake someone at night: a text, a call, a push notification. */
    public static final java.util.Set<String> WAKING = java.util.Set.of("sms", "voice", "push");

    /** A copy with the same id, type, address, label, approval and verification. */
    public ContactMethod copy() {
        ContactMethod c = new ContactMethod(id, type, address, label);
        c.approved = approved;
        c.approvedBy = approvedBy;
        c.approvedAt = approvedAt;
        c.verified = verified;
        c.verifiedAt = verifiedAt;
        return c;
    }
}

package dev.toban.oncall.model;

import jakarta.persistence.Column;
import jakarta.persistence.Embeddable;
import java.time.Instant;
import java.util.UUID;

/** One way to reach a person: a Slack DM, an email address or a webhook URL. */
@Embeddable
public class ContactMethod {

    @Column(name = "id", nullable = false)
    public UUID id;

    /** {@code slack}, {@code email} or {@code webhook}. */
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
}

package dev.toban.oncall.model;

import jakarta.persistence.Column;
import jakarta.persistence.Embeddable;
import java.util.UUID;

/**
 * Use contact method {@code contactMethodId} this many minutes after a page, if it is still unacknowledged,
 * for pages of {@code urgency}: {@code high}, {@code low} or {@code any}.
 */
@Embeddable
public class NotificationRule {

    @Column(name = "id", nullable = false)
    public UUID id;

    @Column(name = "contact_method_id", nullable = false)
    public UUID contactMethodId;

    @Column(name = "delay_minutes", nullable = false)
    public int delayMinutes;

    @Column(name = "urgency", nullable = false)
    public String urgency = ANY;

    public static final String ANY = "any";

    public NotificationRule() {
    }

    public NotificationRule(UUID id, UUID contactMethodId, int delayMinutes, String urgency) {
        this.id = id;
        this.contactMethodId = contactMethodId;
        this.delayMinutes = delayMinutes;
        this.urgency = urgency == null ? ANY : urgency;
    }
}

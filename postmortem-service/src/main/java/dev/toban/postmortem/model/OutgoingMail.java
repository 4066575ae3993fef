package dev.toban.postmortem.model;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;

/** One invitation (or cancellation) email to one recipient, sent after the commit by the mail relay. */
@Entity
@Table(name = "outgoing_mail")
public class OutgoingMail extends PanacheEntityBase {

    @Id
    public UUID id;

    @Column(name = "postmortem_id", nullable = false)
    public UUID postmortemId;

    @Column(name = "meeting_id", nullable = false)
    public UUID meetingId;

    /** iTIP method: REQUEST or CANCEL. */
    @Column(nullable = false)
    public String method;

    @Column(nullable = false)
    public int sequence;

    @Column(nullable = false)
    public String recipient;

    @Column(nullable = false)
    public String subject;

    @Column(name = "text_body", nullable = false)
    public String textBody;

    @Column(name = "html_body", nullable = false)
    public String htmlBody;

    @Column(nullable = false)
    public String ics;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    @Column(name = "sent_at")
    public Instant sentAt;

    @Column(nullable = false)
    public int attempts;

    @Column(name = "next_attempt_at", nullable = false)
    public Instant nextAttemptAt;

    @Column(name = "last_error")
    public String lastError;
}

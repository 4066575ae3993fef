package dev.toban.postmortem.model;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;

/** The incident's timeline from incident-service, or the state of the attempts to get it. */
@Entity
@Table(name = "postmortem_timeline")
public class PostmortemTimeline extends PanacheEntityBase {

    @Id
    @Column(name = "postmortem_id")
    public UUID postmortemId;

    @Column(name = "incident_id", nullable = false)
    public UUID incidentId;

    /** JSON array {@code [{id, at, kind, actor, message, data}]}, oldest first; null until fetched. */
    public String entries;

    @Column(name = "fetched_at")
    public Instant fetchedAt;

    @Column(nullable = false)
    public int attempts;

    /** When the retry job tries next; null when there is nothing to do. */
    @Column(name = "next_attempt_at")
    public Instant nextAttemptAt;

    @Column(name = "last_error")
    public String lastError;
}

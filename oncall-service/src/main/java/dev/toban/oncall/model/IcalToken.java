package dev.toban.oncall.model;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;

/** A secret for a calendar subscription URL. Only its SHA-256 hash is stored. */
@Entity
@Table(name = "ical_token")
public class IcalToken extends PanacheEntityBase {

    @Id
    public UUID id;

    /** {@code schedule} or {@code person}. */
    @Column(name = "subject_type", nullable = false)
    public String subjectType;

    @Column(name = "subject_id", nullable = false)
    public UUID subjectId;

    /** Who made it; each user has at most one live token per feed. */
    @Column(name = "owner_username", nullable = false)
    public String ownerUsername;

    @Column(name = "token_hash", nullable = false)
    public String tokenHash;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    @Column(name = "revoked_at")
    public Instant revokedAt;
}

package dev.toban.incident.model;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;

/** A credential for ingestion. The key itself is shown once; only its SHA-256 and last 4 characters stay. */
@Entity
@Table(name = "integration_key")
public class IntegrationKey extends PanacheEntityBase {

    @Id
    public UUID id;

    @Column(name = "service_id", nullable = false)
    public UUID serviceId;

    @Column(nullable = false)
    public String name;

    @Column(nullable = false)
    public IntegrationType type;

    @Column(name = "key_hash", nullable = false)
    public String keyHash;

    @Column(nullable = false)
    public String last4;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    @Column(name = "created_by")
    public String createdBy;

    @Column(name = "revoked_at")
    public Instant revokedAt;

    @Column(name = "revoked_by")
    public String revokedBy;
}

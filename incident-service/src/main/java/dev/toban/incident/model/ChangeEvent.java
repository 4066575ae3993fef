package dev.toban.incident.model;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/** A change (deploy, config update) reported through {@code POST /v2/change/enqueue}. */
@Entity
@Table(name = "change_event")
public class ChangeEvent extends PanacheEntityBase {

    @Id
    public UUID id;

    @Column(name = "service_id", nullable = false)
    public UUID serviceId;

    @Column(name = "integration_key_id", nullable = false)
    public UUID integrationKeyId;

    @Column(nullable = false)
    public String summary;

    public String source;

    @Column(name = "happened_at", nullable = false)
    public Instant happenedAt;

    @Column(name = "received_at", nullable = false)
    public Instant receivedAt;

    @JdbcTypeCode(SqlTypes.JSON)
    @Column(name = "custom_details")
    public JsonNode customDetails;

    @JdbcTypeCode(SqlTypes.JSON)
    public JsonNode links;
}

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

/** One signal of an incident: an Events API alert, an Alertmanager alert (by fingerprint) or an SOS. */
@Entity
@Table(name = "alert")
public class Alert extends PanacheEntityBase {

    @Id
    public UUID id;

    @Column(name = "incident_id", nullable = false)
    public UUID incidentId;

    @Column(name = "service_id", nullable = false)
    public UUID serviceId;

    @Column(name = "integration_key_id")
    public UUID integrationKeyId;

    /** events_v2, alertmanager or sos. */
    @Column(nullable = false)
    public String kind;

    @Column(name = "dedup_key")
    public String dedupKey;

    /** triggered, acknowledged or resolved. */
    @Column(nullable = false)
    public String status;

    @Column(nullable = false)
    public String summary;

    public String severity;

    public String source;

    public String component;

    @Column(name = "alert_group")
    public String group;

    @Column(name = "alert_class")
    public String alertClass;

    public String client;

    @Column(name = "client_url")
    public String clientUrl;

    @JdbcTypeCode(SqlTypes.JSON)
    @Column(name = "custom_details")
    public JsonNode customDetails;

    @JdbcTypeCode(SqlTypes.JSON)
    public JsonNode links;

    @JdbcTypeCode(SqlTypes.JSON)
    public JsonNode images;

    @JdbcTypeCode(SqlTypes.JSON)
    public JsonNode labels;

    @JdbcTypeCode(SqlTypes.JSON)
    public JsonNode annotations;

    @Column(name = "generator_url")
    public String generatorUrl;

    @Column(name = "started_at")
    public Instant startedAt;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    @Column(name = "last_event_at", nullable = false)
    public Instant lastEventAt;

    @Column(name = "event_count", nullable = false)
    public int eventCount;

    @Column(name = "acknowledged_at")
    public Instant acknowledgedAt;

    @Column(name = "resolved_at")
    public Instant resolvedAt;

    /** It joined an incident another alert opened (alert grouping): no page, no thread of its own. */
    @Column(nullable = false)
    public boolean grouped;
}

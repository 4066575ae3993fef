package dev.toban.incident.model;

import com.fasterxml.jackson.databind.JsonNode;
import dev.toban.contracts.incident.IncidentSource;
import dev.toban.contracts.incident.IncidentState;
import dev.toban.contracts.incident.Severity;
import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import jakarta.persistence.Version;
import java.time.Instant;
import java.util.UUID;
import org.hibernate.annotations.DynamicUpdate;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/**
 * An incident. Rows are inserted with native SQL (ON CONFLICT on the open-dedup index decides races);
 * every later change goes through this entity under a row lock.
 */
@Entity
@DynamicUpdate // an update writes only the columns that changed, not its ~40 (JSON included)
@Table(name = "incident")
public class Incident extends PanacheEntityBase {

    @Id
    public UUID id;

    @Column(nullable = false, insertable = false, updatable = false)
    public long number;

    @Column(nullable = false)
    public String title;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    public Severity severity;

    @Column(nullable = false)
    public IncidentState state;

    public String impact;

    @Column(nullable = false)
    public IncidentSource source;

    @Column(name = "service_id", nullable = false)
    public UUID serviceId;

    @Column(name = "integration_key_id")
    public UUID integrationKeyId;

    @Column(name = "dedup_key")
    public String dedupKey;

    /** Opened during a maintenance window of a low_urgency service: its IC is named, nobody is paged. */
    @Column(name = "low_urgency", nullable = false)
    public boolean lowUrgency;

    @Column(name = "owning_team_id")
    public UUID owningTeamId;

    @Column(name = "escalation_policy_id")
    public UUID escalationPolicyId;

    @Column(name = "commander_id")
    public UUID commanderId;

    @Column(name = "liaison_id")
    public UUID liaisonId;

    @Column(name = "war_room_url")
    public String warRoomUrl;

    @Column(name = "slack_channel")
    public String slackChannel;

    @Column(name = "slack_ts")
    public String slackTs;

    @Column(name = "slack_permalink")
    public String slackPermalink;

    @Column(name = "problem_started_at")
    public Instant problemStartedAt;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    @Column(name = "acknowledged_at")
    public Instant acknowledgedAt;

    @Column(name = "assigned_at")
    public Instant assignedAt;

    @Column(name = "mitigated_at")
    public Instant mitigatedAt;

    @Column(name = "resolved_at")
    public Instant resolvedAt;

    @Column(name = "closed_at")
    public Instant closedAt;

    @Column(name = "announced_at")
    public Instant announcedAt;

    @Column(name = "last_status_update_at")
    public Instant lastStatusUpdateAt;

    @Column(name = "next_update_due_at")
    public Instant nextUpdateDueAt;

    /** The escalation level (from 1) and repeat last paged; null until the first page. */
    @Column(name = "page_level")
    public Integer pageLevel;

    @Column(name = "page_repeat")
    public Integer pageRepeat;

    /** postmortem-service's postmortem of this incident and its decision (hold, skip), from its events. */
    @Column(name = "postmortem_id")
    public UUID postmortemId;

    @Column(name = "postmortem_state")
    public String postmortemState;

    @Column(name = "postmortem_decision")
    public String postmortemDecision;

    @Column(name = "postmortem_decided_at")
    public Instant postmortemDecidedAt;

    @Column(name = "postmortem_version")
    public Long postmortemVersion;

    /** The SOS form's one-time token (null for other sources): the same form sent twice opens one incident. */
    @Column(name = "sos_token")
    public String sosToken;

    @JdbcTypeCode(SqlTypes.JSON)
    @Column(name = "created_by", nullable = false)
    public JsonNode createdBy;

    @Version
    public long version;
}

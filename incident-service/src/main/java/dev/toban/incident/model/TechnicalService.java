package dev.toban.incident.model;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import jakarta.persistence.Version;
import java.time.Instant;
import java.util.UUID;

/** A technical service of the catalog: who owns it, whom to page, where its runbook is. */
@Entity
@Table(name = "technical_service")
public class TechnicalService extends PanacheEntityBase {

    @Id
    public UUID id;

    @Column(nullable = false)
    public String name;

    public String description;

    /** A team id of oncall-service. */
    @Column(name = "owning_team_id", nullable = false)
    public UUID owningTeamId;

    /** An escalation policy id of oncall-service. */
    @Column(name = "escalation_policy_id", nullable = false)
    public UUID escalationPolicyId;

    @Column(name = "runbook_url")
    public String runbookUrl;

    @Column(name = "slack_channel")
    public String slackChannel;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    @Column(name = "updated_at", nullable = false)
    public Instant updatedAt;

    /** When an admin archived it: no new incidents, keys refused, hidden from lists; still readable by id. */
    @Column(name = "archived_at")
    public Instant archivedAt;

    @Column(name = "archived_by")
    public String archivedBy;

    /** Alert grouping: off, time or content (AlertGrouping). */
    @Column(name = "grouping_rule", nullable = false)
    public String groupingRule = "off";

    /** time: how long after the incident's first alert later alerts still join it. */
    @Column(name = "grouping_window_minutes")
    public Integer groupingWindowMinutes;

    /** content: the group key template, e.g. {@code {{labels.alertname}}/{{labels.cluster}}}. */
    @Column(name = "grouping_template")
    public String groupingTemplate;

    /** Resolve the incident when every grouped alert has resolved (else only the IC is told). */
    @Column(name = "grouping_auto_resolve", nullable = false)
    public boolean groupingAutoResolve;

    /** What a maintenance window does to its alerts: suppress or low_urgency (MaintenanceService). */
    @Column(name = "maintenance_mode", nullable = false)
    public String maintenanceMode = "suppress";

    @Version
    public long version;
}

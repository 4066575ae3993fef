package dev.toban.postmortem.model;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import jakarta.persistence.Version;
import java.time.Instant;
import java.util.UUID;

/**
 * The postmortem of one incident. Incident fields are copies of the last IncidentSnapshot applied
 * (incident-service owns the incident); the rest is this service's own state.
 */
@Entity
@Table(name = "postmortem")
public class Postmortem extends PanacheEntityBase {

    @Id
    public UUID id;

    @Column(name = "incident_id", nullable = false)
    public UUID incidentId;

    @Column(name = "incident_number")
    public Integer incidentNumber;

    @Column(name = "incident_title", nullable = false)
    public String incidentTitle;

    /** The incident's own state (resolved, closed, or triggered/... after a reopen). */
    @Column(name = "incident_state", nullable = false)
    public String incidentState;

    @Column(name = "incident_reopened", nullable = false)
    public boolean incidentReopened;

    @Column(name = "incident_version", nullable = false)
    public long incidentVersion;

    /** The last IncidentSnapshot applied, as JSON: people, service, links. */
    @Column(name = "incident_snapshot", nullable = false)
    public String incidentSnapshot;

    @Column(nullable = false)
    public String severity;

    @Column(nullable = false)
    public boolean required;

    @Column(nullable = false)
    public PostmortemState state;

    public Decision decision;

    @Column(name = "skip_reason")
    public String skipReason;

    @Column(name = "decided_by")
    public String decidedBy;

    @Column(name = "decided_at")
    public Instant decidedAt;

    @Column(name = "decision_due_at", nullable = false)
    public Instant decisionDueAt;

    @Column(name = "owning_team_id")
    public UUID owningTeamId;

    @Column(name = "owning_team_name")
    public String owningTeamName;

    @Column(name = "owning_team_slack_channel")
    public String owningTeamSlackChannel;

    /** IANA zone of the owning team: working hours, deadlines and the invitation's TZID. */
    @Column(name = "time_zone", nullable = false)
    public String timeZone;

    @Column(name = "slack_thread_channel")
    public String slackThreadChannel;

    @Column(name = "slack_thread_ts")
    public String slackThreadTs;

    @Column(name = "problem_started_at")
    public Instant problemStartedAt;

    @Column(name = "incident_created_at")
    public Instant incidentCreatedAt;

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

    @Column(name = "held_at")
    public Instant heldAt;

    @Column(name = "published_at")
    public Instant publishedAt;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    @Column(name = "updated_at", nullable = false)
    public Instant updatedAt;

    @Version
    public long version;
}

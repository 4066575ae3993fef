package dev.toban.postmortem.model;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import jakarta.persistence.Version;
import java.time.Instant;
import java.time.LocalDate;
import java.util.UUID;

/** Follow-up work from a postmortem, owned by a person and a team; may be exported to the team's backlog. */
@Entity
@Table(name = "action_item")
public class ActionItem extends PanacheEntityBase {

    @Id
    public UUID id;

    @Column(name = "postmortem_id", nullable = false)
    public UUID postmortemId;

    @Column(nullable = false)
    public String title;

    public String description;

    @Column(name = "owner_person_id", nullable = false)
    public UUID ownerPersonId;

    @Column(name = "owner_username")
    public String ownerUsername;

    @Column(name = "owner_name")
    public String ownerName;

    @Column(name = "owner_email")
    public String ownerEmail;

    @Column(name = "team_id", nullable = false)
    public UUID teamId;

    @Column(name = "team_name", nullable = false)
    public String teamName;

    @Column(name = "team_slack_channel")
    public String teamSlackChannel;

    /** The team's zone decides which calendar day an item becomes overdue. */
    @Column(name = "team_time_zone", nullable = false)
    public String teamTimeZone;

    @Column(name = "due_date", nullable = false)
    public LocalDate dueDate;

    @Column(nullable = false)
    public ActionItemStatus status;

    @Column(name = "external_url")
    public String externalUrl;

    @Column(name = "exported_at")
    public Instant exportedAt;

    @Column(name = "export_claimed_at")
    public Instant exportClaimedAt;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    @Column(name = "updated_at", nullable = false)
    public Instant updatedAt;

    @Version
    public long version;
}

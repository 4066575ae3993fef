package dev.toban.notify.model;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;
import org.hibernate.annotations.DynamicUpdate;

/** The Slack thread of one incident: where its parent message is, and what it last showed. */
@Entity
@DynamicUpdate // a thread update writes only what changed
@Table(name = "incident_thread")
public class IncidentThread extends PanacheEntityBase {

    @Id
    @Column(name = "incident_id")
    public UUID incidentId;

    public Long number;

    public String title;

    /** Where the parent goes, as configured ({@code #svc-news-api}). */
    @Column(nullable = false)
    public String channel;

    /** The channel id Slack answered ({@code C024BE91L}); null until the parent is posted. */
    @Column(name = "channel_id")
    public String channelId;

    /** The parent message's ts; null until it is posted. */
    public String ts;

    public String permalink;

    @Column(name = "parent_delivery_id")
    public UUID parentDeliveryId;

    @Column(name = "parent_version", nullable = false)
    public long parentVersion;

    @Column(name = "latest_version", nullable = false)
    public long latestVersion;

    @Column(name = "commander_name")
    public String commanderName;

    @Column(name = "commander_slack_user_id")
    public String commanderSlackUserId;

    /** The newest incident snapshot seen (JSON), from which the parent is rendered; null before the first. */
    public String snapshot;

    @Column(name = "snapshot_version", nullable = false)
    public long snapshotVersion;

    /** The newest status update, shown in the parent. */
    @Column(name = "last_update_message")
    public String lastUpdateMessage;

    @Column(name = "last_update_at")
    public Instant lastUpdateAt;

    @Column(name = "last_update_by")
    public String lastUpdateBy;

    @Column(name = "last_update_version", nullable = false)
    public long lastUpdateVersion;

    /** The postmortem decision ({@code hold}, {@code skip}) as the newest postmortem event says; null: none yet. */
    @Column(name = "postmortem_decision")
    public String postmortemDecision;

    @Column(name = "postmortem_version")
    public Long postmortemVersion;

    /** Revision of the newest rendering of the parent (the post is 1, each update one more). */
    @Column(name = "parent_revision", nullable = false)
    public long parentRevision;

    /** Revision of the parent as Slack shows it now (the newest one sent). */
    @Column(name = "shown_revision", nullable = false)
    public long shownRevision;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    @Column(name = "updated_at", nullable = false)
    public Instant updatedAt;
}

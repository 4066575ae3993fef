package dev.toban.incident.model;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;

/** A team as oncall-service last announced it. Read-only here; oncall-service owns it. */
@Entity
@Table(name = "team")
public class Team extends PanacheEntityBase {

    @Id
    public UUID id;

    @Column(nullable = false)
    public String name;

    @Column(name = "slack_channel")
    public String slackChannel;

    @Column(name = "time_zone", nullable = false)
    public String timeZone;

    /** The owner's optimistic-lock version: an older announcement never overwrites a newer one. */
    @Column(name = "source_version", nullable = false)
    public long sourceVersion;

    @Column(name = "updated_at", nullable = false)
    public Instant updatedAt;

    /** When oncall-service archived the team; null while active. An archived team is no new reference. */
    @Column(name = "archived_at")
    public Instant archivedAt;

    /** The team's default war room (Gather, Meet...), if oncall-service announced one. */
    @Column(name = "war_room_url")
    public String warRoomUrl;
}

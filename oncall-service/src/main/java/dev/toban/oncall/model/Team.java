package dev.toban.oncall.model;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.CollectionTable;
import jakarta.persistence.Column;
import jakarta.persistence.ElementCollection;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.OrderColumn;
import jakarta.persistence.Table;
import jakarta.persistence.Version;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/** A team that owns services and is on call for them. */
@Entity
@Table(name = "team")
public class Team extends PanacheEntityBase {

    @Id
    public UUID id;

    @Column(nullable = false)
    public String name;

    /** Where incident threads and handoff posts for this team go, for example {@code #team-server}. */
    @Column(name = "slack_channel")
    public String slackChannel;

    /** IANA zone of the team's working hours (postmortem scheduling); stored as text, validated on write. */
    @Column(name = "time_zone", nullable = false)
    public String timeZone;

    /** The team's standing war room (a Gather or Meet link), the default room of its incidents; null when none. */
    @Column(name = "war_room_url")
    public String warRoomUrl;

    /** Members in display order (people ids). */
    @ElementCollection
    @CollectionTable(name = "team_member", joinColumns = @JoinColumn(name = "team_id"))
    @Column(name = "person_id", nullable = false)
    @OrderColumn(name = "position")
    public List<UUID> memberIds = new ArrayList<>();

    /** Set when an admin archived it: kept for history, left out of lists, no longer selectable as a reference. */
    @Column(name = "archived_at")
    public Instant archivedAt;

    @Column(name = "archived_by")
    public String archivedBy;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    @Column(name = "updated_at", nullable = false)
    public Instant updatedAt;

    @Version
    public long version;

    public boolean archived() {
        return archivedAt != null;
    }
}

package dev.toban.oncall.model;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.CascadeType;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.OneToMany;
import jakarta.persistence.OrderBy;
import jakarta.persistence.Table;
import jakarta.persistence.Version;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/** A team's on-call rotation for one role ("server", "mobile"), made of layers. */
@Entity
@Table(name = "schedule")
public class Schedule extends PanacheEntityBase {

    @Id
    public UUID id;

    @Column(name = "team_id", nullable = false)
    public UUID teamId;

    @Column(nullable = false)
    public String name;

    /** Unique within the team, case-insensitive. */
    @Column(nullable = false)
    public String role;

    /** IANA zone in which handoff times, start dates and restrictions are read. */
    @Column(name = "time_zone", nullable = false)
    public String timeZone;

    public String description;

    @OneToMany(mappedBy = "schedule", cascade = CascadeType.ALL, orphanRemoval = true)
    @OrderBy("position")
    public List<ScheduleLayer> layers = new ArrayList<>();

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

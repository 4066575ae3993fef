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

/** Whom to page, level by level, until someone acknowledges; repeated {@code repeatCount} more times. */
@Entity
@Table(name = "escalation_policy")
public class EscalationPolicy extends PanacheEntityBase {

    @Id
    public UUID id;

    @Column(nullable = false)
    public String name;

    public String description;

    /** How many times the whole policy runs again after its last level. */
    @Column(name = "repeat_count", nullable = false)
    public int repeatCount;

    /** Level k (1-based) is element k-1. */
    @ElementCollection
    @CollectionTable(name = "escalation_level", joinColumns = @JoinColumn(name = "policy_id"))
    @OrderColumn(name = "position")
    public List<EscalationLevel> levels = new ArrayList<>();

    /** Targets of every level, in order; {@link EscalationTarget#level} says whose. */
    @ElementCollection
    @CollectionTable(name = "escalation_target", joinColumns = @JoinColumn(name = "policy_id"))
    @OrderColumn(name = "position")
    public List<EscalationTarget> targets = new ArrayList<>();

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

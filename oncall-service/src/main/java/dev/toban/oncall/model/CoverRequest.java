package dev.toban.oncall.model;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import jakarta.persistence.Version;
import java.time.Instant;
import java.util.UUID;

/**
 * Someone asks for cover over a range, open to anyone or to a named colleague. A swap also names the
 * range the requester takes from the colleague in return.
 */
@Entity
@Table(name = "cover_request")
public class CoverRequest extends PanacheEntityBase {

    public static final String OPEN = "open";
    public static final String ACCEPTED = "accepted";
    public static final String CANCELLED = "cancelled";

    @Id
    public UUID id;

    @Column(name = "schedule_id", nullable = false)
    public UUID scheduleId;

    @Column(name = "requester_id", nullable = false)
    public UUID requesterId;

    /** The named colleague, or null when anyone may accept. */
    @Column(name = "target_id")
    public UUID targetId;

    /** {@code cover} or {@code swap}. */
    @Column(nullable = false)
    public String kind;

    @Column(name = "start_at", nullable = false)
    public Instant startAt;

    @Column(name = "end_at", nullable = false)
    public Instant endAt;

    /** For a swap: the range the requester takes over from whoever accepts. */
    @Column(name = "swap_start_at")
    public Instant swapStartAt;

    @Column(name = "swap_end_at")
    public Instant swapEndAt;

    public String note;

    @Column(nullable = false)
    public String status;

    @Column(name = "accepted_by_id")
    public UUID acceptedById;

    @Column(name = "override_id")
    public UUID overrideId;

    @Column(name = "swap_override_id")
    public UUID swapOverrideId;

    @Column(name = "created_by", nullable = false)
    public String createdBy;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    @Column(name = "updated_at", nullable = false)
    public Instant updatedAt;

    @Version
    public long version;
}

package dev.toban.oncall.model;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;

/** A person takes [start, end) on a schedule, instead of one person or of everyone. */
@Entity
@Table(name = "schedule_override")
public class ScheduleOverride extends PanacheEntityBase {

    @Id
    public UUID id;

    @Column(name = "schedule_id", nullable = false)
    public UUID scheduleId;

    @Column(name = "person_id", nullable = false)
    public UUID personId;

    /** Null: the person is the only one on call. Otherwise they replace this person where that person is on. */
    @Column(name = "replaces_person_id")
    public UUID replacesPersonId;

    @Column(name = "start_at", nullable = false)
    public Instant startAt;

    @Column(name = "end_at", nullable = false)
    public Instant endAt;

    public String note;

    /** Set when the override was made by accepting a cover or swap request. */
    @Column(name = "cover_request_id")
    public UUID coverRequestId;

    @Column(name = "created_by", nullable = false)
    public String createdBy;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;
}

package dev.toban.oncall.model;

import dev.toban.oncall.rotation.ShiftUnit;
import jakarta.persistence.CollectionTable;
import jakarta.persistence.Column;
import jakarta.persistence.ElementCollection;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.ManyToOne;
import jakarta.persistence.OrderColumn;
import jakarta.persistence.Table;
import java.time.LocalDate;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/** One rotation of a schedule: who takes turns, how long a shift lasts and when it hands off. */
@Entity
@Table(name = "schedule_layer")
public class ScheduleLayer {

    @Id
    public UUID id;

    @ManyToOne(optional = false)
    @JoinColumn(name = "schedule_id", nullable = false)
    public Schedule schedule;

    @Column(nullable = false)
    public int position;

    @Column(nullable = false)
    public String name;

    /** Higher wins where two layers both have someone. Unique within a schedule. */
    @Column(nullable = false)
    public int level;

    /** How many participants are on call at once. */
    @Column(nullable = false)
    public int slots;

    @Column(name = "shift_amount", nullable = false)
    public int shiftAmount;

    @Enumerated(EnumType.STRING)
    @Column(name = "shift_unit", nullable = false)
    public ShiftUnit shiftUnit;

    /** Wall-clock time in the schedule zone at which shifts hand off. */
    @Column(name = "handoff_time", nullable = false)
    public LocalTime handoffTime;

    /** Date of the first handoff, in the schedule zone. */
    @Column(name = "start_date", nullable = false)
    public LocalDate startDate;

    @ElementCollection
    @CollectionTable(name = "layer_participant", joinColumns = @JoinColumn(name = "layer_id"))
    @Column(name = "person_id", nullable = false)
    @OrderColumn(name = "position")
    public List<UUID> participants = new ArrayList<>();

    @ElementCollection
    @CollectionTable(name = "layer_restriction", joinColumns = @JoinColumn(name = "layer_id"))
    @OrderColumn(name = "position")
    public List<LayerRestriction> restrictions = new ArrayList<>();
}

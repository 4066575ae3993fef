package dev.toban.oncall.model;

import jakarta.persistence.Column;
import jakarta.persistence.Embeddable;
import java.time.LocalTime;

/** A window in which a layer is on call, for example weekdays 10:00-19:00. */
@Embeddable
public class LayerRestriction {

    /** Comma-separated {@link java.time.DayOfWeek} names on which the window starts. */
    @Column(name = "days_of_week", nullable = false)
    public String daysOfWeek;

    @Column(name = "start_time", nullable = false)
    public LocalTime startTime;

    /** At or before {@code startTime}: the window ends the next day. */
    @Column(name = "end_time", nullable = false)
    public LocalTime endTime;

    public LayerRestriction() {
    }

    public LayerRestriction(String daysOfWeek, LocalTime startTime, LocalTime endTime) {
        this.daysOfWeek = daysOfWeek;
        this.startTime = startTime;
        this.endTime = endTime;
    }
}

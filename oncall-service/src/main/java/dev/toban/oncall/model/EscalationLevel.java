package dev.toban.oncall.model;

import jakarta.persistence.Column;
import jakarta.persistence.Embeddable;

/** One level of a policy: how long to wait for an acknowledgement before paging the next level. */
@Embeddable
public class EscalationLevel {

    @Column(name = "delay_minutes", nullable = false)
    public int delayMinutes;

    public EscalationLevel() {
    }

    public EscalationLevel(int delayMinutes) {
        this.delayMinutes = delayMinutes;
    }
}

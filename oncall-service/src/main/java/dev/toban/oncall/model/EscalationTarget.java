package dev.toban.oncall.model;

import jakarta.persistence.Column;
import jakarta.persistence.Embeddable;
import java.util.UUID;

/** Someone a level pages: a schedule (whoever is on call) or a person. */
@Embeddable
public class EscalationTarget {

    /** 1-based level number. */
    @Column(nullable = false)
    public int level;

    /** {@code schedule} or {@code person}. */
    @Column(name = "target_type", nullable = false)
    public String type;

    @Column(name = "target_id", nullable = false)
    public UUID targetId;

    public EscalationTarget() {
    }

    public EscalationTarget(int level, String type, UUID targetId) {
        this.level = level;
        this.type = type;
        this.targetId = targetId;
    }
}

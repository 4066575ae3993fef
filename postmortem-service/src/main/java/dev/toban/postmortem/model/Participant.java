package dev.toban.postmortem.model;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;

/** Someone invited to the postmortem meeting. */
@Entity
@Table(name = "participant")
public class Participant extends PanacheEntityBase {

    @Id
    public UUID id;

    @Column(name = "postmortem_id", nullable = false)
    public UUID postmortemId;

    /** oncall-service's person id; null for someone added by email only. */
    @Column(name = "person_id")
    public UUID personId;

    public String username;

    public String name;

    public String email;

    @Column(nullable = false)
    public ParticipantSource source;

    /** Removed by the organiser; kept so that a refresh of the team does not invite them again. */
    @Column(nullable = false)
    public boolean removed;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    public String displayName() {
        if (name != null && !name.isBlank()) {
            return name;
        }
        return username != null ? username : email;
    }
}

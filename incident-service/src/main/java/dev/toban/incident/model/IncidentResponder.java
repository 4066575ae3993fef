package dev.toban.incident.model;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;

/** A person who joined the response. */
@Entity
@Table(name = "incident_responder")
public class IncidentResponder extends PanacheEntityBase {

    @Id
    public UUID id;

    @Column(name = "incident_id", nullable = false)
    public UUID incidentId;

    @Column(name = "person_id", nullable = false)
    public UUID personId;

    @Column(name = "joined_at", nullable = false)
    public Instant joinedAt;
}

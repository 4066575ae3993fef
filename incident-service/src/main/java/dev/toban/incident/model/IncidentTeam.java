package dev.toban.incident.model;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;

/** A team assigned to an incident. */
@Entity
@Table(name = "incident_team")
public class IncidentTeam extends PanacheEntityBase {

    @Id
    public UUID id;

    @Column(name = "incident_id", nullable = false)
    public UUID incidentId;

    @Column(name = "team_id", nullable = false)
    public UUID teamId;

    @Column(name = "assigned_at", nullable = false)
    public Instant assignedAt;
}

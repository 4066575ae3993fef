package dev.toban.notify.model;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;

/** Someone who acted in the Slack sandbox: the Slack user of a signed-in person. */
@Entity
@Table(name = "sandbox_user")
public class SandboxUser extends PanacheEntityBase {

    /** The person's Slack user id, or {@code U-<username>} when they have none. */
    @Id
    public String id;

    @Column(nullable = false)
    public String username;

    public String name;

    public String email;

    @Column(name = "person_id")
    public UUID personId;

    @Column(name = "time_zone")
    public String timeZone;

    @Column(name = "updated_at", nullable = false)
    public Instant updatedAt;
}

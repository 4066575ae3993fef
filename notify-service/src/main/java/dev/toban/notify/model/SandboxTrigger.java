package dev.toban.notify.model;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** A trigger_id the sandbox handed out with an interaction; views.open exchanges it once. */
@Entity
@Table(name = "sandbox_trigger")
public class SandboxTrigger extends PanacheEntityBase {

    @Id
    public String id;

    @Column(name = "user_id", nullable = false)
    public String userId;

    @Column(name = "channel_id")
    public String channelId;

    public boolean used;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;
}

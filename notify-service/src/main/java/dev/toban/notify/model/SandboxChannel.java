package dev.toban.notify.model;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** A channel of the Slack sandbox ({@code C…}), or a DM with one user ({@code D…}). */
@Entity
@Table(name = "sandbox_channel")
public class SandboxChannel extends PanacheEntityBase {

    @Id
    public String id;

    /** Without the '#'; null for a DM. */
    public String name;

    /** The user of a DM; null for a channel. */
    @Column(name = "dm_user_id")
    public String dmUserId;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    public boolean isDm() {
        return dmUserId != null;
    }
}

package dev.toban.notify.model;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;

/** A response_url the sandbox handed out: where the app's answers to one interaction go. */
@Entity
@Table(name = "sandbox_response")
public class SandboxResponse extends PanacheEntityBase {

    @Id
    public UUID id;

    @Column(name = "user_id", nullable = false)
    public String userId;

    @Column(name = "channel_id")
    public String channelId;

    /** The thread the interaction happened in; answers appear there. */
    @Column(name = "thread_ts")
    public String threadTs;

    /** The message whose button was pressed (replace_original, delete_original). */
    @Column(name = "message_ts")
    public String messageTs;

    public int uses;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;
}

package dev.toban.notify.model;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** A message (or thread reply) in the Slack sandbox, as Slack keeps it. */
@Entity
@Table(name = "sandbox_message")
public class SandboxMessage extends PanacheEntityBase {

    /** Posting order; also the microseconds of {@link #ts}. */
    @Id
    public long seq;

    @Column(name = "channel_id", nullable = false)
    public String channelId;

    @Column(nullable = false)
    public String ts;

    /** The parent's ts for a reply; null for a message in the channel. */
    @Column(name = "thread_ts")
    public String threadTs;

    /** Who posted it: Toban's bot, a person, or Slackbot (the sandbox's own notes). */
    @Column(name = "user_id", nullable = false)
    public String userId;

    public String text;

    /** Block Kit blocks as JSON, or null. */
    public String blocks;

    /** Message metadata as JSON, or null. */
    public String metadata;

    /** The only user who sees it (an ephemeral message), or null. */
    @Column(name = "ephemeral_for")
    public String ephemeralFor;

    @Column(name = "edited_at")
    public Instant editedAt;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;
}

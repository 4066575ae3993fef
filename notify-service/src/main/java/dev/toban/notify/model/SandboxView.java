package dev.toban.notify.model;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** A modal in the Slack sandbox: the view the app opened, what the user typed, and the app's errors. */
@Entity
@Table(name = "sandbox_view")
public class SandboxView extends PanacheEntityBase {

    @Id
    public String id;

    @Column(name = "user_id", nullable = false)
    public String userId;

    /** Where the interaction that opened it happened. */
    @Column(name = "channel_id")
    public String channelId;

    @Column(name = "external_id")
    public String externalId;

    /** The view as the app sent it (JSON). */
    @Column(nullable = false)
    public String view;

    /** state.values of the last submission (JSON), kept so a refused form shows what was typed. */
    @Column(name = "state_values")
    public String stateValues;

    /** The app's {@code errors} by block id (JSON) after a refused submission. */
    public String errors;

    @Column(nullable = false)
    public String hash;

    @Column(name = "previous_view_id")
    public String previousViewId;

    public boolean open;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    @Column(name = "updated_at", nullable = false)
    public Instant updatedAt;
}

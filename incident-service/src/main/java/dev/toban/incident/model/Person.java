package dev.toban.incident.model;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;

/** A person as oncall-service last announced them. Read-only here; oncall-service owns it. */
@Entity
@Table(name = "person")
public class Person extends PanacheEntityBase {

    /** Version of a person known only from an escalation-targets answer; any announcement wins over it. */
    public static final long FROM_ANSWER = -1;

    @Id
    public UUID id;

    @Column(nullable = false)
    public String name;

    public String username;

    public String email;

    @Column(name = "slack_user_id")
    public String slackUserId;

    @Column(name = "time_zone")
    public String timeZone;

    public String locale;

    /**
     * Realm roles as oncall-service mirrors them from Keycloak, expanded and comma-separated
     * ({@code viewer,responder}); null while oncall-service has not said (then the person is no responder here).
     */
    public String roles;

    /** When oncall-service archived the person; null while active. */
    @Column(name = "archived_at")
    public Instant archivedAt;

    /** The person's realm roles ({@code viewer}, {@code responder}, {@code admin}); empty when unknown. */
    public java.util.Set<String> roleSet() {
        return roles == null || roles.isBlank() ? java.util.Set.of()
                : java.util.Set.copyOf(java.util.List.of(roles.split(",")));
    }

    /** The owner's version: an older announcement never overwrites a newer one. */
    @Column(name = "source_version", nullable = false)
    public long sourceVersion;

    @Column(name = "updated_at", nullable = false)
    public Instant updatedAt;
}

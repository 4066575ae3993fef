package dev.toban.oncall.model;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.CollectionTable;
import jakarta.persistence.Column;
import jakarta.persistence.ElementCollection;
import jakarta.persistence.Entity;
import jakarta.persistence.FetchType;
import jakarta.persistence.Id;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.OrderColumn;
import jakarta.persistence.Table;
import jakarta.persistence.Version;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/** Someone who can be on call or paged: their Keycloak login, how to reach them and in what order. */
@Entity
@Table(name = "person")
public class Person extends PanacheEntityBase {

    public static final String LOGIN_ACTIVE = "active";
    public static final String LOGIN_DISABLED = "disabled";
    public static final String LOGIN_DELETED = "deleted";

    @Id
    public UUID id;

    @Column(nullable = false)
    public String name;

    /** Keycloak {@code preferred_username}; how a token is matched to its person. Unique, case-insensitive. */
    @Column(nullable = false)
    public String username;

    public String email;

    @Column(name = "slack_user_id")
    public String slackUserId;

    /** IANA zone the person's notices are written in. */
    @Column(name = "time_zone", nullable = false)
    public String timeZone;

    /** {@code ja} or {@code en}. */
    @Column(nullable = false)
    public String locale;

    /** Keycloak {@code sub}, when known; people without a login have none. */
    @Column(name = "keycloak_subject")
    public String keycloakSubject;

    /**
     * The Toban realm roles of the person's Keycloak user (viewer, responder, admin; composites expanded),
     * as the directory sync or the last sign-in saw them. Empty without a login, or once it is disabled or gone.
     */
    @JdbcTypeCode(SqlTypes.ARRAY)
    @Column(name = "roles", nullable = false, columnDefinition = "text[]")
    public String[] roles = new String[0];

    /** {@link #LOGIN_ACTIVE}, {@link #LOGIN_DISABLED} or {@link #LOGIN_DELETED}; null while no Keycloak user is linked. */
    @Column(name = "login_state")
    public String loginState;

    /**
     * When the sync found the login disabled or deleted while something still referred to the person (so
     * it could not archive them); null otherwise. The people settings page lists these.
     */
    @Column(name = "inactive_since")
    public Instant inactiveSince;

    /** When the login's name, email and roles were last taken from Keycloak (sync or sign-in). */
    @Column(name = "login_synced_at")
    public Instant loginSyncedAt;

    @ElementCollection(fetch = FetchType.LAZY)
    @CollectionTable(name = "contact_method", joinColumns = @JoinColumn(name = "person_id"))
    @OrderColumn(name = "position")
    public List<ContactMethod> contactMethods = new ArrayList<>();

    @ElementCollection(fetch = FetchType.LAZY)
    @CollectionTable(name = "notification_rule", joinColumns = @JoinColumn(name = "person_id"))
    @OrderColumn(name = "position")
    public List<NotificationRule> notificationRules = new ArrayList<>();

    /** Set when an admin archived it: kept for history, left out of lists, no longer selectable as a reference. */
    @Column(name = "archived_at")
    public Instant archivedAt;

    @Column(name = "archived_by")
    public String archivedBy;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    @Column(name = "updated_at", nullable = false)
    public Instant updatedAt;

    @Version
    public long version;

    public boolean archived() {
        return archivedAt != null;
    }

    public List<String> roleList() {
        return roles == null ? List.of() : List.of(roles);
    }
}

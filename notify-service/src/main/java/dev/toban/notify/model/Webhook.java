package dev.toban.notify.model;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import jakarta.persistence.Version;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;

/** An outgoing webhook an admin configured: where to POST which events, signed with its secret. */
@Entity
@Table(name = "webhook")
public class Webhook extends PanacheEntityBase {

    @Id
    public UUID id;

    @Column(nullable = false)
    public String name;

    @Column(nullable = false)
    public String url;

    /** HMAC-SHA256 key of the signature header; kept because every call is signed with it. */
    @Column(nullable = false)
    public String secret;

    /** Comma-separated patterns ({@code toban.incident.*}, {@code toban.postmortem.#}, exact types). */
    @Column(name = "event_types", nullable = false)
    public String eventTypes;

    @Column(nullable = false)
    public boolean enabled;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    @Column(name = "updated_at", nullable = false)
    public Instant updatedAt;

    @Version
    public long version;

    public List<String> eventTypeList() {
        return Arrays.stream(eventTypes.split(",")).map(String::strip).filter(s -> !s.isEmpty()).toList();
    }
}

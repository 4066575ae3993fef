package dev.toban.oncall.model;

import jakarta.persistence.Column;
import jakarta.persistence.Embeddable;
import java.util.UUID;

/** One way to reach a person: a Slack DM, an email address or a webhook URL. */
@Embeddable
public class ContactMethod {

    @Column(name = "id", nullable = false)
    public UUID id;

    /** {@code slack}, {@code email} or {@code webhook}. */
    @Column(nullable = false)
    public String type;

    @Column(nullable = false)
    public String address;

    public String label;

    public ContactMethod() {
    }

    public ContactMethod(UUID id, String type, String address, String label) {
        this.id = id;
        this.type = type;
        this.address = address;
        this.label = label;
    }
}

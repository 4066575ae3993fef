package dev.toban.notify.model;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Embeddable;
import jakarta.persistence.EmbeddedId;
import jakarta.persistence.Entity;
import jakarta.persistence.Table;
import java.io.Serializable;
import java.time.Instant;
import java.util.Objects;

/** An admin's replacement for a shipped template in one locale. */
@Entity
@Table(name = "template_override")
public class TemplateOverride extends PanacheEntityBase {

    @Embeddable
    public static class Key implements Serializable {
        @Column(name = "template_key")
        public String templateKey;

        public String locale;

        public Key() {
        }

        public Key(String templateKey, String locale) {
            this.templateKey = templateKey;
            this.locale = locale;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && Objects.equals(templateKey, k.templateKey) && Objects.equals(locale, k.locale);
        }

        @Override
        public int hashCode() {
            return Objects.hash(templateKey, locale);
        }
    }

    @EmbeddedId
    public Key id;

    @Column(nullable = false)
    public String source;

    @Column(name = "updated_at", nullable = false)
    public Instant updatedAt;

    @Column(name = "updated_by")
    public String updatedBy;
}

package dev.toban.postmortem.model;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import jakarta.persistence.Version;
import java.time.Instant;
import java.util.UUID;

/**
 * The editable sections of the blameless document. The timeline, the downtime figures and the
 * action items are not stored here: they come from the incident and from the action items.
 */
@Entity
@Table(name = "postmortem_document")
public class PostmortemDocument extends PanacheEntityBase {

    @Id
    @Column(name = "postmortem_id")
    public UUID postmortemId;

    /** Language of the headings: {@code ja} or {@code en}. */
    @Column(nullable = false)
    public String language;

    public String summary;

    public String impact;

    @Column(name = "contributing_factors")
    public String contributingFactors;

    @Column(name = "went_well")
    public String wentWell;

    @Column(name = "went_poorly")
    public String wentPoorly;

    @Column(name = "got_lucky")
    public String gotLucky;

    @Column(name = "updated_by")
    public String updatedBy;

    @Column(name = "updated_at", nullable = false)
    public Instant updatedAt;

    @Version
    public long version;
}

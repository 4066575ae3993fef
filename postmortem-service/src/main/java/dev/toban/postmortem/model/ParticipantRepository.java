package dev.toban.postmortem.model;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Sort;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.UUID;

@ApplicationScoped
public class ParticipantRepository implements PanacheRepositoryBase<Participant, UUID> {

    /** Everyone, removed people included, in the order they were added (commander, liaison, responders first). */
    public List<Participant> allOf(UUID postmortemId) {
        return list("postmortemId", Sort.ascending("createdAt", "source", "id"), postmortemId);
    }

    public List<Participant> activeOf(UUID postmortemId) {
        return list("postmortemId = ?1 and removed = false", Sort.ascending("createdAt", "source", "id"), postmortemId);
    }
}

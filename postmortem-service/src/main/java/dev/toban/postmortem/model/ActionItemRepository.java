package dev.toban.postmortem.model;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Sort;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

@ApplicationScoped
public class ActionItemRepository implements PanacheRepositoryBase<ActionItem, UUID> {

    public List<ActionItem> of(UUID postmortemId) {
        return list("postmortemId", Sort.ascending("createdAt", "id"), postmortemId);
    }

    /**
     * Claims the item for one export call: succeeds only if it was never exported and no other call
     * holds a fresh claim. Runs in its own short transaction.
     */
    public boolean claimExport(UUID id, Instant now, Instant staleBefore) {
        return update("exportClaimedAt = ?1 where id = ?2 and exportedAt is null "
                + "and (exportClaimedAt is null or exportClaimedAt < ?3)", now, id, staleBefore) == 1;
    }

    public void releaseExport(UUID id) {
        update("exportClaimedAt = null where id = ?1 and exportedAt is null", id);
    }
}

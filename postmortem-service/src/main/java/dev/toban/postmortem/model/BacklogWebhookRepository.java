package dev.toban.postmortem.model;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Optional;
import java.util.UUID;

@ApplicationScoped
public class BacklogWebhookRepository implements PanacheRepositoryBase<BacklogWebhook, UUID> {

    public Optional<BacklogWebhook> findByTeam(UUID teamId) {
        return find("teamId", teamId).firstResultOptional();
    }
}

package dev.toban.notify.model;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

@ApplicationScoped
public class WebhookRepository implements PanacheRepositoryBase<Webhook, UUID> {

    public Optional<Webhook> findByName(String name) {
        return find("lower(name) = lower(?1)", name).firstResultOptional();
    }

    public List<Webhook> enabled() {
        return list("enabled = true order by name");
    }
}

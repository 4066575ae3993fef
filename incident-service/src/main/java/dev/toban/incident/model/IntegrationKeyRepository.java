package dev.toban.incident.model;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.UUID;

@ApplicationScoped
public class IntegrationKeyRepository implements PanacheRepositoryBase<IntegrationKey, UUID> {

    public List<IntegrationKey> forService(UUID serviceId) {
        return list("serviceId = ?1 order by createdAt", serviceId);
    }
}

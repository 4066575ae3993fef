package dev.toban.incident.model;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.UUID;

@ApplicationScoped
public class ChangeEventRepository implements PanacheRepositoryBase<ChangeEvent, UUID> {

    public List<ChangeEvent> latest(UUID serviceId, int limit) {
        return find("serviceId = ?1 order by happenedAt desc", serviceId).page(0, limit).list();
    }
}

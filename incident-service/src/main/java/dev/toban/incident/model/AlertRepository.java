package dev.toban.incident.model;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

@ApplicationScoped
public class AlertRepository implements PanacheRepositoryBase<Alert, UUID> {

    public List<Alert> forIncident(UUID incidentId) {
        return list("incidentId = ?1 order by createdAt, id", incidentId);
    }

    public Optional<Alert> first(UUID incidentId) {
        return find("incidentId = ?1 order by createdAt, id", incidentId).firstResultOptional();
    }

    public long openCount(UUID incidentId) {
        return count("incidentId = ?1 and status <> 'resolved'", incidentId);
    }
}

package dev.toban.incident.model;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

@ApplicationScoped
public class IncidentResponderRepository implements PanacheRepositoryBase<IncidentResponder, UUID> {

    public List<IncidentResponder> forIncident(UUID incidentId) {
        return list("incidentId = ?1 order by joinedAt, id", incidentId);
    }

    public Optional<IncidentResponder> find(UUID incidentId, UUID personId) {
        return find("incidentId = ?1 and personId = ?2", incidentId, personId).firstResultOptional();
    }
}

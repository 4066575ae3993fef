package dev.toban.incident.model;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.UUID;

@ApplicationScoped
public class IncidentTeamRepository implements PanacheRepositoryBase<IncidentTeam, UUID> {

    public List<IncidentTeam> forIncident(UUID incidentId) {
        return list("incidentId = ?1 order by assignedAt, id", incidentId);
    }

    public boolean assigned(UUID incidentId, UUID teamId) {
        return count("incidentId = ?1 and teamId = ?2", incidentId, teamId) > 0;
    }
}

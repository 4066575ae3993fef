package dev.toban.incident.rest;

import dev.toban.incident.directory.TeamDirectoryService.TeamView;
import dev.toban.incident.directory.TeamDirectoryService;
import dev.toban.plumbing.security.Roles;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

@Path("/api/teams")
@Tag(name = "Teams")
@Produces(MediaType.APPLICATION_JSON)
public class TeamResource {

    private final TeamDirectoryService directory;

    public TeamResource(TeamDirectoryService directory) {
        this.directory = directory;
    }

    @GET
    @RolesAllowed(Roles.VIEWER)
    @Operation(operationId = "catalogTeamList", summary = "Teams known to the catalog", description = "A copy of oncall-service's teams, kept current by its events.")
    public List<TeamView> list() {
        return directory.list();
    }
}

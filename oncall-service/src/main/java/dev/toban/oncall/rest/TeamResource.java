package dev.toban.oncall.rest;

import dev.toban.oncall.service.TeamService;
import dev.toban.oncall.service.TeamService.TeamRequest;
import dev.toban.oncall.service.TeamService.TeamView;
import dev.toban.plumbing.security.Roles;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

@Path("/api/teams")
@Tag(name = "Teams")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class TeamResource {

    private final TeamService teams;

    public TeamResource(TeamService teams) {
        this.teams = teams;
    }

    @GET
    @RolesAllowed(Roles.VIEWER)
    @Operation(summary = "List teams")
    public List<TeamView> list() {
        return teams.list();
    }

    @GET
    @Path("/{id}")
    @RolesAllowed(Roles.VIEWER)
    @Operation(summary = "Get a team with its members")
    public TeamView get(@PathParam("id") UUID id) {
        return teams.get(id);
    }

    @POST
    @RolesAllowed(Roles.ADMIN)
    @Operation(summary = "Create a team", description = "Publishes toban.oncall.team.created.")
    public Response create(@NotNull @Valid TeamRequest body) {
        TeamView created = teams.create(body);
        return Response.created(URI.create("/api/teams/" + created.id())).entity(created).build();
    }

    @PUT
    @Path("/{id}")
    @RolesAllowed(Roles.ADMIN)
    @Operation(summary = "Update a team", description = "Omit memberIds to keep the members. Publishes toban.oncall.team.updated.")
    public TeamView update(@PathParam("id") UUID id, @NotNull @Valid TeamRequest body) {
        return teams.update(id, body);
    }
}

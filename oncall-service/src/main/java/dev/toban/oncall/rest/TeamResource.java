package dev.toban.oncall.rest;

import dev.toban.oncall.team.TeamService;
import dev.toban.oncall.team.TeamService.TeamRequest;
import dev.toban.oncall.team.TeamService.TeamView;
import dev.toban.plumbing.security.Roles;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
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
    @Operation(summary = "List teams", description = "Archived teams only with includeArchived=true.")
    public List<TeamView> list(@QueryParam("includeArchived") @DefaultValue("false") boolean includeArchived) {
        return teams.list(includeArchived);
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

    @POST
    @Consumes(MediaType.WILDCARD)
    @Path("/{id}/archive")
    @RolesAllowed(Roles.ADMIN)
    @Operation(summary = "Archive a team",
            description = "Archive, not delete: history (past overrides, cover requests, incidents in other "
                    + "services) keeps referring to it. An archived team leaves the lists "
                    + "(?includeArchived=true shows it), stays readable by id with archivedAt, cannot be chosen "
                    + "as a new reference and is read-only until unarchived. Refused (409, naming each) while a "
                    + "live schedule belongs to it or a technical service of incident-service is owned by it; "
                    + "503 when incident-service cannot say (retry). Publishes toban.oncall.team.updated with "
                    + "archived=true.")
    public TeamView archive(@PathParam("id") UUID id) {
        return teams.archive(id);
    }

    @POST
    @Consumes(MediaType.WILDCARD)
    @Path("/{id}/unarchive")
    @RolesAllowed(Roles.ADMIN)
    @Operation(summary = "Unarchive a team", description = "Refused (409) while one of its members is archived. "
            + "Publishes toban.oncall.team.updated with archived=false.")
    public TeamView unarchive(@PathParam("id") UUID id) {
        return teams.unarchive(id);
    }

    @DELETE
    @Path("/{id}")
    @RolesAllowed(Roles.ADMIN)
    @Operation(summary = "Archive a team (same as POST /{id}/archive)", description = "Nothing is hard-deleted; "
            + "see POST /{id}/archive. 204 on success.")
    public Response delete(@PathParam("id") UUID id) {
        teams.archive(id);
        return Response.noContent().build();
    }
}

package dev.toban.incident.rest;

import dev.toban.contracts.incident.IncidentSnapshot;
import dev.toban.incident.directory.ActorService;
import dev.toban.incident.sos.SosService.SosRequest;
import dev.toban.incident.sos.SosService;
import dev.toban.plumbing.security.Roles;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** SOS for signed-in business staff, the REST twin of Slack's /sos. */
@Path("/api/sos")
@Tag(name = "SOS")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class SosResource {

    private final SosService sos;
    private final ActorService actors;

    public SosResource(SosService sos, ActorService actors) {
        this.sos = sos;
        this.actors = actors;
    }

    @POST
    @RolesAllowed(Roles.VIEWER)
    @APIResponse(responseCode = "201", description = "The incident opened (Location: /api/incidents/{id})", content = @Content(mediaType = "application/json", schema = @Schema(implementation = IncidentSnapshot.class)))
    @APIResponse(responseCode = "429", description = "The reporter has raised as many SOS as the limit allows; retry after Retry-After seconds",
            content = @Content(mediaType = "application/problem+json", schema = @Schema(ref = "Problem")))
    @Operation(summary = "Raise an SOS", description = "Opens an incident on the triage service; the on-call becomes IC. "
            + "At most toban.incident.sos.limit.max-reports (3) per reporter within .window (10 minutes), counted "
            + "together with Slack and the SOS page: over it, 429 with Retry-After and nothing is opened. affected "
            + "(one, few, many, all, unknown) sets the severity: all SEV1, many SEV2, few SEV3, one SEV4, else SEV3.")
    public Response raise(@NotNull @Valid SosRequest body) {
        IncidentSnapshot incident = sos.raise(new SosService.Sos(body.description(), body.impact(), null, null,
                sos.severity(body.affected()), null), SosService.Reporter.of(actors.current()), "api");
        return Response.created(URI.create("/api/incidents/" + incident.id())).entity(incident).build();
    }
}

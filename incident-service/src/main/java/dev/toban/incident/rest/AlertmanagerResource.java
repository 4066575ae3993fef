package dev.toban.incident.rest;

import dev.toban.incident.ingestion.AlertIngestion;
import dev.toban.incident.ingestion.IngestionService;
import io.smallrye.common.annotation.NonBlocking;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.PermitAll;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.extensions.Extension;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Prometheus Alertmanager's webhook (version 4). The key in the path is the credential. */
@Path("/integrations/alertmanager")
@Tag(name = "Ingestion")
@PermitAll
public class AlertmanagerResource {

    private final IngestionService ingestion;

    public AlertmanagerResource(IngestionService ingestion) {
        this.ingestion = ingestion;
    }

    public record Accepted(String status, UUID incidentId, int firing, int resolved) {
    }

    @POST
    @Path("/{integrationKey}")
    @APIResponse(responseCode = "200", description = "Accepted: the incident of the group and the alerts counted", content = @Content(mediaType = "application/json", schema = @Schema(implementation = Accepted.class)))
    @Extension(name = "x-toban-security", value = "the service's Alertmanager integration key in the path")
    @APIResponse(responseCode = "429", description = "The integration key sends too fast; retry after Retry-After seconds",
            content = @Content(mediaType = "application/problem+json", schema = @Schema(ref = "Problem")))
    @Consumes(MediaType.WILDCARD)
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Receive an Alertmanager notification",
            description = "One incident per groupKey; alerts by fingerprint; resolved alerts resolve, and the incident "
                    + "resolves when all its alerts have.")
    @NonBlocking
    public Uni<Accepted> receive(@PathParam("integrationKey") String integrationKey, byte[] body) {
        return Offload.toWorker(() -> {
            AlertIngestion.AlertmanagerResult result = ingestion.alertmanager(integrationKey, body);
            return new Accepted("success", result.incidentId(), result.firing(), result.resolved());
        });
    }
}

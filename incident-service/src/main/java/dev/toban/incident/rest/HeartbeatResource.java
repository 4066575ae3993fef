package dev.toban.incident.rest;

import dev.toban.incident.ingestion.HeartbeatService;
import dev.toban.plumbing.problem.ProblemException;
import io.smallrye.common.annotation.NonBlocking;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.PermitAll;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.extensions.Extension;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Heartbeats of monitored jobs: unauthenticated like ingestion, the token in the URL is the credential. */
@Path("/heartbeat")
@Tag(name = "Ingestion")
@PermitAll
public class HeartbeatResource {

    private final HeartbeatService heartbeats;

    public HeartbeatResource(HeartbeatService heartbeats) {
        this.heartbeats = heartbeats;
    }

    public record Beat(String status) {
    }

    @POST
    @Path("/{token}")
    @Extension(name = "x-toban-security", value = "the monitor's heartbeat token in the path")
    @Consumes(MediaType.WILDCARD)
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "A heartbeat", description = "202 when the token belongs to a monitor (its miss's incident, "
            + "if open, resolves); 404 otherwise. Any body is ignored.")
    @NonBlocking
    public Uni<jakarta.ws.rs.core.Response> beat(@PathParam("token") String token) {
        return Offload.toWorker(() -> {
            if (!heartbeats.beat(token == null ? null : token.strip())) {
                throw new ProblemException(404, "Not found", "No heartbeat monitor has this token", List.of());
            }
            return jakarta.ws.rs.core.Response.accepted(new Beat("ok")).type(MediaType.APPLICATION_JSON).build();
        });
    }
}

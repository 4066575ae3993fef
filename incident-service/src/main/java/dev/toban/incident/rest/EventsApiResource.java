package dev.toban.incident.rest;

import dev.toban.incident.ingestion.EventsApiException;
import dev.toban.incident.ingestion.IngestionService;
import io.smallrye.common.annotation.NonBlocking;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.PermitAll;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.concurrent.Callable;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.extensions.Extension;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * PagerDuty Events API v2, so a tool that pages PagerDuty pages Toban by changing only the URL.
 * The routing key in the body is the credential. The body is taken raw: every refusal is
 * PagerDuty's own JSON, and a database outage is a 503 with Retry-After (plumbing's mappers).
 * The body is read on the I/O thread, then the work (JDBC) runs on a worker thread, so no worker
 * waits for a slow sender's bytes.
 */
@Path("/v2")
@Tag(name = "Ingestion")
@PermitAll
public class EventsApiResource {

    private final IngestionService ingestion;

    public EventsApiResource(IngestionService ingestion) {
        this.ingestion = ingestion;
    }

    @POST
    @Path("/enqueue")
    @APIResponse(responseCode = "202", description = "PagerDuty's {status: success, message, dedup_key}", content = @Content(mediaType = "application/json"))
    @Extension(name = "x-toban-security", value = "the routing_key in the body: the service's Events API integration key")
    @APIResponse(responseCode = "400", description = "PagerDuty's {status: invalid event, message, errors}, not problem+json", content = @Content(mediaType = "application/json"))
    @APIResponse(responseCode = "413", description = "PagerDuty's answer to a body over 512 KB", content = @Content(mediaType = "application/json"))
    @APIResponse(responseCode = "429", description = "PagerDuty's throttled answer; retry after Retry-After seconds", content = @Content(mediaType = "application/json"))
    @Consumes(MediaType.WILDCARD)
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Send an alert event (trigger, acknowledge, resolve)",
            description = "202 {status: success, dedup_key}; 400 {status: invalid event, errors}; 413 over 512 KB; "
                    + "429 when the routing key sends too fast.")
    @NonBlocking
    public Uni<Response> enqueue(byte[] body) {
        return onWorker(() -> Response.accepted(ingestion.enqueue(body)).type(MediaType.APPLICATION_JSON_TYPE).build());
    }

    @POST
    @Path("/change/enqueue")
    @APIResponse(responseCode = "202", description = "PagerDuty's {status: success, message}", content = @Content(mediaType = "application/json"))
    @Extension(name = "x-toban-security", value = "the routing_key in the body: the service's Events API integration key")
    @APIResponse(responseCode = "400", description = "PagerDuty's {status: invalid event, message, errors}, not problem+json", content = @Content(mediaType = "application/json"))
    @APIResponse(responseCode = "413", description = "PagerDuty's answer to a body over 512 KB", content = @Content(mediaType = "application/json"))
    @APIResponse(responseCode = "429", description = "PagerDuty's throttled answer; retry after Retry-After seconds", content = @Content(mediaType = "application/json"))
    @Consumes(MediaType.WILDCARD)
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Send a change event", description = "Shown on the service's change timeline; opens no incident.")
    @NonBlocking
    public Uni<Response> enqueueChange(byte[] body) {
        return onWorker(() -> Response.accepted(ingestion.enqueueChange(body)).type(MediaType.APPLICATION_JSON_TYPE)
                .build());
    }

    /** Refusals become PagerDuty's bodies; a database outage goes to the problem mappers (503). */
    private static Uni<Response> onWorker(Callable<Response> work) {
        return Offload.toWorker(() -> {
            try {
                return work.call();
            } catch (EventsApiException e) {
                return e.toResponse();
            }
        });
    }
}

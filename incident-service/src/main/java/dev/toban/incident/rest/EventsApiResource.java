package dev.toban.incident.rest;

import dev.toban.incident.service.EventsApiException;
import dev.toban.incident.service.IngestionService;
import jakarta.annotation.security.PermitAll;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.sql.SQLException;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * PagerDuty Events API v2, so a tool that pages PagerDuty pages Toban by changing only the URL.
 * The routing key in the body is the credential. The body is taken raw: every refusal is
 * PagerDuty's own JSON, and a database outage is a 503 with Retry-After (plumbing's mappers).
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
    @Consumes(MediaType.WILDCARD)
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Send an alert event (trigger, acknowledge, resolve)",
            description = "202 {status: success, dedup_key}; 400 {status: invalid event, errors}; 413 over 512 KB; "
                    + "429 when the routing key sends too fast.")
    public Response enqueue(byte[] body) throws SQLException {
        try {
            return Response.accepted(ingestion.enqueue(body)).type(MediaType.APPLICATION_JSON_TYPE).build();
        } catch (EventsApiException e) {
            return e.toResponse();
        }
    }

    @POST
    @Path("/change/enqueue")
    @Consumes(MediaType.WILDCARD)
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Send a change event", description = "Shown on the service's change timeline; opens no incident.")
    public Response enqueueChange(byte[] body) throws SQLException {
        try {
            return Response.accepted(ingestion.enqueueChange(body)).type(MediaType.APPLICATION_JSON_TYPE).build();
        } catch (EventsApiException e) {
            return e.toResponse();
        }
    }
}

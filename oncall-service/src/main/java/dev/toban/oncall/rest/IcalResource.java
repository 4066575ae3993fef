package dev.toban.oncall.rest;

import dev.toban.oncall.schedule.IcalService;
import jakarta.annotation.security.PermitAll;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Response;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.extensions.Extension;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Calendar feeds. The secret token in the URL is the credential, so calendar apps can poll without a login. */
@Path("/ical")
@Tag(name = "iCal feeds")
@PermitAll
public class IcalResource {

    static final String TEXT_CALENDAR = "text/calendar; charset=utf-8";

    private final IcalService ical;

    public IcalResource(IcalService ical) {
        this.ical = ical;
    }

    @GET
    @Path("/schedules/{id}.ics")
    @APIResponse(responseCode = "200", description = "The RFC 5545 calendar", content = @Content(mediaType = "text/calendar"))
    @Extension(name = "x-toban-security", value = "the feed token in ?token= (created with POST /api/schedules/{id}/ical-token)")
    @APIResponse(responseCode = "404", description = "No feed at this address: an unknown id, or a missing, wrong or revoked token",
            content = @Content(mediaType = "application/problem+json", schema = @Schema(ref = "Problem")))
    @Produces({TEXT_CALENDAR, "application/problem+json"})
    @Operation(summary = "RFC 5545 feed of a schedule's shifts", description = "Authenticated by ?token= only.")
    public Response schedule(@PathParam("id") UUID id, @QueryParam("token") String token) {
        return calendar(ical.feed(IcalService.SCHEDULE, id, token), "schedule-" + id);
    }

    @GET
    @Path("/people/{id}.ics")
    @APIResponse(responseCode = "200", description = "The RFC 5545 calendar", content = @Content(mediaType = "text/calendar"))
    @Extension(name = "x-toban-security", value = "the feed token in ?token= (created with POST /api/people/{id}/ical-token)")
    @APIResponse(responseCode = "404", description = "No feed at this address: an unknown id, or a missing, wrong or revoked token",
            content = @Content(mediaType = "application/problem+json", schema = @Schema(ref = "Problem")))
    @Produces({TEXT_CALENDAR, "application/problem+json"})
    @Operation(summary = "RFC 5545 feed of one person's shifts in every schedule", description = "Authenticated by ?token= only.")
    public Response person(@PathParam("id") UUID id, @QueryParam("token") String token) {
        return calendar(ical.feed(IcalService.PERSON, id, token), "person-" + id);
    }

    private static Response calendar(String body, String name) {
        return Response.ok(body, TEXT_CALENDAR)
                .header("Content-Disposition", "inline; filename=\"toban-" + name + ".ics\"")
                .header("Cache-Control", "private, max-age=300")
                .build();
    }
}

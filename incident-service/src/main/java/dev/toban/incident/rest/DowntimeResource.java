package dev.toban.incident.rest;

import dev.toban.incident.downtime.DowntimeService.DowntimeReport;
import dev.toban.incident.downtime.DowntimeService;
import dev.toban.plumbing.input.Instants;
import dev.toban.plumbing.problem.ProblemException;
import dev.toban.plumbing.security.Roles;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.time.Instant;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** The downtime breakdown of the seed: detect, acknowledge, assign, mitigate, resolve. */
@Path("/api/metrics/downtime")
@Tag(name = "Downtime metrics")
@Produces(MediaType.APPLICATION_JSON)
public class DowntimeResource {

    private final DowntimeService downtime;

    public DowntimeResource(DowntimeService downtime) {
        this.downtime = downtime;
    }

    @GET
    @RolesAllowed(Roles.VIEWER)
    @Operation(summary = "Downtime figures (p50, p90, count) over incidents opened between from and to",
            description = "from/to are ISO 8601 instants (default: the last 30 days); team and service filter by "
                    + "owning team and technical service id.")
    public DowntimeReport report(@QueryParam("from") String from, @QueryParam("to") String to,
                                 @QueryParam("team") String team, @QueryParam("service") String service) {
        return downtime.report(instant("from", from), instant("to", to), uuid("team", team), uuid("service", service));
    }

    private static Instant instant(String field, String value) {
        return Instants.parse(field, value);
    }

    private static UUID uuid(String field, String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return UUID.fromString(value.strip());
        } catch (IllegalArgumentException e) {
            throw ProblemException.invalid(field, "is not an id");
        }
    }
}

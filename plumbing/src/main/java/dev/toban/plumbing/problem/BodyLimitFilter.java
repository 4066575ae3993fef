package dev.toban.plumbing.problem;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.vertx.ext.web.RoutingContext;
import jakarta.ws.rs.core.Response;
import java.util.List;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * The JSON APIs under {@code /api} take small documents; a bigger body is refused with 413 before
 * it is read. (Ingestion has its own 512 KB limit and PagerDuty's answer; the HTTP server's
 * {@code quarkus.http.limits.max-body-size} caps everything else.)
 */
public class BodyLimitFilter {

    /** Request size limits. */
    @ConfigMapping(prefix = "toban.http")
    public interface Limits {
        /** Largest request body accepted under /api, in bytes. */
        @WithDefault("262144")
        long maxApiBodyBytes();
    }

    private final Limits limits;

    public BodyLimitFilter(Limits limits) {
        this.limits = limits;
    }

    @ServerRequestFilter(preMatching = true)
    public Response check(RoutingContext routing) {
        if (!routing.normalizedPath().startsWith("/api/")) {
            return null;
        }
        String length = routing.request().getHeader("Content-Length");
        if (length == null) {
            return null;
        }
        try {
            if (Long.parseLong(length.trim()) <= limits.maxApiBodyBytes()) {
                return null;
            }
        } catch (NumberFormatException e) {
            return Problem.of(400, "Invalid request", "Content-Length is not a number",
                    List.of(new Problem.FieldError("Content-Length", "is not a number"))).toResponse();
        }
        return Problem.of(413, "Request body too large", "The body is larger than " + limits.maxApiBodyBytes()
                + " bytes", List.of(new Problem.FieldError("body", "is larger than " + limits.maxApiBodyBytes() + " bytes")))
                .toResponse();
    }
}

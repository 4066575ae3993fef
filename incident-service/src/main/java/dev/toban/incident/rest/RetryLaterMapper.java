package dev.toban.incident.rest;

import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** The RFC 9457 problem of a {@link RetryLaterException}, with {@code Retry-After} in seconds. */
public class RetryLaterMapper {

    @ServerExceptionMapper
    public Response retryLater(RetryLaterException e) {
        return Response.fromResponse(e.toProblem().toResponse())
                .header("Retry-After", Long.toString(e.retryAfterSeconds())).build();
    }
}

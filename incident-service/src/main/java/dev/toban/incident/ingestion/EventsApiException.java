package dev.toban.incident.ingestion;

import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;

/** An Events API v2 refusal in PagerDuty's own format (never problem+json: senders parse this shape). */
public class EventsApiException extends RuntimeException {

    private final int status;
    private final EventsApiResponse body;
    private final long retryAfterSeconds;

    private EventsApiException(int status, EventsApiResponse body, long retryAfterSeconds) {
        super(body.message() + (body.errors() == null ? "" : " " + body.errors()));
        this.status = status;
        this.body = body;
        this.retryAfterSeconds = retryAfterSeconds;
    }

    /** 400: the sender must not retry. */
    public static EventsApiException invalid(List<String> errors) {
        return new EventsApiException(400, EventsApiResponse.invalid(errors), 0);
    }

    public static EventsApiException invalid(String error) {
        return invalid(List.of(error));
    }

    /** 413: over the body size limit. */
    public static EventsApiException tooLarge(int maxBytes) {
        return new EventsApiException(413, EventsApiResponse.invalid(List.of(
                "Request body is larger than the " + (maxBytes / 1024) + " KB limit")), 0);
    }

    /** 429: the sender retries later. */
    public static EventsApiException throttled(long retryAfterSeconds) {
        return new EventsApiException(429, EventsApiResponse.throttled(), retryAfterSeconds);
    }

    public int status() {
        return status;
    }

    public EventsApiResponse body() {
        return body;
    }

    public Response toResponse() {
        Response.ResponseBuilder builder = Response.status(status).type(MediaType.APPLICATION_JSON_TYPE).entity(body);
        if (retryAfterSeconds > 0) {
            builder.header("Retry-After", retryAfterSeconds);
        }
        return builder.build();
    }
}

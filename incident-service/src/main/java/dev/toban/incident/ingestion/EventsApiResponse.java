package dev.toban.incident.ingestion;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/** PagerDuty Events API v2 response bodies, field for field. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record EventsApiResponse(String status, String message, @JsonProperty("dedup_key") String dedupKey,
                                List<String> errors) {

    /**
     * The 202 body of an accepted alert event, written without a serializer lookup: it is the answer to
     * nearly every request during an alert storm.
     */
    public static byte[] acceptedJson(String dedupKey) {
        return ("{\"status\":\"success\",\"message\":\"Event processed\",\"dedup_key\":\""
                + new String(com.fasterxml.jackson.core.io.JsonStringEncoder.getInstance().quoteAsString(dedupKey))
                + "\"}").getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }

    public static EventsApiResponse accepted(String dedupKey) {
        return new EventsApiResponse("success", "Event processed", dedupKey, null);
    }

    public static EventsApiResponse changeAccepted() {
        return new EventsApiResponse("success", "Change event processed", null, null);
    }

    public static EventsApiResponse invalid(List<String> errors) {
        return new EventsApiResponse("invalid event", "Event object is invalid", null, errors);
    }

    public static EventsApiResponse throttled() {
        return new EventsApiResponse("throttle event",
                "Requests for this integration key are arriving too quickly. Please retry later.", null, null);
    }
}

package dev.toban.incident.service;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/** PagerDuty Events API v2 response bodies, field for field. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record EventsApiResponse(String status, String message, @JsonProperty("dedup_key") String dedupKey,
                                List<String> errors) {

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

package dev.toban.plumbing.events;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.Objects;

/**
 * A CloudEvents 1.0 envelope in structured JSON mode. {@code data} stays a JSON tree so a consumer
 * can bind it to its own type without sharing classes with the producer.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record CloudEvent(
        String specversion,
        String id,
        String source,
        String type,
        Instant time,
        String subject,
        String datacontenttype,
        JsonNode data) {

    public static final String SPEC_VERSION = "1.0";
    public static final String JSON = "application/json";
    /** Content type of a structured-mode CloudEvent on the wire. */
    public static final String STRUCTURED_CONTENT_TYPE = "application/cloudevents+json";

    /** Checks the attributes the spec makes required, so a consumer can reject a poisoned message early. */
    public CloudEvent validate() {
        if (!SPEC_VERSION.equals(specversion)) {
            throw new IllegalArgumentException("specversion must be 1.0, was " + specversion);
        }
        requireText(id, "id");
        requireText(source, "source");
        requireText(type, "type");
        return this;
    }

    private static void requireText(String value, String name) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("CloudEvent attribute '" + name + "' is missing");
        }
    }

    public <T> T dataAs(com.fasterxml.jackson.databind.ObjectMapper mapper, Class<T> type) {
        Objects.requireNonNull(data, "CloudEvent has no data");
        return mapper.convertValue(data, type);
    }
}

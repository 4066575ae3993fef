package dev.toban.plumbing.events;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.toban.contracts.EventCatalog;
import dev.toban.contracts.EventType;
import dev.toban.plumbing.inbox.PoisonEventException;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * A CloudEvents 1.0 envelope in structured JSON mode. {@code data} stays a JSON tree here; producers write it from
 * their contract record and consumers bind it to that record ({@link #dataAs(ObjectMapper, EventType)}).
 * {@code dataschema} names the data's contract and version ({@code urn:toban:event:<type>:v<n>}); events written
 * before it existed have none.
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
        String dataschema,
        JsonNode data) {

    public static final String SPEC_VERSION = "1.0";
    public static final String JSON = "application/json";
    /** Content type of a structured-mode CloudEvent on the wire. */
    public static final String STRUCTURED_CONTENT_TYPE = "application/cloudevents+json";

    /** An envelope without {@code dataschema} (kept for callers that build one by hand, e.g. tests). */
    public CloudEvent(String specversion, String id, String source, String type, Instant time, String subject,
                      String datacontenttype, JsonNode data) {
        this(specversion, id, source, type, time, subject, datacontenttype, null, data);
    }

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

    /**
     * The data as its type's contract record (dev.toban.contracts.EventCatalog); empty for a type this build has no
     * contract for (a newer producer's), which a consumer may skip or read with a record of its choice.
     */
    public Optional<Object> contractData(ObjectMapper mapper) {
        return EventCatalog.find(type).map(contract -> dataAs(mapper, contract));
    }

    private static void requireText(String value, String name) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("CloudEvent attribute '" + name + "' is missing");
        }
    }

    public <T> T dataAs(ObjectMapper mapper, Class<T> type) {
        Objects.requireNonNull(data, "CloudEvent has no data");
        return mapper.convertValue(data, type);
    }

    /**
     * The data as its contract's record. Unknown fields are ignored (producers only add fields). Data that does not
     * bind (missing, or a field of the wrong shape) can never succeed, so it is a {@link PoisonEventException}: the
     * inbox dead-letters it at once instead of retrying.
     */
    public <T> T dataAs(ObjectMapper mapper, EventType<T> type) {
        if (data == null || data.isNull()) {
            throw new PoisonEventException(this.type + " has no data");
        }
        try {
            return mapper.treeToValue(data, type.dataType());
        } catch (JsonProcessingException | IllegalArgumentException e) {
            throw new PoisonEventException(this.type + " data does not match " + type.dataschema() + ": "
                    + (e instanceof JsonProcessingException j ? j.getOriginalMessage() : e.getMessage()), e);
        }
    }
}

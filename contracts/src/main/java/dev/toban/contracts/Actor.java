package dev.toban.contracts;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import io.quarkus.runtime.annotations.RegisterForReflection;
import java.util.UUID;

/**
 * Who did something (docs/events.md, Actor): a person, {@code system} for Toban itself, or
 * {@code integration:<key name>} for an alert source. Absent fields are left out on the wire.
 */
@RegisterForReflection
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Actor(String username, UUID personId, String name) {

    public static final Actor SYSTEM = new Actor("system", null, null);

    public static Actor integration(String keyName) {
        return new Actor("integration:" + keyName, null, null);
    }

    public static Actor of(PersonRef person) {
        return new Actor(person.username(), person.id(), person.name());
    }

    /** A human-readable name for timeline lines and messages. */
    @JsonIgnore
    public String display() {
        return name != null ? name : username;
    }
}

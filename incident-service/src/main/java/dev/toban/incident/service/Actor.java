package dev.toban.incident.service;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.UUID;

/** Who did something: a person, {@code system}, or {@code integration:<key name>}. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Actor(String username, UUID personId, String name) {

    public static final Actor SYSTEM = new Actor("system", null, null);

    public static Actor integration(String keyName) {
        return new Actor("integration:" + keyName, null, null);
    }

    public static Actor of(PersonRef person) {
        return new Actor(person.username(), person.id(), person.name());
    }

    /** A human-readable name for timeline messages. */
    public String display() {
        return name != null ? name : username;
    }
}

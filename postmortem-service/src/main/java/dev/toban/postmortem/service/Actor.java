package dev.toban.postmortem.service;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.UUID;

/** Who did something (docs/events.md, Actor); {@code system} for Toban itself. */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Actor(String username, UUID personId, String name) {

    public static final Actor SYSTEM = new Actor("system", null, null);
}

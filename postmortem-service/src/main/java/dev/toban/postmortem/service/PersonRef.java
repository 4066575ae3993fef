package dev.toban.postmortem.service;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.util.UUID;

/** A person as oncall-service knows them (docs/events.md, PersonRef). */
@JsonIgnoreProperties(ignoreUnknown = true)
public record PersonRef(UUID id, String name, String username, String email, String slackUserId,
                        String timeZone, String locale) {

    public static PersonRef of(UUID id, String name, String username, String email) {
        return new PersonRef(id, name, username, email, null, null, null);
    }
}

package dev.toban.contracts;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import io.quarkus.runtime.annotations.RegisterForReflection;
import java.util.UUID;

/** A person as oncall-service knows them (docs/events.md, PersonRef). */
@RegisterForReflection
@JsonIgnoreProperties(ignoreUnknown = true)
public record PersonRef(UUID id, String name, String username, String email, String slackUserId, String timeZone,
                        String locale) {

    /** A person referenced before the directory heard of them: only the id is known. */
    public static PersonRef unknown(UUID id) {
        return new PersonRef(id, null, null, null, null, null, null);
    }

    /** A reference with the fields every directory has (no Slack id, zone or locale). */
    public static PersonRef of(UUID id, String name, String username, String email) {
        return new PersonRef(id, name, username, email, null, null, null);
    }
}

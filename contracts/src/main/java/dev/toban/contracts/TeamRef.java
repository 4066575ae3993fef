package dev.toban.contracts;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import io.quarkus.runtime.annotations.RegisterForReflection;
import java.util.UUID;

/** A team as oncall-service knows it (docs/events.md, TeamRef). */
@RegisterForReflection
@JsonIgnoreProperties(ignoreUnknown = true)
public record TeamRef(UUID id, String name, String slackChannel, String timeZone) {

    /** A team id the directory has not heard of yet (its event may still be on the way). */
    public static TeamRef unknown(UUID id) {
        return new TeamRef(id, null, null, null);
    }
}

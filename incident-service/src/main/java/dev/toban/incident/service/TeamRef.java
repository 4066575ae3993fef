package dev.toban.incident.service;

import dev.toban.incident.model.Team;
import java.util.UUID;

/** A team as events carry them (docs/events.md, TeamRef). */
public record TeamRef(UUID id, String name, String slackChannel, String timeZone) {

    public static TeamRef of(Team t) {
        return new TeamRef(t.id, t.name, t.slackChannel, t.timeZone);
    }

    /** A team id the directory has not heard of yet (its event may still be on the way). */
    public static TeamRef unknown(UUID id) {
        return new TeamRef(id, null, null, null);
    }
}

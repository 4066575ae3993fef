package dev.toban.oncall.service;

import dev.toban.oncall.model.Person;
import dev.toban.oncall.model.Team;
import java.util.UUID;

/** The small shapes other services receive (docs/events.md, "Shared shapes"). */
public final class Refs {

    private Refs() {
    }

    /** A person as oncall-service knows them. */
    public record PersonRef(UUID id, String name, String username, String email, String slackUserId, String timeZone,
                            String locale) {
        public static PersonRef of(Person p) {
            return new PersonRef(p.id, p.name, p.username, p.email, p.slackUserId, p.timeZone, p.locale);
        }
    }

    public record TeamRef(UUID id, String name, String slackChannel, String timeZone) {
        public static TeamRef of(Team t) {
            return new TeamRef(t.id, t.name, t.slackChannel, t.timeZone);
        }
    }

    public record ScheduleRef(UUID id, String name, String role, String timeZone) {
    }

    /** A schedule reference inside cover events: no zone, as documented. */
    public record ScheduleName(UUID id, String name, String role) {
    }

    public record PolicyRef(UUID id, String name) {
    }
}

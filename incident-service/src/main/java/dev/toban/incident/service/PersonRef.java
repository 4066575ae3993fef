package dev.toban.incident.service;

import dev.toban.incident.model.Person;
import java.util.UUID;

/** A person as events carry them (docs/events.md, PersonRef). */
public record PersonRef(UUID id, String name, String username, String email, String slackUserId, String timeZone,
                        String locale) {

    public static PersonRef of(Person p) {
        return new PersonRef(p.id, p.name, p.username, p.email, p.slackUserId, p.timeZone, p.locale);
    }

    /** What the directory knows when a person is referenced before oncall-service announced them. */
    public static PersonRef unknown(UUID id) {
        return new PersonRef(id, null, null, null, null, null, null);
    }
}

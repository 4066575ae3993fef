package dev.toban.oncall.common;

import dev.toban.contracts.PersonRef;
import dev.toban.contracts.TeamRef;
import dev.toban.oncall.model.Person;
import dev.toban.oncall.model.Team;

/** The small shapes other services receive (docs/events.md, "Shared shapes"), built from this service's entities. */
public final class Refs {

    private Refs() {
    }

    /** A person as oncall-service knows them. */
    public static PersonRef person(Person p) {
        return new PersonRef(p.id, p.name, p.username, p.email, p.slackUserId, p.timeZone, p.locale);
    }

    public static TeamRef team(Team t) {
        return new TeamRef(t.id, t.name, t.slackChannel, t.timeZone);
    }
}

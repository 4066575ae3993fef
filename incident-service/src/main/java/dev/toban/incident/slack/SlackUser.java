package dev.toban.incident.slack;

import dev.toban.incident.model.Person;
import dev.toban.plumbing.security.Roles;
import java.util.Set;

/**
 * The Slack user who sent a request, and the person they were matched to ({@link SlackIdentity}); {@code person}
 * is null when Toban does not know them. {@code lang} is the language to answer them in.
 */
public record SlackUser(String slackUserId, Person person, String lang) {

    public boolean known() {
        return person != null && person.archivedAt == null;
    }

    public boolean archived() {
        return person != null && person.archivedAt != null;
    }

    /** A responder (or admin) as the realm says and oncall-service mirrors; unknown roles are no responder. */
    public boolean responder() {
        Set<String> roles = known() ? person.roleSet() : Set.of();
        return roles.contains(Roles.RESPONDER) || roles.contains(Roles.ADMIN);
    }

    /** The role shown when someone is refused: {@code viewer}, or {@code unknown} while oncall-service has not said. */
    public String roleKey() {
        return known() && person.roleSet().contains(Roles.VIEWER) ? "viewer" : "unknown";
    }
}

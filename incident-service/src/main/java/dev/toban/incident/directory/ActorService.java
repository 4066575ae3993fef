package dev.toban.incident.directory;

import dev.toban.contracts.Actor;
import dev.toban.incident.model.Person;
import dev.toban.plumbing.security.Roles;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Turns the caller into an Actor: the token's username through the people directory, or, for the Slack app (which
 * has no token: the request signature is the credential), the person the Slack user was matched to, for the
 * duration of {@link #actingAs}. So every service method attributes and checks the same way whichever way the
 * person acted.
 */
@ApplicationScoped
public class ActorService {

    /** A person acting without a token, with the roles oncall-service mirrored for them. */
    private record Acting(Person person, String slackUserId) {
        String username() {
            return person.username != null ? person.username : "slack:" + slackUserId;
        }
    }

    /** Set only inside {@link #actingAs}, on the thread that runs the work. */
    private static final ThreadLocal<Acting> ACTING = new ThreadLocal<>();

    private final SecurityIdentity identity;
    private final PeopleDirectoryService people;

    public ActorService(SecurityIdentity identity, PeopleDirectoryService people) {
        this.identity = identity;
        this.people = people;
    }

    /**
     * Runs {@code work} as {@code person} (matched from the Slack user {@code slackUserId}): {@link #current},
     * {@link #currentPerson} and {@link #isAdmin} answer for them, whatever the request's identity.
     */
    public <T> T actingAs(Person person, String slackUserId, Supplier<T> work) {
        Acting previous = ACTING.get();
        ACTING.set(new Acting(person, slackUserId));
        try {
            return work.get();
        } finally {
            if (previous == null) {
                ACTING.remove();
            } else {
                ACTING.set(previous);
            }
        }
    }

    public Actor current() {
        Acting acting = ACTING.get();
        if (acting != null) {
            return new Actor(acting.username(), acting.person().id, acting.person().name);
        }
        String username = username();
        return people.byUsername(username)
                .map(p -> new Actor(p.username, p.id, p.name))
                .orElseGet(() -> new Actor(username, null, null));
    }

    /** The caller's person in the directory, if oncall-service announced one with this username. */
    public Optional<Person> currentPerson() {
        Acting acting = ACTING.get();
        if (acting != null) {
            return Optional.of(acting.person());
        }
        return people.byUsername(username());
    }

    public boolean isAdmin() {
        Acting acting = ACTING.get();
        if (acting != null) {
            return acting.person().roleSet().contains(Roles.ADMIN);
        }
        return identity.hasRole(Roles.ADMIN);
    }

    public String username() {
        Acting acting = ACTING.get();
        if (acting != null) {
            return acting.username();
        }
        return identity.isAnonymous() ? "anonymous" : identity.getPrincipal().getName();
    }
}

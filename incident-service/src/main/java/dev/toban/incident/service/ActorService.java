package dev.toban.incident.service;

import dev.toban.incident.model.Person;
import dev.toban.plumbing.security.Roles;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Optional;

/** Turns the caller's token (its username) into an Actor, through the people directory. */
@ApplicationScoped
public class ActorService {

    private final SecurityIdentity identity;
    private final PeopleDirectoryService people;

    public ActorService(SecurityIdentity identity, PeopleDirectoryService people) {
        this.identity = identity;
        this.people = people;
    }

    public Actor current() {
        String username = username();
        return people.byUsername(username)
                .map(p -> new Actor(p.username, p.id, p.name))
                .orElseGet(() -> new Actor(username, null, null));
    }

    /** The caller's person in the directory, if oncall-service announced one with this username. */
    public Optional<Person> currentPerson() {
        return people.byUsername(username());
    }

    public boolean isAdmin() {
        return identity.hasRole(Roles.ADMIN);
    }

    public String username() {
        return identity.isAnonymous() ? "anonymous" : identity.getPrincipal().getName();
    }
}

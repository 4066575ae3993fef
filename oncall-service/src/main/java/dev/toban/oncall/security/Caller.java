package dev.toban.oncall.security;

import dev.toban.oncall.model.Person;
import dev.toban.oncall.model.PersonRepository;
import dev.toban.plumbing.problem.ProblemException;
import dev.toban.plumbing.security.Roles;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Optional;
import java.util.UUID;
import org.eclipse.microprofile.jwt.JsonWebToken;

/** The signed-in user: their Keycloak username, roles and, when they have one, their person. */
@ApplicationScoped
public class Caller {

    private final SecurityIdentity identity;
    private final PersonRepository people;

    public Caller(SecurityIdentity identity, PersonRepository people) {
        this.identity = identity;
        this.people = people;
    }

    /** Keycloak {@code preferred_username}; "system" when there is no caller (the ticker, demo data). */
    public String username() {
        if (identity == null || identity.isAnonymous()) {
            return "system";
        }
        if (identity.getPrincipal() instanceof JsonWebToken jwt) {
            String preferred = jwt.getClaim("preferred_username");
            if (preferred != null && !preferred.isBlank()) {
                return preferred;
            }
        }
        return identity.getPrincipal().getName();
    }

    public boolean isAdmin() {
        return identity != null && !identity.isAnonymous() && identity.hasRole(Roles.ADMIN);
    }

    /** Keycloak {@code sub} of the caller's token; null without one (the ticker, test identities). */
    public String subject() {
        if (identity != null && !identity.isAnonymous() && identity.getPrincipal() instanceof JsonWebToken jwt) {
            String sub = jwt.getSubject();
            return sub == null || sub.isBlank() ? null : sub;
        }
        return null;
    }

    /**
     * The caller's person: the one linked to the token's subject, else the one with their username. An
     * archived person no longer acts (their login may outlive them in Toban).
     */
    public Optional<Person> person() {
        String subject = subject();
        Optional<Person> linked = subject == null ? Optional.empty() : people.findByKeycloakSubject(subject);
        return linked.or(() -> people.findByUsername(username())).filter(p -> !p.archived());
    }

    /** The caller's own person, or 403 naming why. */
    public Person requirePerson() {
        return person().orElseThrow(() -> ProblemException.forbidden(
                "user '" + username() + "' has no person in oncall-service; ask an admin to add one"));
    }

    /** Admins may act for anyone; everyone else only for their own person. */
    public void requireSelfOrAdmin(UUID personId, String action) {
        if (isAdmin()) {
            return;
        }
        Person self = requirePerson();
        if (!self.id.equals(personId)) {
            throw ProblemException.forbidden("only an admin may " + action + " for someone else");
        }
    }
}

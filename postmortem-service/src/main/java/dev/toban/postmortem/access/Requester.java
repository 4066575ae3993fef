package dev.toban.postmortem.access;

import dev.toban.contracts.Actor;
import dev.toban.plumbing.problem.ProblemException;
import dev.toban.plumbing.security.Roles;
import dev.toban.postmortem.lifecycle.PostmortemService;
import io.quarkus.security.identity.SecurityIdentity;
import java.util.List;
import org.eclipse.microprofile.jwt.JsonWebToken;

/** The authenticated user of a request, reduced to what the rules need. */
public record Requester(String username, String name, boolean responder, boolean admin, boolean service) {

    public static Requester of(SecurityIdentity identity) {
        String name = null;
        if (identity.getPrincipal() instanceof JsonWebToken jwt) {
            Object claim = jwt.getClaim("name");
            name = claim == null ? null : claim.toString();
        }
        return new Requester(identity.getPrincipal().getName(), name,
                identity.hasRole(Roles.RESPONDER) || identity.hasRole(Roles.ADMIN), identity.hasRole(Roles.ADMIN),
                identity.hasRole(Roles.SERVICE));
    }

    /** Responders and Toban's own services read every postmortem; viewers only published ones. */
    public boolean readsAll() {
        return responder || service;
    }

    /**
     * A Toban service deciding for a person ({@code onBehalfOf}): that person, with their mirrored roles. Only a
     * service may speak for someone else, and a service speaks only for someone.
     */
    public Requester actingFor(PostmortemService.OnBehalfOf person) {
        if (person == null) {
            if (service && !responder) {
                throw ProblemException.forbidden("A Toban service decides only on behalf of a person (onBehalfOf)");
            }
            return this;
        }
        if (!service) {
            throw ProblemException.forbidden("onBehalfOf is for Toban's services");
        }
        List<String> roles = person.roles() == null ? List.of() : person.roles();
        return new Requester(person.username().strip(), person.name(),
                roles.contains(Roles.RESPONDER) || roles.contains(Roles.ADMIN), roles.contains(Roles.ADMIN), false);
    }

    public Actor actor() {
        return new Actor(username, null, name);
    }
}

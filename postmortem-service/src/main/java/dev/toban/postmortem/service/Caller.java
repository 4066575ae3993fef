package dev.toban.postmortem.service;

import dev.toban.plumbing.security.Roles;
import io.quarkus.security.identity.SecurityIdentity;
import org.eclipse.microprofile.jwt.JsonWebToken;

/** The authenticated user of a request, reduced to what the rules need. */
public record Caller(String username, String name, boolean responder, boolean admin, boolean service) {

    public static Caller of(SecurityIdentity identity) {
        String name = null;
        if (identity.getPrincipal() instanceof JsonWebToken jwt) {
            Object claim = jwt.getClaim("name");
            name = claim == null ? null : claim.toString();
        }
        return new Caller(identity.getPrincipal().getName(), name,
                identity.hasRole(Roles.RESPONDER) || identity.hasRole(Roles.ADMIN), identity.hasRole(Roles.ADMIN),
                identity.hasRole(Roles.SERVICE));
    }

    /** Responders and Toban's own services read every postmortem; viewers only published ones. */
    public boolean readsAll() {
        return responder || service;
    }

    public Actor actor() {
        return new Actor(username, null, name);
    }
}

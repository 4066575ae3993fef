package dev.toban.plumbing.security;

/**
 * Realm roles of the {@code toban} Keycloak realm. They are composite there: admin includes
 * responder, responder includes viewer, so an endpoint names only the least role it needs.
 */
public final class Roles {
    /** Reads everything that is not private; business staff can raise an SOS. */
    public static final String VIEWER = "viewer";
    /** Acts on incidents and manages their own on-call requests. */
    public static final String RESPONDER = "responder";
    /** Manages configuration: teams, schedules, catalog, keys, templates. */
    public static final String ADMIN = "admin";
    /** Toban's own services calling each other with client credentials. */
    public static final String SERVICE = "service";

    private Roles() {
    }
}

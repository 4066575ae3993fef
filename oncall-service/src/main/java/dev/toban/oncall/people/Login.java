package dev.toban.oncall.people;

import dev.toban.plumbing.input.Text;
import dev.toban.plumbing.security.Roles;
import java.time.Instant;
import java.util.Collection;
import java.util.List;

/**
 * A user of the Keycloak realm as a person needs it, read from the directory (the sync) or from a
 * signed-in user's token.
 *
 * @param subject  Keycloak's user id, the token's {@code sub}
 * @param username {@code preferred_username}
 * @param name     "first last" as Keycloak has it, or null when it has none
 * @param email    null when Keycloak has none
 * @param locale   the user's {@code locale} attribute when it is ja or en, else null
 * @param enabled  false for a user an admin disabled in Keycloak
 * @param roles    the Toban realm roles the user has, composites expanded ({@link #tobanRoles})
 * @param seenAt   when Keycloak said so: the sync's start, or the token's issue time
 */
public record Login(String subject, String username, String name, String email, String locale, boolean enabled,
                    List<String> roles, Instant seenAt) {

    /** The realm roles a person mirrors, in this order. {@code service} is for Toban's services, not people. */
    public static final List<String> TOBAN_ROLES = List.of(Roles.VIEWER, Roles.RESPONDER, Roles.ADMIN);

    public Login {
        roles = List.copyOf(roles);
    }

    /** The Toban roles among a user's realm roles (any order, others ignored), in the order of {@link #TOBAN_ROLES}. */
    public static List<String> tobanRoles(Collection<String> realmRoles) {
        return TOBAN_ROLES.stream().filter(realmRoles::contains).toList();
    }

    /** "first last" on one line, at most 200 characters; null when both are blank. */
    public static String name(String first, String last) {
        String joined = (blankToEmpty(first) + " " + blankToEmpty(last)).strip();
        if (joined.isEmpty()) {
            return null;
        }
        String line = Text.clean(joined).replaceAll("[\\r\\n\\t]+", " ").strip();
        return line.length() > 200 ? line.substring(0, 200) : line;
    }

    /** ja or en, else null. */
    public static String locale(String value) {
        return "ja".equals(value) || "en".equals(value) ? value : null;
    }

    /** Keycloak's own accounts for clients (client credentials) are never people. */
    public static boolean isServiceAccount(String username) {
        return username != null && username.startsWith("service-account-");
    }

    /** A user Toban makes a person for: enabled and holding at least one Toban role. */
    public boolean mayBePerson() {
        return enabled && !roles.isEmpty() && !isServiceAccount(username);
    }

    private static String blankToEmpty(String s) {
        return s == null ? "" : s.strip();
    }
}

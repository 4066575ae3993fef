package dev.toban.oncall.client;

import dev.toban.oncall.config.OnCallConfig;
import dev.toban.oncall.people.Login;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.WebApplicationException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.faulttolerance.Timeout;
import org.keycloak.admin.client.Keycloak;
import org.keycloak.admin.client.KeycloakBuilder;
import org.keycloak.admin.client.resource.UsersResource;
import org.keycloak.representations.idm.RoleRepresentation;
import org.keycloak.representations.idm.UserRepresentation;

/**
 * The users of the Keycloak realm, read through Keycloak's admin REST API (the Keycloak Admin REST
 * client extension) with the confidential client {@code toban-directory}, whose service account may
 * only view users (realm-management {@code view-users}). Only the directory sync calls it, never a
 * request and never inside a database transaction; a failure is a {@link DirectoryUnavailableException}
 * and the sync simply tries again at its next run (nothing is guessed from a partial answer).
 */
@ApplicationScoped
public class KeycloakDirectory {

    /** Keycloak could not be read (down, refused the client, or answered something unexpected). */
    public static class DirectoryUnavailableException extends RuntimeException {
        public DirectoryUnavailableException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    private final OnCallConfig.Directory config;
    private volatile Keycloak keycloak;

    public KeycloakDirectory(OnCallConfig config) {
        this.config = config.directory();
    }

    /** Whether credentials are configured: a client secret, or a username for a password grant. */
    public boolean configured() {
        return config.client().secret().filter(s -> !s.isBlank()).isPresent()
                || config.client().username().filter(s -> !s.isBlank()).isPresent();
    }

    /**
     * Every user of the realm (Keycloak's service accounts left out) with their Toban realm roles,
     * composites expanded: one call per page of users and one per user for the roles.
     */
    @Timeout(value = 2, unit = ChronoUnit.MINUTES)
    public List<Login> users(Instant seenAt) {
        try {
            UsersResource users = client().realm(config.realm()).users();
            List<Login> all = new ArrayList<>();
            int size = Math.max(1, config.pageSize());
            for (int first = 0; ; first += size) {
                List<UserRepresentation> page = users.list(first, size);
                for (UserRepresentation u : page) {
                    if (u.getServiceAccountClientId() != null || Login.isServiceAccount(u.getUsername())) {
                        continue;
                    }
                    List<String> realmRoles = users.get(u.getId()).roles().realmLevel().listEffective().stream()
                            .map(RoleRepresentation::getName).toList();
                    all.add(new Login(u.getId(), u.getUsername(), Login.name(u.getFirstName(), u.getLastName()),
                            blankToNull(u.getEmail()), Login.locale(attribute(u.getAttributes(), "locale")),
                            !Boolean.FALSE.equals(u.isEnabled()), Login.tobanRoles(realmRoles), seenAt));
                }
                if (page.size() < size) {
                    return all;
                }
            }
        } catch (RuntimeException e) {
            throw unavailable(e);
        }
    }

    /**
     * Whether a user still exists, asked one by one before a person is treated as deleted: a user created
     * while the list was paged through could otherwise look missing.
     */
    @Timeout(value = 30, unit = ChronoUnit.SECONDS)
    public boolean exists(String subject) {
        try {
            client().realm(config.realm()).users().get(subject).toRepresentation();
            return true;
        } catch (WebApplicationException e) {
            // the REST client's exception for a 404 is not always a NotFoundException: the status decides
            if (e.getResponse() != null && e.getResponse().getStatus() == 404) {
                return false;
            }
            throw unavailable(e);
        } catch (RuntimeException e) {
            throw unavailable(e);
        }
    }

    private Keycloak client() {
        Keycloak k = keycloak;
        if (k == null) {
            synchronized (this) {
                if (keycloak == null) {
                    OnCallConfig.Directory.Client c = config.client();
                    KeycloakBuilder builder = KeycloakBuilder.builder().serverUrl(config.serverUrl())
                            .realm(c.realm()).clientId(c.id());
                    if (c.username().filter(s -> !s.isBlank()).isPresent()) {
                        builder.grantType("password").username(c.username().get()).password(c.password().orElse(""));
                    } else {
                        builder.grantType("client_credentials").clientSecret(c.secret().orElse(""));
                    }
                    keycloak = builder.build();
                }
                k = keycloak;
            }
        }
        return k;
    }

    private DirectoryUnavailableException unavailable(RuntimeException e) {
        if (e instanceof DirectoryUnavailableException d) {
            return d;
        }
        String why = e instanceof WebApplicationException w && w.getResponse() != null
                ? switch (w.getResponse().getStatus()) {
                    case 401 -> "Keycloak refused the credentials of client '" + config.client().id() + "'";
                    case 403 -> "client '" + config.client().id() + "' may not read users: give its service account "
                            + "the realm-management role view-users";
                    default -> "Keycloak answered " + w.getResponse().getStatus();
                }
                : "Keycloak is not reachable at " + config.serverUrl() + " (" + e + ")";
        return new DirectoryUnavailableException(why, e);
    }

    private static String attribute(Map<String, List<String>> attributes, String name) {
        List<String> values = attributes == null ? null : attributes.get(name);
        return values == null || values.isEmpty() ? null : values.get(0);
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.strip();
    }

    @PreDestroy
    void close() {
        Keycloak k = keycloak;
        if (k != null) {
            k.close();
        }
    }
}

package dev.toban.oncall.security;

import dev.toban.oncall.config.OnCallConfig;
import dev.toban.oncall.people.Login;
import dev.toban.oncall.people.PersonLogins;
import dev.toban.plumbing.security.Roles;
import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.SecurityIdentityAugmentor;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.jboss.logging.Logger;

/**
 * First sign-in, to the pages or the API: the token's user ({@code sub}, {@code preferred_username}) is
 * matched to their person, which is linked, brought up to date (name, email, Toban roles) or created
 * (see {@link PersonLogins#signIn}). Each instance remembers what it last applied per user, so only a
 * user's first request, or one whose token says something new, touches the database. A failure never
 * refuses the request: the user is signed in all the same, and the next request after
 * {@link #RETRY_AFTER} tries again. Toban's services (client credentials) and users without a Toban role
 * are left alone.
 */
@ApplicationScoped
public class PersonSignIn implements SecurityIdentityAugmentor {

    private static final Logger LOG = Logger.getLogger(PersonSignIn.class);
    static final Duration RETRY_AFTER = Duration.ofSeconds(30);
    /** Users remembered per instance before the memory starts over (each is then checked once more). */
    static final int REMEMBERED = 10_000;

    private final PersonLogins logins;
    private final OnCallConfig.Directory config;
    /** subject → what was applied for it (or found current). */
    private final Map<String, String> applied = new ConcurrentHashMap<>();
    /** subject → when to try again after a failure. */
    private final Map<String, Instant> failed = new ConcurrentHashMap<>();

    public PersonSignIn(PersonLogins logins, OnCallConfig config) {
        this.logins = logins;
        this.config = config.directory();
    }

    @Override
    public Uni<SecurityIdentity> augment(SecurityIdentity identity, AuthenticationRequestContext context) {
        if (!config.signIn() || identity.isAnonymous() || !(identity.getPrincipal() instanceof JsonWebToken jwt)) {
            return Uni.createFrom().item(identity);
        }
        Login login = login(jwt, identity);
        if (login == null) {
            return Uni.createFrom().item(identity);
        }
        String fingerprint = String.join("\n", login.username(), String.valueOf(login.name()),
                String.valueOf(login.email()), String.join(",", login.roles()));
        if (fingerprint.equals(applied.get(login.subject()))) {
            return Uni.createFrom().item(identity);
        }
        Instant retry = failed.get(login.subject());
        if (retry != null && Instant.now().isBefore(retry)) {
            return Uni.createFrom().item(identity);
        }
        return context.runBlocking(() -> {
            try {
                if (!logins.isCurrent(login)) {
                    logins.signIn(login, true);
                }
                if (applied.size() >= REMEMBERED) {
                    applied.clear();
                }
                applied.put(login.subject(), fingerprint);
                failed.remove(login.subject());
            } catch (RuntimeException e) {
                failed.put(login.subject(), Instant.now().plus(RETRY_AFTER));
                LOG.warnf("Could not match user '%s' to their person (%s); trying again in %d s", login.username(),
                        e.toString(), RETRY_AFTER.toSeconds());
            }
            return identity;
        });
    }

    /** The token's user, or null for a token that is not a person's (a service, no subject, no Toban role). */
    static Login login(JsonWebToken jwt, SecurityIdentity identity) {
        String subject = jwt.getSubject();
        String username = jwt.getClaim("preferred_username");
        if (subject == null || subject.isBlank() || username == null || username.isBlank()
                || Login.isServiceAccount(username) || identity.hasRole(Roles.SERVICE)) {
            return null;
        }
        var roles = Login.tobanRoles(identity.getRoles());
        if (roles.isEmpty()) {
            return null;
        }
        String name = Login.name(jwt.getClaim("given_name"), jwt.getClaim("family_name"));
        if (name == null) {
            name = Login.name(jwt.getClaim("name"), null);
        }
        String email = jwt.getClaim("email");
        long issued = jwt.getIssuedAtTime();
        return new Login(subject, username, name, email == null || email.isBlank() ? null : email.strip(),
                Login.locale(jwt.getClaim("locale")), true, roles,
                issued > 0 ? Instant.ofEpochSecond(issued) : Instant.now());
    }
}

package dev.toban.notify.sandbox;

import dev.toban.notify.client.OnCallClient;
import dev.toban.notify.client.PersonDetails;
import dev.toban.notify.model.SandboxRepository;
import dev.toban.notify.model.SandboxUser;
import dev.toban.notify.slack.BlockKit;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Who is who in the Slack sandbox. A signed-in user acts as their person's Slack user: the person is
 * found in oncall-service by username, and one without a Slack user id gets {@code U-<username>}. Everyone
 * who acted is kept (sandbox_user), so users.info and users.lookupByEmail answer them with their email,
 * as Slack would for a workspace member. Never called inside a database transaction.
 */
@ApplicationScoped
public class SandboxPeople {

    /** How long the people list from oncall-service is reused. */
    static final Duration DIRECTORY_TTL = Duration.ofSeconds(30);

    private final OnCallClient oncall;
    private final SandboxRepository repo;
    private volatile Directory directory;

    private record Directory(List<PersonDetails> people, Instant loadedAt) {
    }

    public SandboxPeople(OnCallClient oncall, SandboxRepository repo) {
        this.oncall = oncall;
        this.repo = repo;
    }

    /**
     * The Slack user of the signed-in {@code username}, recorded for users.info. Empty when
     * oncall-service cannot answer and the sandbox has not seen this user before.
     */
    public Optional<SandboxUser> identify(String username, String displayName, String email) {
        if (username == null || username.isBlank()) {
            return Optional.empty();
        }
        List<PersonDetails> people = people();
        if (people == null) {
            return QuarkusTransaction.requiringNew().call(() -> repo.userNamed(username));
        }
        PersonDetails person = people.stream().filter(p -> username.equalsIgnoreCase(p.username())).findFirst()
                .orElse(null);
        SandboxUser user = new SandboxUser();
        user.id = slackId(username, person);
        user.username = username;
        user.name = person != null && person.name() != null ? person.name() : displayName;
        user.email = person != null && person.email() != null ? person.email() : email;
        user.personId = person == null ? null : person.id();
        user.timeZone = person == null ? null : person.timeZone();
        user.updatedAt = Instant.now();
        return Optional.of(QuarkusTransaction.requiringNew().call(() -> save(user)));
    }

    /** A person's Slack user id in the sandbox: their own, or {@code U-<username>}. */
    static String slackId(String username, PersonDetails person) {
        if (person != null && person.slackUserId() != null && BlockKit.USER_ID.matcher(person.slackUserId()).matches()) {
            return person.slackUserId();
        }
        return "U-" + username.toLowerCase(Locale.ROOT);
    }

    private SandboxUser save(SandboxUser user) {
        // one row per username: a person whose Slack id changed keeps their row under the new id
        repo.userNamed(user.username).filter(u -> !u.id.equals(user.id)).ifPresent(repo::delete);
        Optional<SandboxUser> existing = repo.user(user.id);
        if (existing.isPresent()) {
            SandboxUser u = existing.get();
            u.username = user.username;
            u.name = user.name;
            u.email = user.email;
            u.personId = user.personId;
            u.timeZone = user.timeZone;
            u.updatedAt = user.updatedAt;
            return u;
        }
        repo.persist(user);
        return user;
    }

    /** users.info: someone who acted, else a person of oncall-service with that Slack id (or sandbox id). */
    public Optional<SandboxUser> describe(String userId) {
        Optional<SandboxUser> seen = QuarkusTransaction.requiringNew().call(() -> repo.user(userId));
        if (seen.isPresent()) {
            return seen;
        }
        List<PersonDetails> people = people();
        if (people == null) {
            return Optional.empty();
        }
        return people.stream().filter(p -> userId.equals(slackId(String.valueOf(p.username()), p)))
                .findFirst().map(SandboxPeople::transientUser);
    }

    /** users.lookupByEmail. */
    public Optional<SandboxUser> byEmail(String email) {
        Optional<SandboxUser> seen = QuarkusTransaction.requiringNew().call(() -> repo.userWithEmail(email));
        if (seen.isPresent()) {
            return seen;
        }
        List<PersonDetails> people = people();
        if (people == null) {
            return Optional.empty();
        }
        return people.stream().filter(p -> email.equalsIgnoreCase(p.email()) && p.username() != null).findFirst()
                .map(SandboxPeople::transientUser);
    }

    /** Names behind Slack user ids, for the page's mentions: oncall-service's people and whoever acted. */
    public Map<String, String> names() {
        Map<String, String> names = new HashMap<>();
        List<PersonDetails> people = people();
        if (people != null) {
            for (PersonDetails p : people) {
                if (p.username() != null && p.name() != null) {
                    names.put(slackId(p.username(), p), p.name());
                }
            }
        }
        QuarkusTransaction.requiringNew().call(repo::users)
                .forEach(u -> names.putIfAbsent(u.id, u.name == null ? u.username : u.name));
        names.put(SlackSandbox.BOT_USER, "Toban");
        names.put(SlackSandbox.SLACKBOT, "Slackbot");
        return names;
    }

    private static SandboxUser transientUser(PersonDetails p) {
        SandboxUser u = new SandboxUser();
        u.id = slackId(p.username(), p);
        u.username = p.username();
        u.name = p.name();
        u.email = p.email();
        u.personId = p.id();
        u.timeZone = p.timeZone();
        u.updatedAt = Instant.now();
        return u;
    }

    /** oncall-service's people, reused for a while; null when it cannot answer and nothing was loaded yet. */
    private List<PersonDetails> people() {
        Directory d = directory;
        if (d != null && Duration.between(d.loadedAt(), Instant.now()).compareTo(DIRECTORY_TTL) < 0) {
            return d.people();
        }
        List<PersonDetails> loaded;
        try {
            loaded = oncall.people();
        } catch (RuntimeException e) {
            loaded = null;
        }
        if (loaded == null) {
            return d == null ? null : d.people(); // the last list beats none while oncall-service is away
        }
        directory = new Directory(List.copyOf(loaded), Instant.now());
        return loaded;
    }
}

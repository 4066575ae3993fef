package dev.toban.oncall.people;

import dev.toban.oncall.common.References;
import dev.toban.oncall.config.OnCallConfig;
import dev.toban.oncall.model.ContactMethod;
import dev.toban.oncall.model.Person;
import dev.toban.oncall.model.PersonRepository;
import dev.toban.oncall.people.PersonService.PersonRequest;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import jakarta.transaction.Transactional;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * One identity: each user of the Keycloak realm and their person. A user is linked by their Keycloak
 * subject ({@code keycloakSubject}); a person not linked yet is matched by username, and a user with a
 * Toban role and no person gets one. The person mirrors the user's name, email, username and Toban
 * realm roles. When the user is disabled or deleted, the person loses their roles and is archived if
 * nothing live refers to them any more; otherwise they stay, marked inactive since then, and the people
 * settings page lists them until an admin takes them out of teams, rotations and policies (the next
 * sync then archives them). A user enabled again gets back a person the sync archived; a person an
 * admin archived is left alone.
 *
 * <p>Both ways in — the directory sync ({@link DirectorySync}) and a sign-in ({@code PersonSignIn}) —
 * take the same advisory lock, so two replicas never create one user's person twice.
 */
@ApplicationScoped
public class PersonLogins {

    private static final Logger LOG = Logger.getLogger(PersonLogins.class);

    /** {@code archivedBy} of a person the sync archived (and so may unarchive). */
    public static final String SYNC_ACTOR = "keycloak-sync";
    static final long LOCK_KEY = "toban-oncall-person-logins".hashCode();

    /** What one sync did. {@code conflicts} name users that could not be linked, in words an admin can act on. */
    public record SyncReport(int users, int created, int linked, int updated, int archived, int inactive,
                             int reactivated, List<String> conflicts) {
    }

    private final PersonRepository people;
    private final PersonService personService;
    private final References references;
    private final EntityManager em;
    private final OnCallConfig.Directory config;
    private final Clock clock;

    public PersonLogins(PersonRepository people, PersonService personService, References references, EntityManager em,
                        OnCallConfig config, Clock clock) {
        this.people = people;
        this.personService = personService;
        this.references = references;
        this.em = em;
        this.config = config.directory();
        this.clock = clock;
    }

    // ------------------------------------------------------------------ sign-in

    /**
     * Whether the signed-in user's person is linked and shows what the token says (a read, no lock): the
     * common case, so a sign-in writes only when something is new.
     */
    @Transactional
    public boolean isCurrent(Login login) {
        return people.findByKeycloakSubject(login.subject())
                .map(p -> p.archived() && !SYNC_ACTOR.equals(p.archivedBy)
                        || !p.archived() && p.username.equals(login.username())
                        && (login.name() == null || login.name().equals(p.name))
                        && (login.email() == null || login.email().equalsIgnoreCase(Objects.requireNonNullElse(p.email, "")))
                        && Arrays.equals(p.roles, login.roles().toArray())
                        && Person.LOGIN_ACTIVE.equals(p.loginState) && p.inactiveSince == null
                        || p.loginSyncedAt != null && login.seenAt().isBefore(p.loginSyncedAt))
                .orElse(false);
    }

    /**
     * The person of a signed-in user, linked to the token's subject and updated from the token (unless the
     * sync saw a newer state than the token's), created when missing and {@code create}. Empty when the
     * user gets no person (no Toban role) or their person was archived by an admin.
     */
    @Transactional
    public Optional<UUID> signIn(Login login, boolean create) {
        lock();
        Instant now = clock.instant();
        Person p = people.findByKeycloakSubject(login.subject()).orElse(null);
        if (p == null) {
            Person byName = people.findByUsername(login.username()).orElse(null);
            if (byName != null) {
                // the realm's usernames are unique: whoever had this one before was renamed or deleted
                p = byName;
            } else if (create && login.mayBePerson()) {
                return Optional.of(create(login, now));
            } else {
                return Optional.empty();
            }
        }
        boolean revived = false;
        if (p.archived()) {
            if (!SYNC_ACTOR.equals(p.archivedBy) || !login.mayBePerson()) {
                return Optional.empty();
            }
            unarchive(p, now);
            revived = true;
        } else if (login.subject().equals(p.keycloakSubject) && p.loginSyncedAt != null
                && login.seenAt().isBefore(p.loginSyncedAt)) {
            return Optional.of(p.id); // a token older than what the sync last saw: the sync knows better
        }
        if (update(p, login, now, new ArrayList<>()) | revived) {
            personService.changed(p);
        }
        return Optional.of(p.id);
    }

    // ------------------------------------------------------------------ sync

    /** The subjects of the live people linked to a Keycloak user: those the sync must find in the realm. */
    @Transactional
    public Set<String> linkedSubjects() {
        return new HashSet<>(em.createQuery("select p.keycloakSubject from Person p "
                + "where p.keycloakSubject is not null and p.archivedAt is null", String.class).getResultList());
    }

    /**
     * Applies the realm's users: {@code users} is the whole realm, {@code gone} the linked subjects Keycloak
     * confirmed one by one as deleted. A person whose subject is neither listed nor confirmed gone is left
     * as it is (the listing may have missed a user created meanwhile).
     */
    @Transactional
    public SyncReport apply(List<Login> users, Set<String> gone) {
        lock();
        Instant now = clock.instant();
        Counts n = new Counts();
        Set<String> live = new HashSet<>();
        users.forEach(u -> live.add(u.subject()));
        List<Login> sorted = new ArrayList<>(users);
        sorted.sort(Comparator.comparing(Login::username, String.CASE_INSENSITIVE_ORDER));
        for (Login login : sorted) {
            if (Login.isServiceAccount(login.username())) {
                continue;
            }
            Person p = people.findByKeycloakSubject(login.subject()).orElse(null);
            if (p == null) {
                Person byName = people.findByUsername(login.username()).orElse(null);
                if (byName != null && byName.keycloakSubject != null && live.contains(byName.keycloakSubject)) {
                    n.conflicts.add("Keycloak user '" + login.username() + "' has no person: person '" + byName.name
                            + "' has that username but belongs to another Keycloak user");
                    continue;
                }
                if (byName != null) {
                    p = byName;
                    n.linked++;
                }
            }
            if (p == null) {
                if (login.mayBePerson()) {
                    if (login.username().length() > 100) {
                        n.conflicts.add("Keycloak user '" + login.username().substring(0, 40)
                                + "…' has no person: usernames longer than 100 characters are not supported");
                    } else {
                        create(login, now);
                        n.created++;
                    }
                }
                continue;
            }
            boolean changed = false;
            if (p.archived()) {
                if (!SYNC_ACTOR.equals(p.archivedBy) || !login.mayBePerson()) {
                    continue; // archived by an admin: left alone, whatever Keycloak says
                }
                unarchive(p, now);
                n.reactivated++;
                changed = true;
            }
            if (login.enabled()) {
                boolean wasInactive = p.inactiveSince != null;
                changed |= update(p, login, now, n.conflicts);
                if (wasInactive && p.inactiveSince == null) {
                    n.reactivated++;
                }
            } else {
                changed |= update(p, login, now, n.conflicts) | deactivate(p, Person.LOGIN_DISABLED, now, n);
            }
            if (changed) {
                personService.changed(p);
                n.updated++;
            }
        }
        for (String subject : gone) {
            if (live.contains(subject)) {
                continue;
            }
            people.findByKeycloakSubject(subject).filter(p -> !p.archived()).ifPresent(p -> {
                if (deactivate(p, Person.LOGIN_DELETED, now, n)) {
                    personService.changed(p);
                    n.updated++;
                }
            });
        }
        SyncReport report = new SyncReport(live.size(), n.created, n.linked, n.updated, n.archived, n.inactive,
                n.reactivated, List.copyOf(n.conflicts));
        n.conflicts.forEach(c -> LOG.warnf("Keycloak sync: %s", c));
        return report;
    }

    // ------------------------------------------------------------------ the rules

    private static final class Counts {
        int created;
        int linked;
        int updated;
        int archived;
        int inactive;
        int reactivated;
        final List<String> conflicts = new ArrayList<>();
    }

    private UUID create(Login login, Instant now) {
        String name = login.name() != null ? login.name() : login.username();
        String zone = ZoneId.of(config.timeZone()).getId();
        String locale = login.locale() != null ? login.locale() : config.locale();
        PersonRequest request = new PersonRequest(name, login.username(), login.email(), null, zone, locale,
                login.subject(), List.of(), List.of());
        return personService.create(request, null, p -> {
            p.roles = login.roles().toArray(String[]::new);
            p.loginState = Person.LOGIN_ACTIVE;
            p.loginSyncedAt = login.seenAt();
        }).id();
    }

    /**
     * Takes the user's subject, username, name, email and (for an enabled user) roles; true when anything
     * the API shows changed. Keycloak's blanks (no name, no email) keep what Toban has.
     */
    private boolean update(Person p, Login login, Instant now, List<String> conflicts) {
        boolean changed = false;
        if (!login.subject().equals(p.keycloakSubject)) {
            p.keycloakSubject = login.subject();
            changed = true;
        }
        if (!p.username.equals(login.username())) {
            Optional<Person> holder = people.findByUsername(login.username()).filter(o -> !o.id.equals(p.id));
            if (holder.isPresent() || login.username().length() > 100) {
                conflicts.add("person '" + p.name + "' keeps username '" + p.username + "': Keycloak renamed the user to '"
                        + login.username() + "', which " + (holder.isPresent()
                        ? "person '" + holder.get().name + "' has" : "is longer than 100 characters"));
            } else {
                p.username = login.username();
                changed = true;
            }
        }
        if (login.name() != null && !login.name().equals(p.name)) {
            p.name = login.name();
            changed = true;
        }
        if (login.email() != null && login.email().length() <= 320 && !login.email().equalsIgnoreCase(
                Objects.requireNonNullElse(p.email, ""))) {
            moveEmailMethods(p, p.email, login.email());
            p.email = login.email();
            changed = true;
        }
        if (login.enabled()) {
            changed |= setRoles(p, login.roles());
            if (!Person.LOGIN_ACTIVE.equals(p.loginState) || p.inactiveSince != null) {
                p.loginState = Person.LOGIN_ACTIVE;
                p.inactiveSince = null;
                changed = true;
            }
        }
        if (changed) {
            p.loginSyncedAt = latest(p.loginSyncedAt, login.seenAt());
            p.updatedAt = now;
        }
        return changed;
    }

    /**
     * A disabled or deleted user's person: no roles; archived when nothing live refers to them, else
     * marked inactive (once: {@code inactiveSince} keeps the first time). True when anything changed.
     */
    private boolean deactivate(Person p, String state, Instant now, Counts n) {
        em.lock(p, LockModeType.PESSIMISTIC_WRITE); // as PersonService.archive: no new reference meanwhile
        boolean changed = setRoles(p, List.of());
        if (!state.equals(p.loginState)) {
            p.loginState = state;
            changed = true;
        }
        if (references.toPerson(p.id, p.name, now).isEmpty()) {
            p.archivedAt = now;
            p.archivedBy = SYNC_ACTOR;
            p.inactiveSince = null;
            n.archived++;
            changed = true;
        } else if (p.inactiveSince == null) {
            p.inactiveSince = now;
            n.inactive++;
            changed = true;
        }
        if (changed) {
            p.loginSyncedAt = now;
            p.updatedAt = now;
        }
        return changed;
    }

    private void unarchive(Person p, Instant now) {
        p.archivedAt = null;
        p.archivedBy = null;
        p.updatedAt = now;
    }

    private static boolean setRoles(Person p, Collection<String> roles) {
        String[] wanted = roles.toArray(String[]::new);
        if (Arrays.equals(p.roles, wanted)) {
            return false;
        }
        p.roles = wanted;
        return true;
    }

    /** Email contact methods that used the old address follow the new one (the directory's address: no approval, no code). */
    private static void moveEmailMethods(Person p, String from, String to) {
        if (from == null) {
            return;
        }
        Map<Integer, ContactMethod> moved = new HashMap<>();
        for (int i = 0; i < p.contactMethods.size(); i++) {
            ContactMethod c = p.contactMethods.get(i);
            if ("email".equals(c.type) && c.address.equalsIgnoreCase(from)) {
                ContactMethod m = new ContactMethod(c.id, c.type, to, c.label);
                m.approved = true;
                m.verified = true; // the directory's own address, as at creation
                m.verifiedAt = c.verifiedAt;
                moved.put(i, m);
            }
        }
        moved.forEach(p.contactMethods::set);
    }

    private static Instant latest(Instant a, Instant b) {
        return a == null ? b : b == null || a.isAfter(b) ? a : b;
    }

    private void lock() {
        em.createNativeQuery("select pg_advisory_xact_lock(?1)").setParameter(1, LOCK_KEY).getSingleResult();
    }
}

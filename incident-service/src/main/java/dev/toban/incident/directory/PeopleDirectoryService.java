package dev.toban.incident.directory;

import dev.toban.contracts.PersonRef;
import dev.toban.contracts.oncall.OnCallContracts.PersonChanged;
import dev.toban.incident.model.Person;
import dev.toban.incident.model.PersonRepository;
import dev.toban.incident.model.Sql;
import dev.toban.plumbing.inbox.PoisonEventException;
import dev.toban.plumbing.security.Roles;
import io.quarkus.panache.common.Sort;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/** Keeps the local copy of oncall-service's people current, so events carry PersonRef without a REST call. */
@ApplicationScoped
public class PeopleDirectoryService {

    private final PersonRepository people;
    private final Sql sql;

    public PeopleDirectoryService(PersonRepository people, Sql sql) {
        this.people = people;
        this.sql = sql;
    }


    /** Realm roles, each including the lesser ones (as the realm's composite roles do). */
    private static final List<String> ROLE_ORDER = List.of(Roles.VIEWER, Roles.RESPONDER, Roles.ADMIN);

    @Transactional(Transactional.TxType.MANDATORY)
    public void apply(PersonChanged change) {
        if (change.id() == null || change.name() == null || change.version() == null) {
            throw new PoisonEventException("person event lacks id, name or version");
        }
        Person person = people.findById(change.id());
        if (person == null) {
            person = new Person();
            person.id = change.id();
        } else if (person.sourceVersion > change.version()) {
            return; // an older announcement arriving late
        }
        person.name = change.name();
        person.username = change.username();
        person.email = change.email();
        person.slackUserId = change.slackUserId();
        person.timeZone = change.timeZone();
        person.locale = change.locale();
        person.roles = roles(change.roles(), change.role());
        person.archivedAt = Boolean.TRUE.equals(change.archived())
                ? (change.archivedAt() != null ? change.archivedAt() : Instant.now()) : null;
        person.sourceVersion = change.version();
        person.updatedAt = Instant.now();
        people.persist(person);
    }

    /**
     * The roles an event names, expanded (admin includes responder, responder viewer) and comma-separated; null
     * when it names none it knows: then nobody here may treat the person as a responder.
     */
    static String roles(List<String> roles, String role) {
        List<String> named = new ArrayList<>();
        if (roles != null) {
            roles.stream().filter(Objects::nonNull).forEach(r -> named.add(r.strip().toLowerCase(Locale.ROOT)));
        }
        if (role != null) {
            named.add(role.strip().toLowerCase(Locale.ROOT));
        }
        int highest = named.stream().mapToInt(ROLE_ORDER::indexOf).max().orElse(-1);
        return highest < 0 ? null : String.join(",", ROLE_ORDER.subList(0, highest + 1));
    }

    /**
     * Makes sure a person named by an escalation-targets answer exists here (incidents reference people by
     * id). An announced person is never overwritten by an answer; one known from an earlier answer is written
     * only when the answer says something new. New people are inserted with {@code on conflict do nothing}:
     * IC lookups of a storm's incidents run side by side and name the same person.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public void ensure(PersonRef ref) {
        if (ref == null || ref.id() == null) {
            return;
        }
        String name = ref.name() == null ? String.valueOf(ref.id()) : ref.name();
        Person person = people.findById(ref.id());
        if (person == null) {
            sql.update("""
                    insert into person (id, name, username, email, slack_user_id, time_zone, locale, source_version,
                        updated_at)
                    values (?, ?, ?, ?, ?, ?, ?, ?, ?)
                    on conflict (id) do nothing""", ref.id(), name, ref.username(), ref.email(), ref.slackUserId(),
                    ref.timeZone(), ref.locale(), Person.FROM_ANSWER, Instant.now());
            return;
        }
        if (person.sourceVersion != Person.FROM_ANSWER || (name.equals(person.name)
                && Objects.equals(ref.username(), person.username) && Objects.equals(ref.email(), person.email)
                && Objects.equals(ref.slackUserId(), person.slackUserId)
                && Objects.equals(ref.timeZone(), person.timeZone) && Objects.equals(ref.locale(), person.locale))) {
            return;
        }
        person.name = name;
        person.username = ref.username();
        person.email = ref.email();
        person.slackUserId = ref.slackUserId();
        person.timeZone = ref.timeZone();
        person.locale = ref.locale();
        person.sourceVersion = Person.FROM_ANSWER;
        person.updatedAt = Instant.now();
        people.persist(person);
    }

    public PersonRef ref(UUID id) {
        if (id == null) {
            return null;
        }
        Person person = people.findById(id);
        return person == null ? PersonRef.unknown(id) : refOf(person);
    }

    /** A person of the directory as events carry them (the contract's PersonRef). */
    public static PersonRef refOf(Person p) {
        return new PersonRef(p.id, p.name, p.username, p.email, p.slackUserId, p.timeZone, p.locale);
    }

    /** Everyone oncall-service announced, by name (for the IC console's pickers). */
    public List<Person> list() {
        return people.listAll(Sort.by("name"));
    }

    public Optional<Person> find(UUID id) {
        return people.findByIdOptional(id);
    }

    public Optional<Person> byUsername(String username) {
        return username == null ? Optional.empty() : people.findByUsername(username);
    }

    public Optional<Person> bySlackUserId(String slackUserId) {
        return slackUserId == null ? Optional.empty() : people.findBySlackUserId(slackUserId);
    }

    /** The one active person with this email, if exactly one has it (a Slack user is matched by their email). */
    public Optional<Person> byEmail(String email) {
        if (email == null || email.isBlank()) {
            return Optional.empty();
        }
        List<Person> found = people.findActiveByEmail(email.strip());
        return found.size() == 1 ? Optional.of(found.get(0)) : Optional.empty();
    }
}

package dev.toban.incident.service;

import dev.toban.incident.model.Person;
import dev.toban.incident.model.PersonRepository;
import dev.toban.plumbing.inbox.PoisonEventException;
import io.quarkus.panache.common.Sort;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** Keeps the local copy of oncall-service's people current, so events carry PersonRef without a REST call. */
@ApplicationScoped
public class PeopleDirectoryService {

    private final PersonRepository people;

    public PeopleDirectoryService(PersonRepository people) {
        this.people = people;
    }

    /** The {@code data} of {@code toban.oncall.person.created} and {@code .updated}. */
    public record PersonChanged(UUID id, String name, String username, String email, String slackUserId,
                                String timeZone, String locale, Long version) {
    }

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
        person.sourceVersion = change.version();
        person.updatedAt = Instant.now();
        people.persist(person);
    }

    /**
     * Makes sure a person named by an escalation-targets answer exists here (incidents reference people by
     * id). An announced person is never overwritten by an answer.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public void ensure(PersonRef ref) {
        if (ref == null || ref.id() == null) {
            return;
        }
        Person person = people.findById(ref.id());
        if (person != null && person.sourceVersion != Person.FROM_ANSWER) {
            return;
        }
        if (person == null) {
            person = new Person();
            person.id = ref.id();
        }
        person.name = ref.name() == null ? String.valueOf(ref.id()) : ref.name();
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
        return person == null ? PersonRef.unknown(id) : PersonRef.of(person);
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
}

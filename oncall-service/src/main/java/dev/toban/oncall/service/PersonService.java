package dev.toban.oncall.service;

import dev.toban.oncall.model.ContactMethod;
import dev.toban.oncall.model.NotificationRule;
import dev.toban.oncall.model.Person;
import dev.toban.oncall.model.PersonRepository;
import dev.toban.plumbing.outbox.Outbox;
import dev.toban.plumbing.problem.ProblemException;
import io.quarkus.panache.common.Sort;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Email;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/** People, their contact methods and notification rules. */
@ApplicationScoped
public class PersonService {

    public static final String PERSON_CREATED = "toban.oncall.person.created";
    public static final String PERSON_UPDATED = "toban.oncall.person.updated";
    public static final String PERSON_DELETED = "toban.oncall.person.deleted";

    private final PersonRepository people;
    private final Outbox outbox;
    private final SnapshotService snapshots;
    private final Caller caller;
    private final EntityManager em;
    private final Clock clock;

    public PersonService(PersonRepository people, Outbox outbox, SnapshotService snapshots, Caller caller,
                         EntityManager em, Clock clock) {
        this.people = people;
        this.outbox = outbox;
        this.snapshots = snapshots;
        this.caller = caller;
        this.em = em;
        this.clock = clock;
    }

    public record ContactMethodRequest(
            UUID id,
            @NotNull @Pattern(regexp = "slack|email|webhook", message = "must be one of slack, email, webhook") String type,
            @NotBlank @Size(max = 500) String address,
            @Size(max = 100) String label) {
    }

    public record NotificationRuleRequest(
            UUID id,
            @NotNull UUID contactMethodId,
            @NotNull @Min(0) @Max(1440) Integer delayMinutes) {
    }

    public record PersonRequest(
            @NotBlank @Size(max = 200) String name,
            @NotBlank @Size(max = 100) @Pattern(regexp = "^[A-Za-z0-9._@-]+$",
                    message = "may contain letters, digits and . _ @ - only") String username,
            @Email @Size(max = 320) String email,
            @Size(max = 50) @Pattern(regexp = "^[A-Z0-9]*$", message = "must be a Slack user id such as U024BE7LH")
            String slackUserId,
            @NotBlank @Size(max = 64) String timeZone,
            @NotNull @Pattern(regexp = "ja|en", message = "must be ja or en") String locale,
            @Size(max = 100) String keycloakSubject,
            @Size(max = 20) List<@NotNull @Valid ContactMethodRequest> contactMethods,
            @Size(max = 20) List<@NotNull @Valid NotificationRuleRequest> notificationRules) {
    }

    public record ContactMethodView(UUID id, String type, String address, String label) {
    }

    public record NotificationRuleView(UUID id, UUID contactMethodId, int delayMinutes) {
    }

    /** The contract of docs/architecture.md ({@code GET /api/people/{id}}), plus bookkeeping fields. */
    public record PersonView(UUID id, String name, String username, String email, String slackUserId, String timeZone,
                             String locale, String keycloakSubject, List<ContactMethodView> contactMethods,
                             List<NotificationRuleView> notificationRules, Instant createdAt, Instant updatedAt,
                             long version) {
        static PersonView of(Person p) {
            return new PersonView(p.id, p.name, p.username, p.email, p.slackUserId, p.timeZone, p.locale,
                    p.keycloakSubject,
                    p.contactMethods.stream().map(c -> new ContactMethodView(c.id, c.type, c.address, c.label)).toList(),
                    p.notificationRules.stream().map(r -> new NotificationRuleView(r.id, r.contactMethodId, r.delayMinutes))
                            .toList(),
                    p.createdAt, p.updatedAt, p.version);
        }
    }

    /** {@code toban.oncall.person.created|updated} data. */
    public record PersonChanged(UUID id, String name, String username, String email, String slackUserId, String timeZone,
                                String locale, long version) {
        static PersonChanged of(Person p) {
            return new PersonChanged(p.id, p.name, p.username, p.email, p.slackUserId, p.timeZone, p.locale, p.version);
        }
    }

    public List<PersonView> list() {
        return people.listAll(Sort.by("name")).stream().map(PersonView::of).toList();
    }

    public PersonView get(UUID id) {
        return people.findByIdOptional(id).map(PersonView::of).orElseThrow(() -> ProblemException.notFound("Person", id));
    }

    public PersonView me() {
        return caller.person().map(PersonView::of).orElseThrow(() -> new ProblemException(404, "Not found",
                "user '" + caller.username() + "' has no person in oncall-service", List.of()));
    }

    @Transactional
    public PersonView create(PersonRequest request) {
        return create(request, null);
    }

    /** Creates a person, with a fixed id when given (demo data). */
    @Transactional
    public PersonView create(PersonRequest request, UUID fixedId) {
        validate(request, null);
        Person p = new Person();
        p.id = fixedId == null ? UUID.randomUUID() : fixedId;
        p.createdAt = clock.instant();
        apply(p, request);
        people.persistAndFlush(p);
        snapshots.bump();
        outbox.publish(PERSON_CREATED, p.id.toString(), PersonChanged.of(p));
        return PersonView.of(p);
    }

    @Transactional
    public PersonView update(UUID id, PersonRequest request) {
        Person p = people.findByIdOptional(id).orElseThrow(() -> ProblemException.notFound("Person", id));
        caller.requireSelfOrAdmin(id, "change a person");
        if (!caller.isAdmin()) {
            if (!p.username.equalsIgnoreCase(request.username())) {
                throw ProblemException.forbidden("only an admin may change a username");
            }
            if (!java.util.Objects.equals(p.keycloakSubject, blankToNull(request.keycloakSubject()))) {
                throw ProblemException.forbidden("only an admin may change a Keycloak subject");
            }
        }
        validate(request, id);
        apply(p, request);
        people.flush();
        snapshots.bump();
        outbox.publish(PERSON_UPDATED, p.id.toString(), PersonChanged.of(p));
        return PersonView.of(p);
    }

    /**
     * Deletes a person nobody depends on any more: not in a team, a rotation or a policy, with no
     * current or future override and no open cover request. Otherwise 409 says what still refers to them.
     */
    @Transactional
    public void delete(UUID id) {
        Person p = people.findByIdOptional(id).orElseThrow(() -> ProblemException.notFound("Person", id));
        java.time.Instant now = clock.instant();
        List<String> uses = new java.util.ArrayList<>();
        count(uses, "select count(*) from team_member where person_id = ?1", id, null, "team");
        count(uses, "select count(*) from layer_participant where person_id = ?1", id, null, "schedule layer");
        count(uses, "select count(*) from escalation_target where target_type = 'person' and target_id = ?1", id, null,
                "escalation policy level");
        count(uses, "select count(*) from schedule_override where (person_id = ?1 or replaces_person_id = ?1) "
                + "and end_at > ?2", id, now, "current or future override");
        count(uses, "select count(*) from cover_request where status = 'open' and (requester_id = ?1 or target_id = ?1)",
                id, null, "open cover request");
        if (!uses.isEmpty()) {
            throw ProblemException.conflict(null, "person " + id + " is still used: " + String.join(", ", uses));
        }
        // past overrides and closed requests keep their rows for history; they only refer to the person
        em.createNativeQuery("delete from schedule_override where (person_id = ?1 or replaces_person_id = ?1)")
                .setParameter(1, id).executeUpdate();
        em.createNativeQuery("delete from cover_request where requester_id = ?1 or target_id = ?1 or accepted_by_id = ?1")
                .setParameter(1, id).executeUpdate();
        PersonChanged last = PersonChanged.of(p);
        people.delete(p);
        people.flush();
        snapshots.bump();
        outbox.publish(PERSON_DELETED, id.toString(), last);
    }

    private void count(List<String> uses, String sql, UUID id, java.time.Instant now, String what) {
        var query = em.createNativeQuery(sql).setParameter(1, id);
        if (now != null) {
            query.setParameter(2, now);
        }
        long n = ((Number) query.getSingleResult()).longValue();
        if (n > 0) {
            uses.add(n + " " + what + (n == 1 ? "" : "s"));
        }
    }

    private void validate(PersonRequest request, UUID self) {
        Validation v = new Validation();
        v.zone("timeZone", request.timeZone());
        people.findByUsername(request.username()).filter(o -> !o.id.equals(self)).ifPresent(o -> {
            throw ProblemException.conflict("username", "a person with username '" + request.username() + "' already exists");
        });
        String subject = blankToNull(request.keycloakSubject());
        if (subject != null) {
            people.findByKeycloakSubject(subject).filter(o -> !o.id.equals(self)).ifPresent(o -> {
                throw ProblemException.conflict("keycloakSubject", "another person has this Keycloak subject");
            });
        }
        List<ContactMethodRequest> methods = request.contactMethods() == null ? List.of() : request.contactMethods();
        Set<UUID> methodIds = new HashSet<>();
        for (int i = 0; i < methods.size(); i++) {
            ContactMethodRequest m = methods.get(i);
            String field = "contactMethods[" + i + "]";
            if (m.id() != null) {
                if (!methodIds.add(m.id())) {
                    v.add(field + ".id", "is used twice");
                } else if (ownerOfContactMethod(m.id(), self)) {
                    v.add(field + ".id", "belongs to another person");
                }
            }
            String address = m.address().strip();
            switch (m.type()) {
                case "email" -> {
                    if (!address.matches("^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$")) {
                        v.add(field + ".address", "must be an email address");
                    }
                }
                case "slack" -> {
                    if (!address.matches("^[UW][A-Z0-9]{2,}$")) {
                        v.add(field + ".address", "must be a Slack user id such as U024BE7LH");
                    }
                }
                default -> {
                    try {
                        URI uri = URI.create(address);
                        if (uri.getHost() == null || !("https".equals(uri.getScheme()) || "http".equals(uri.getScheme()))) {
                            v.add(field + ".address", "must be an http or https URL");
                        }
                    } catch (IllegalArgumentException e) {
                        v.add(field + ".address", "must be an http or https URL");
                    }
                }
            }
        }
        List<NotificationRuleRequest> rules = request.notificationRules() == null ? List.of() : request.notificationRules();
        Set<UUID> ruleIds = new HashSet<>();
        for (int i = 0; i < rules.size(); i++) {
            NotificationRuleRequest r = rules.get(i);
            if (!methodIds.contains(r.contactMethodId())) {
                v.add("notificationRules[" + i + "].contactMethodId",
                        "must be the id of one of this person's contactMethods (give new contact methods an id to refer to them)");
            }
            if (r.id() != null && !ruleIds.add(r.id())) {
                v.add("notificationRules[" + i + "].id", "is used twice");
            }
        }
        v.throwIfAny();
    }

    private boolean ownerOfContactMethod(UUID contactMethodId, UUID self) {
        List<?> owners = em.createNativeQuery("select person_id from contact_method where id = ?1")
                .setParameter(1, contactMethodId).getResultList();
        return owners.stream().anyMatch(o -> !o.equals(self));
    }

    private void apply(Person p, PersonRequest request) {
        p.name = request.name().strip();
        p.username = request.username().strip();
        p.email = blankToNull(request.email());
        p.slackUserId = blankToNull(request.slackUserId());
        p.timeZone = ZoneId.of(request.timeZone()).getId();
        p.locale = request.locale();
        p.keycloakSubject = blankToNull(request.keycloakSubject());
        List<ContactMethod> methods = (request.contactMethods() == null ? List.<ContactMethodRequest>of()
                : request.contactMethods()).stream()
                .map(m -> new ContactMethod(m.id() == null ? UUID.randomUUID() : m.id(), m.type(), m.address().strip(),
                        blankToNull(m.label())))
                .toList();
        p.contactMethods.clear();
        p.contactMethods.addAll(methods);
        List<NotificationRule> rules = (request.notificationRules() == null ? List.<NotificationRuleRequest>of()
                : request.notificationRules()).stream()
                .map(r -> new NotificationRule(r.id() == null ? UUID.randomUUID() : r.id(), r.contactMethodId(),
                        r.delayMinutes()))
                .toList();
        p.notificationRules.clear();
        p.notificationRules.addAll(rules);
        p.updatedAt = clock.instant();
    }

    static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.strip();
    }
}

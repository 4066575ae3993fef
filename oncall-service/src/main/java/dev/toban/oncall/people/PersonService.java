package dev.toban.oncall.people;

import dev.toban.contracts.oncall.OnCallContracts.PersonChanged;
import dev.toban.contracts.oncall.OnCallContracts;
import dev.toban.oncall.common.References;
import dev.toban.oncall.common.Validation;
import dev.toban.oncall.handoff.HandoffTicker;
import dev.toban.oncall.model.ContactMethod;
import dev.toban.oncall.model.NotificationRule;
import dev.toban.oncall.model.Person;
import dev.toban.oncall.model.PersonRepository;
import dev.toban.oncall.security.Caller;
import dev.toban.oncall.snapshot.OnCallSnapshots;
import dev.toban.plumbing.input.SingleLine;
import dev.toban.plumbing.outbox.Outbox;
import dev.toban.plumbing.problem.ProblemException;
import io.quarkus.panache.common.Sort;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import jakarta.transaction.Transactional;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Email;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/** People, their contact methods and notification rules. */
@ApplicationScoped
public class PersonService {

    public static final String PERSON_CREATED = OnCallContracts.PERSON_CREATED.name();
    public static final String PERSON_UPDATED = OnCallContracts.PERSON_UPDATED.name();

    private final PersonRepository people;
    private final Outbox outbox;
    private final OnCallSnapshots snapshots;
    private final Caller caller;
    private final References references;
    private final EntityManager em;
    private final Clock clock;
    private final HandoffTicker ticker;

    public PersonService(PersonRepository people, Outbox outbox, OnCallSnapshots snapshots, Caller caller,
                         References references, EntityManager em, Clock clock, HandoffTicker ticker) {
        this.ticker = ticker;
        this.people = people;
        this.outbox = outbox;
        this.snapshots = snapshots;
        this.caller = caller;
        this.references = references;
        this.em = em;
        this.clock = clock;
    }

    public record ContactMethodRequest(
            UUID id,
            @NotNull @Pattern(regexp = "slack|email|sms|voice|push|webhook",
                    message = "must be one of slack, email, sms, voice, push, webhook") String type,
            @NotBlank @Size(max = 500) String address,
            @Size(max = 100) @SingleLine String label) {
    }

    /** {@code urgency}: the pages the rule is for, {@code high}, {@code low} or {@code any} (the default). */
    public record NotificationRuleRequest(
            UUID id,
            @NotNull UUID contactMethodId,
            @NotNull @Min(0) @Max(1440) Integer delayMinutes,
            @Pattern(regexp = "any|high|low", message = "must be any, high or low") String urgency) {

        public NotificationRuleRequest(UUID id, UUID contactMethodId, Integer delayMinutes) {
            this(id, contactMethodId, delayMinutes, null);
        }
    }

    public record PersonRequest(
            @NotBlank @Size(max = 200) @SingleLine String name,
            @NotBlank @Size(max = 100) @Pattern(regexp = "^[A-Za-z0-9._@-]+$",
                    message = "may contain letters, digits and . _ @ - only") String username,
            @Email @Size(max = 320) String email,
            @Size(max = 50) @Pattern(regexp = "^[A-Z0-9]*$", message = "must be a Slack user id such as U024BE7LH")
            String slackUserId,
            @NotBlank @Size(max = 64) String timeZone,
            @NotNull @Pattern(regexp = "ja|en", message = "must be ja or en") String locale,
            @Size(max = 100) @SingleLine String keycloakSubject,
            @Size(max = 20) List<@NotNull @Valid ContactMethodRequest> contactMethods,
            @Size(max = 20) List<@NotNull @Valid NotificationRuleRequest> notificationRules) {
    }

    /**
     * {@code approved}: whether notify-service may use it (always true but for a webhook that waits for
     * an admin); {@code approvedBy}/{@code approvedAt} say which admin approved a webhook, and when.
     * {@code verified}: the person proved the address is theirs (or it is their directory Slack id or
     * email, or an approved webhook); notify-service pages only through verified methods.
     */
    public record ContactMethodView(UUID id, String type, String address, String label, boolean approved,
                                    String approvedBy, Instant approvedAt, boolean verified, Instant verifiedAt) {
        static ContactMethodView of(ContactMethod c) {
            return new ContactMethodView(c.id, c.type, c.address, c.label, c.approved, c.approvedBy, c.approvedAt,
                    c.verified, c.verifiedAt);
        }
    }

    public record NotificationRuleView(UUID id, UUID contactMethodId, int delayMinutes, String urgency) {
    }

    /**
     * The contract of docs/architecture.md ({@code GET /api/people/{id}}), plus bookkeeping fields.
     * {@code roles}, {@code loginState} and {@code inactiveSince} mirror the person's Keycloak user
     * (see {@link PersonLogins}); the API never sets them.
     */
    public record PersonView(UUID id, String name, String username, String email, String slackUserId, String timeZone,
                             String locale, String keycloakSubject, List<String> roles, String loginState,
                             Instant inactiveSince, List<ContactMethodView> contactMethods,
                             List<NotificationRuleView> notificationRules, Instant createdAt, Instant updatedAt,
                             Instant archivedAt, String archivedBy, long version) {
        static PersonView of(Person p) {
            return new PersonView(p.id, p.name, p.username, p.email, p.slackUserId, p.timeZone, p.locale,
                    p.keycloakSubject, p.roleList(), p.loginState, p.inactiveSince,
                    p.contactMethods.stream().map(ContactMethodView::of).toList(),
                    p.notificationRules.stream().map(r -> new NotificationRuleView(r.id, r.contactMethodId, r.delayMinutes,
                            r.urgency))
                            .toList(),
                    p.createdAt, p.updatedAt, p.archivedAt, p.archivedBy, p.version);
        }
    }


    /** People by name; archived ones only with {@code includeArchived}. */
    public List<PersonView> list(boolean includeArchived) {
        return (includeArchived ? people.listAll(Sort.by("name")) : people.list("archivedAt is null", Sort.by("name")))
                .stream().map(PersonView::of).toList();
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
        return create(request, fixedId, p -> { });
    }

    /** Creates a person; {@code login} fills in what the request does not carry (a Keycloak user's roles). */
    @Transactional(Transactional.TxType.MANDATORY)
    PersonView create(PersonRequest request, UUID fixedId, java.util.function.Consumer<Person> login) {
        validate(request, null);
        Person p = new Person();
        p.id = fixedId == null ? UUID.randomUUID() : fixedId;
        p.createdAt = clock.instant();
        apply(p, request, request.email(), request.slackUserId());
        login.accept(p);
        people.persistAndFlush(p);
        snapshots.bump();
        outbox.publish(OnCallContracts.PERSON_CREATED, p.id.toString(), eventData(p));
        return PersonView.of(p);
    }

    @Transactional
    public PersonView update(UUID id, PersonRequest body) {
        Person p = people.findByIdOptional(id).orElseThrow(() -> ProblemException.notFound("Person", id));
        caller.requireSelfOrAdmin(id, "change a person");
        if (p.archived()) {
            throw References.archived("person '" + p.name + "'");
        }
        // the sync links people: a body without keycloakSubject keeps the link ("" removes it, admins only)
        PersonRequest request = body.keycloakSubject() != null ? body : new PersonRequest(body.name(), body.username(),
                body.email(), body.slackUserId(), body.timeZone(), body.locale(), p.keycloakSubject,
                body.contactMethods(), body.notificationRules());
        if (!caller.isAdmin()) {
            if (!p.username.equalsIgnoreCase(request.username())) {
                throw ProblemException.forbidden("only an admin may change a username");
            }
            if (!java.util.Objects.equals(p.keycloakSubject, blankToNull(request.keycloakSubject()))) {
                throw ProblemException.forbidden("only an admin may change a Keycloak subject");
            }
        }
        validate(request, id);
        // a method at the person's own Slack id or email needs no code; only an admin's new directory
        // values count at once (anyone else's are checked against what was saved before)
        String directoryEmail = caller.isAdmin() ? request.email() : p.email;
        String directorySlack = caller.isAdmin() ? request.slackUserId() : p.slackUserId;
        apply(p, request, directoryEmail, directorySlack);
        people.flush();
        snapshots.bump();
        outbox.publish(OnCallContracts.PERSON_UPDATED, p.id.toString(), eventData(p));
        ticker.wakeAfterCommit(); // reachability may have changed
        return PersonView.of(p);
    }

    /**
     * An admin approves a webhook contact method, so notify-service may call it. Approving a method that
     * is already approved (every non-webhook one is) changes nothing.
     */
    @Transactional
    public PersonView approve(UUID id, UUID contactMethodId) {
        Person p = people.findByIdOptional(id, LockModeType.PESSIMISTIC_WRITE)
                .orElseThrow(() -> ProblemException.notFound("Person", id));
        if (p.archived()) {
            throw References.archived("person '" + p.name + "'");
        }
        int i = 0;
        while (i < p.contactMethods.size() && !p.contactMethods.get(i).id.equals(contactMethodId)) {
            i++;
        }
        if (i == p.contactMethods.size()) {
            throw ProblemException.notFound("Contact method", contactMethodId);
        }
        ContactMethod old = p.contactMethods.get(i);
        if (old.approved) {
            return PersonView.of(p);
        }
        ContactMethod approved = new ContactMethod(old.id, old.type, old.address, old.label);
        approved.approved = true;
        approved.approvedBy = caller.username();
        approved.approvedAt = clock.instant();
        approved.verified = true; // a webhook's verification is its approval
        approved.verifiedAt = approved.approvedAt;
        p.contactMethods.set(i, approved);
        p.updatedAt = approved.approvedAt;
        people.flush();
        snapshots.bump();
        outbox.publish(OnCallContracts.PERSON_UPDATED, p.id.toString(), eventData(p));
        return PersonView.of(p);
    }

    /**
     * Archives a person nothing live refers to any more: no team, rotation or policy, no current or
     * future override and no open cover request (409 naming each otherwise). Past overrides, closed
     * requests and other services' history keep pointing at them; archiving again changes nothing.
     */
    @Transactional
    public PersonView archive(UUID id) {
        Person p = people.findByIdOptional(id, LockModeType.PESSIMISTIC_WRITE)
                .orElseThrow(() -> ProblemException.notFound("Person", id));
        if (p.archived()) {
            return PersonView.of(p);
        }
        Instant now = clock.instant();
        References.refuseArchive(references.toPerson(id, p.name, now));
        p.archivedAt = now;
        p.archivedBy = caller.username();
        p.updatedAt = now;
        people.flush();
        snapshots.bump();
        outbox.publish(OnCallContracts.PERSON_UPDATED, p.id.toString(), eventData(p));
        return PersonView.of(p);
    }

    /** Makes an archived person selectable again. */
    @Transactional
    public PersonView unarchive(UUID id) {
        Person p = people.findByIdOptional(id, LockModeType.PESSIMISTIC_WRITE)
                .orElseThrow(() -> ProblemException.notFound("Person", id));
        if (!p.archived()) {
            return PersonView.of(p);
        }
        p.archivedAt = null;
        p.archivedBy = null;
        p.updatedAt = clock.instant();
        people.flush();
        snapshots.bump();
        outbox.publish(OnCallContracts.PERSON_UPDATED, p.id.toString(), eventData(p));
        return PersonView.of(p);
    }

    /** Demo data only: the methods start verified (their demo numbers and topics cannot receive a code). */
    @Transactional(Transactional.TxType.MANDATORY)
    public void markVerified(UUID personId, java.util.Collection<UUID> methodIds) {
        if (methodIds.isEmpty()) {
            return;
        }
        Person p = people.findById(personId);
        Instant now = clock.instant();
        for (int i = 0; i < p.contactMethods.size(); i++) {
            ContactMethod c = p.contactMethods.get(i);
            if (methodIds.contains(c.id) && !c.verified) {
                ContactMethod v = c.copy();
                v.verified = true;
                v.verifiedAt = now;
                p.contactMethods.set(i, v);
            }
        }
        people.flush();
        snapshots.bump();
    }

    /** After a change made outside the API (a Keycloak login): the event and the on-call snapshot. */
    @Transactional(Transactional.TxType.MANDATORY)
    void changed(Person p) {
        people.flush();
        snapshots.bump();
        outbox.publish(OnCallContracts.PERSON_UPDATED, p.id.toString(), eventData(p));
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
            String text = dev.toban.plumbing.input.Text.problem(address, true);
            if (text != null) {
                v.add(field + ".address", text);
                continue;
            }
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
                case "sms", "voice" -> {
                    if (!Validation.e164(address)) {
                        v.add(field + ".address", "must be a phone number in E.164 form, such as +819012345678");
                    }
                }
                case "push" -> {
                    if (!Validation.topicUrl(address)) {
                        v.add(field + ".address", "must be an ntfy or UnifiedPush topic URL (http or https, with a path "
                                + "and without a user name or password), such as https://ntfy.example.com/toban-sato");
                    }
                }
                default -> {
                    if (!Validation.httpUrl(address)) {
                        v.add(field + ".address", "must be an absolute http or https URL with a host, "
                                + "such as https://hooks.example.com/toban");
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

    private void apply(Person p, PersonRequest request, String directoryEmail, String directorySlack) {
        p.name = request.name().strip();
        p.username = request.username().strip();
        p.email = blankToNull(request.email());
        p.slackUserId = blankToNull(request.slackUserId());
        p.timeZone = ZoneId.of(request.timeZone()).getId();
        p.locale = request.locale();
        String subject = blankToNull(request.keycloakSubject());
        if (!java.util.Objects.equals(p.keycloakSubject, subject)) {
            // another (or no) Keycloak user: what the old one had no longer applies; the sync or a sign-in says
            p.keycloakSubject = subject;
            p.roles = new String[0];
            p.loginState = null;
            p.inactiveSince = null;
            p.loginSyncedAt = null;
        }
        Map<UUID, ContactMethod> before = new HashMap<>();
        p.contactMethods.forEach(c -> before.put(c.id, c));
        List<ContactMethod> methods = (request.contactMethods() == null ? List.<ContactMethodRequest>of()
                : request.contactMethods()).stream()
                .map(m -> verification(approval(new ContactMethod(m.id() == null ? UUID.randomUUID() : m.id(), m.type(),
                        m.address().strip(), blankToNull(m.label())), before.get(m.id())), before.get(m.id()),
                        directoryEmail, directorySlack))
                .toList();
        p.contactMethods.clear();
        p.contactMethods.addAll(methods);
        List<NotificationRule> rules = (request.notificationRules() == null ? List.<NotificationRuleRequest>of()
                : request.notificationRules()).stream()
                .map(r -> new NotificationRule(r.id() == null ? UUID.randomUUID() : r.id(), r.contactMethodId(),
                        r.delayMinutes(), r.urgency()))
                .toList();
        p.notificationRules.clear();
        p.notificationRules.addAll(rules);
        p.updatedAt = clock.instant();
    }

    /**
     * A webhook keeps its approval while its URL stays the same; one an admin adds or re-points is
     * approved by them; one anyone else adds or re-points waits for an admin. Other methods need none.
     */
    private ContactMethod approval(ContactMethod method, ContactMethod before) {
        if (!method.isWebhook()) {
            method.approved = true;
        } else if (before != null && before.isWebhook() && before.address.equals(method.address)) {
            method.approved = before.approved;
            method.approvedBy = before.approvedBy;
            method.approvedAt = before.approvedAt;
        } else if (caller.isAdmin()) {
            method.approved = true;
            method.approvedBy = caller.username();
            method.approvedAt = clock.instant();
        } else {
            method.approved = false;
        }
        return method;
    }

    /**
     * A method keeps its verification while its type and address stay the same; a webhook's is its approval;
     * a Slack or email method at the person's own directory Slack id or email is verified at once; anything
     * else (a new method, a new address) starts unverified until a code sent through it comes back.
     */
    private ContactMethod verification(ContactMethod method, ContactMethod before, String directoryEmail,
                                       String directorySlack) {
        if (method.isWebhook()) {
            method.verified = method.approved;
            method.verifiedAt = method.approved ? method.approvedAt : null;
        } else if (before != null && before.type.equals(method.type) && before.address.equals(method.address)) {
            method.verified = before.verified;
            method.verifiedAt = before.verifiedAt;
        } else if ("slack".equals(method.type) && method.address.equals(blankToNull(directorySlack))
                || "email".equals(method.type) && method.address.equalsIgnoreCase(String.valueOf(blankToNull(directoryEmail)))) {
            method.verified = true;
            method.verifiedAt = clock.instant();
        } else {
            method.verified = false;
            method.verifiedAt = null;
        }
        return method;
    }

    static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.strip();
    }

    /** The {@code data} of this kind's created/updated events (the contract's record). */
    static PersonChanged eventData(Person p) {
        return new PersonChanged(p.id, p.name, p.username, p.email, p.slackUserId, p.timeZone, p.locale,
                p.roleList(), p.loginState, p.archived(), p.archivedAt, p.version, null);
    }
}

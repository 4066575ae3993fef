package dev.toban.oncall.web;

import dev.toban.oncall.model.Person;
import dev.toban.oncall.model.NotificationRule;
import dev.toban.oncall.security.Caller;
import dev.toban.oncall.people.ContactVerificationService;
import dev.toban.oncall.people.DirectorySync;
import dev.toban.oncall.team.MembershipService;
import dev.toban.oncall.people.PersonService;
import dev.toban.oncall.people.PersonService.ContactMethodRequest;
import dev.toban.oncall.people.PersonService.ContactMethodView;
import dev.toban.oncall.people.PersonService.NotificationRuleRequest;
import dev.toban.oncall.people.PersonService.PersonRequest;
import dev.toban.oncall.people.PersonService.PersonView;
import dev.toban.oncall.team.TeamService;
import dev.toban.oncall.team.TeamService.TeamView;
import dev.toban.plumbing.problem.ProblemException;
import dev.toban.plumbing.security.Roles;
import dev.toban.plumbing.web.FormValues;
import dev.toban.plumbing.web.PageContext;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import io.vertx.ext.web.RoutingContext;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.jboss.resteasy.reactive.RestForm;

/**
 * People: the list, a new person, and one person's profile with contact methods, notification rules
 * (when each method is used after a page) and a preview of what happens when they are paged. Admins
 * edit anyone, approve webhooks and archive; a responder edits their own profile; others read.
 * Form fields are named like the API's ({@code contactMethods[0].address}), so the service's problems
 * land next to the field that was typed.
 */
@Path(PeoplePageResource.PATH)
public class PeoplePageResource {

    static final String PATH = SettingsPages.ROOT + "/people";
    static final List<String> TYPES = List.of("slack", "email", "sms", "voice", "push", "webhook");

    public record TeamLink(UUID id, String name) {
    }

    /**
     * One row of the list. {@code login}: the person's Keycloak sign-in in the page's language (their highest
     * Toban role, "no login", or that the login was disabled or deleted); {@code inactiveSince}: the sync
     * found the login gone while something still names the person.
     */
    public record PersonItem(UUID id, String name, String username, String email, List<TeamLink> teams,
                             boolean archived, String login, boolean loginGone, Instant inactiveSince) {
    }

    /** The person's own fields as typed (or saved), each with its problem. */
    public record PersonForm(String name, String username, String email, String slackUserId, String timeZone,
                             String locale, String nameError, String usernameError, String emailError,
                             String slackUserIdError, String timeZoneError, String localeError, String teamsError) {
    }

    /**
     * {@code verified}: the saved method, at the address shown, is verified (a changed address is not);
     * {@code code}/{@code codeError}: the verification code as typed and its problem; {@code actionError}: why
     * sending a code or a test page was refused.
     */
    public record ContactRow(int index, String id, String type, String address, String label, boolean remove,
                             boolean isNew, boolean approved, boolean hidden, String typeError, String addressError,
                             String labelError, boolean verified, String code, String codeError, String actionError) {
        public boolean webhook() {
            return "webhook".equals(type);
        }
    }

    public record RuleRow(int index, String id, String contactMethodId, String delayMinutes, String urgency,
                          boolean remove, String methodError, String delayError, String urgencyError) {
    }

    /** A contact method a rule may use, as its select shows it. */
    public record MethodOption(String id, String text) {
    }

    public record TeamOption(UUID id, String name, boolean checked) {
    }

    /** One step of "what happens when I am paged", already in the page's language. */
    public record PagingStep(int minutes, String text, boolean skipped) {
    }

    /**
     * {@code linked}: the person has a Keycloak user, whose name, username and email the sync keeps (the form
     * shows them read-only); {@code login}: their sign-in in words; {@code inactiveSince}: see PersonItem.
     */
    public record PersonPage(UUID id, PersonForm form, List<ContactRow> contacts, List<RuleRow> rules,
                             List<MethodOption> methods, List<TeamOption> teams, List<TeamLink> memberOf,
                             List<PagingStep> pagingHigh, List<PagingStep> pagingLow, boolean editable, boolean canEditTeams, boolean canArchive,
                             boolean self, Instant archivedAt, String archivedBy, List<String> errors, String done,
                             List<String> zones, boolean linked, String login, Instant inactiveSince,
                             boolean canVerify) {
        public boolean isNew() {
            return id == null;
        }

        /** The contact method types, as the type select offers them. */
        public List<String> types() {
            return TYPES;
        }

        /** Where the verification and test-page forms post: {@code <base>/<methodId>/verification|verify|test}. */
        public String methodActions() {
            return PATH + "/" + id + "/contact-methods";
        }

        /** The choices of a rule's urgency. */
        public List<String> urgencies() {
            return List.of(NotificationRule.ANY, "high", "low");
        }
    }

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance list(PageContext ctx, List<PersonItem> people, List<PersonItem> inactive,
                                            boolean archived, String done, List<String> errors);

        static native TemplateInstance person(PageContext ctx, PersonPage page);
    }

    private final SettingsPages settings;
    private final PersonService people;
    private final MembershipService memberships;
    private final TeamService teams;
    private final Caller caller;
    private final Forms forms;
    private final DirectorySync directory;
    private final ContactVerificationService verification;

    public PeoplePageResource(SettingsPages settings, PersonService people, MembershipService memberships,
                              TeamService teams, Caller caller, Forms forms, DirectorySync directory,
                              ContactVerificationService verification) {
        this.verification = verification;
        this.settings = settings;
        this.people = people;
        this.memberships = memberships;
        this.teams = teams;
        this.caller = caller;
        this.forms = forms;
        this.directory = directory;
    }

    @GET
    @RolesAllowed(Roles.VIEWER)
    @Produces(MediaType.TEXT_HTML)
    @Operation(hidden = true)
    public TemplateInstance list(@QueryParam("archived") @DefaultValue("false") boolean archived, @QueryParam("done") String done,
                                 @Context HttpHeaders headers, RoutingContext routing) {
        PageContext ctx = settings.context(headers, routing, "people.title");
        return listPage(ctx, archived, SettingsPages.notice(done), List.of());
    }

    /** "Sync with Keycloak now" (admins): the periodic sync at once; the list shows what came of it. */
    @POST
    @Path("/sync")
    @RolesAllowed(Roles.ADMIN)
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Produces(MediaType.TEXT_HTML)
    @Operation(hidden = true)
    public Response sync(@RestForm String csrf, @Context HttpHeaders headers, RoutingContext routing) {
        PageContext ctx = settings.context(headers, routing, "people.title");
        try {
            directory.syncNow();
            return SettingsPages.done(PATH, "synced");
        } catch (ProblemException e) {
            return SettingsPages.html(e.status(), listPage(ctx, false, null, List.of(ctx.t("people.syncFailed"))));
        }
    }

    private TemplateInstance listPage(PageContext ctx, boolean archived, String done, List<String> errors) {
        List<PersonItem> all = items(ctx, archived);
        List<PersonItem> inactive = all.stream().filter(p -> p.inactiveSince() != null && !p.archived()).toList();
        return Templates.list(ctx, all, inactive, archived, done, errors);
    }

    @GET
    @Path("/new")
    @RolesAllowed(Roles.ADMIN)
    @Produces(MediaType.TEXT_HTML)
    @Operation(hidden = true)
    public TemplateInstance blank(@Context HttpHeaders headers, RoutingContext routing) {
        PageContext ctx = settings.context(headers, routing, "people.new");
        return Templates.person(ctx, page(ctx, null, Typed.of(null), FormErrors.NONE, null));
    }

    @POST
    @RolesAllowed(Roles.ADMIN)
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Produces(MediaType.TEXT_HTML)
    @Operation(hidden = true)
    public Response create(@RestForm String csrf, @Context HttpHeaders headers, RoutingContext routing) {
        PageContext ctx = settings.context(headers, routing, "people.new");
        Typed typed = Typed.read(PageForm.current());
        try {
            Parsed parsed = parse(typed, null, true);
            PersonView created;
            try {
                created = memberships.create(forms.valid(parsed.request()), parsed.teamIds());
            } catch (ProblemException e) {
                throw FormErrors.renamed(e, parsed.rows()::toForm);
            }
            return SettingsPages.done(PATH + "/" + created.id(), "created");
        } catch (ProblemException e) {
            return SettingsPages.html(e.status(), Templates.person(ctx, page(ctx, null, typed, FormErrors.of(ctx, e), null)));
        }
    }

    @GET
    @Path("/{id}")
    @RolesAllowed(Roles.VIEWER)
    @Produces(MediaType.TEXT_HTML)
    @Operation(hidden = true)
    public Response person(@PathParam("id") String id, @QueryParam("done") String done, @Context HttpHeaders headers,
                           RoutingContext routing) {
        PageContext ctx = settings.context(headers, routing, "people.title");
        try {
            PersonView person = people.get(SettingsPages.id("Person", id));
            return SettingsPages.html(200, Templates.person(ctx.with("settings", person.name()),
                    page(ctx, person, Typed.of(person), FormErrors.NONE, SettingsPages.notice(done))));
        } catch (ProblemException e) {
            return notFound(ctx, e);
        }
    }

    @POST
    @Path("/{id}")
    @RolesAllowed(Roles.RESPONDER)
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Produces(MediaType.TEXT_HTML)
    @Operation(hidden = true)
    public Response update(@PathParam("id") String id, @RestForm String csrf, @Context HttpHeaders headers,
                           RoutingContext routing) {
        PageContext ctx = settings.context(headers, routing, "people.title");
        PersonView person;
        try {
            person = people.get(SettingsPages.id("Person", id));
        } catch (ProblemException e) {
            return notFound(ctx, e);
        }
        Typed typed = Typed.read(PageForm.current());
        try {
            Parsed parsed = parse(typed, person, caller.isAdmin());
            try {
                memberships.update(person.id(), forms.valid(parsed.request()), parsed.teamIds());
            } catch (ProblemException e) {
                throw FormErrors.renamed(e, parsed.rows()::toForm);
            }
            return SettingsPages.done(PATH + "/" + person.id(), "saved");
        } catch (ProblemException e) {
            return SettingsPages.html(e.status(), Templates.person(ctx.with("settings", person.name()),
                    page(ctx, person, typed, FormErrors.of(ctx, e), null)));
        }
    }

    @POST
    @Path("/{id}/archive")
    @RolesAllowed(Roles.ADMIN)
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Produces(MediaType.TEXT_HTML)
    @Operation(hidden = true)
    public Response archive(@PathParam("id") String id, @RestForm String csrf, @Context HttpHeaders headers,
                            RoutingContext routing) {
        return act(id, headers, routing, "archived", people::archive);
    }

    @POST
    @Path("/{id}/unarchive")
    @RolesAllowed(Roles.ADMIN)
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Produces(MediaType.TEXT_HTML)
    @Operation(hidden = true)
    public Response unarchive(@PathParam("id") String id, @RestForm String csrf, @Context HttpHeaders headers,
                              RoutingContext routing) {
        return act(id, headers, routing, "unarchived", people::unarchive);
    }

    @POST
    @Path("/{id}/contact-methods/{methodId}/approve")
    @RolesAllowed(Roles.ADMIN)
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Produces(MediaType.TEXT_HTML)
    @Operation(hidden = true)
    public Response approve(@PathParam("id") String id, @PathParam("methodId") String methodId, @RestForm String csrf,
                            @Context HttpHeaders headers, RoutingContext routing) {
        return act(id, headers, routing, "approved",
                personId -> people.approve(personId, SettingsPages.id("Contact method", methodId)));
    }

    /** "Send a code" through a saved method (the person or an admin). */
    @POST
    @Path("/{id}/contact-methods/{methodId}/verification")
    @RolesAllowed(Roles.VIEWER)
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Produces(MediaType.TEXT_HTML)
    @Operation(hidden = true)
    public Response requestCode(@PathParam("id") String id, @PathParam("methodId") String methodId, @RestForm String csrf,
                                @Context HttpHeaders headers, RoutingContext routing) {
        return methodAction(id, methodId, null, headers, routing, "codeSent",
                (personId, method) -> verification.requestCode(personId, method));
    }

    /** The code typed back: verified, or the page again with the code and its problem beside it. */
    @POST
    @Path("/{id}/contact-methods/{methodId}/verify")
    @RolesAllowed(Roles.VIEWER)
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Produces(MediaType.TEXT_HTML)
    @Operation(hidden = true)
    public Response verify(@PathParam("id") String id, @PathParam("methodId") String methodId, @RestForm String csrf,
                           @RestForm String code, @Context HttpHeaders headers, RoutingContext routing) {
        return methodAction(id, methodId, code, headers, routing, "verified",
                (personId, method) -> verification.verify(personId, method, code));
    }

    /** "Send me a test page" through a verified method. */
    @POST
    @Path("/{id}/contact-methods/{methodId}/test")
    @RolesAllowed(Roles.VIEWER)
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Produces(MediaType.TEXT_HTML)
    @Operation(hidden = true)
    public Response test(@PathParam("id") String id, @PathParam("methodId") String methodId, @RestForm String csrf,
                         @Context HttpHeaders headers, RoutingContext routing) {
        return methodAction(id, methodId, null, headers, routing, "testSent",
                (personId, method) -> verification.test(personId, method));
    }

    private Response methodAction(String id, String methodId, String code, HttpHeaders headers, RoutingContext routing,
                                  String done, java.util.function.BiFunction<UUID, UUID, Object> action) {
        PageContext ctx = settings.context(headers, routing, "people.title");
        PersonView person;
        try {
            person = people.get(SettingsPages.id("Person", id));
        } catch (ProblemException e) {
            return notFound(ctx, e);
        }
        try {
            action.apply(person.id(), SettingsPages.id("Contact method", methodId));
            return SettingsPages.done(PATH + "/" + person.id(), done);
        } catch (ProblemException e) {
            PersonView now = people.get(person.id());
            int index = indexOf(now, methodId);
            return SettingsPages.html(e.status(), Templates.person(ctx.with("settings", now.name()),
                    page(ctx, now, Typed.of(now), FormErrors.of(ctx, methodProblem(e, index)), null,
                            index < 0 ? Map.of() : Map.of(methodId, code == null ? "" : code))));
        }
    }

    /** The method's row in a saved person's form, or -1. */
    static int indexOf(PersonView p, String methodId) {
        for (int i = 0; i < p.contactMethods().size(); i++) {
            if (p.contactMethods().get(i).id().toString().equals(methodId)) {
                return i;
            }
        }
        return -1;
    }

    /**
     * A refused code or action as the row's problem: {@code code} beside the code field, anything else (a 409,
     * a 429) beside the method's buttons.
     */
    static ProblemException methodProblem(ProblemException e, int index) {
        if (index < 0 || e.status() == 403 || e.status() == 404) {
            return e;
        }
        String row = "contactMethods[" + index + "].";
        List<dev.toban.plumbing.problem.Problem.FieldError> errors = e.errors().isEmpty()
                ? List.of(new dev.toban.plumbing.problem.Problem.FieldError(row + "action", e.getMessage()))
                : e.errors().stream().map(f -> new dev.toban.plumbing.problem.Problem.FieldError(
                        "code".equals(f.field()) ? row + "code" : row + "action", f.message())).toList();
        return new ProblemException(e.status(), e.getMessage(), e.getMessage(), errors);
    }

    /** An action on one person: 303 back to them, or their page with the refusal (a 409 names what refers to them). */
    private Response act(String id, HttpHeaders headers, RoutingContext routing, String done,
                         java.util.function.Function<UUID, PersonView> action) {
        PageContext ctx = settings.context(headers, routing, "people.title");
        PersonView person;
        try {
            person = people.get(SettingsPages.id("Person", id));
        } catch (ProblemException e) {
            return notFound(ctx, e);
        }
        try {
            action.apply(person.id());
            return SettingsPages.done(PATH + "/" + person.id(), done);
        } catch (ProblemException e) {
            PersonView now = people.get(person.id());
            return SettingsPages.html(e.status(), Templates.person(ctx.with("settings", now.name()),
                    page(ctx, now, Typed.of(now), FormErrors.of(ctx, e), null)));
        }
    }

    private Response notFound(PageContext ctx, ProblemException e) {
        return SettingsPages.html(e.status(), listPage(ctx, false, null, List.of(ProblemTexts.message(ctx, e.getMessage()))));
    }

    // ------------------------------------------------------------------ the form

    /** The form as typed (strings), or a saved person as the form shows it. */
    record Typed(String name, String username, String email, String slackUserId, String timeZone, String locale,
                 List<String> teamIds, List<TypedContact> contacts, List<TypedRule> rules) {

        static Typed of(PersonView p) {
            if (p == null) {
                return new Typed("", "", "", "", "Asia/Tokyo", "ja", List.of(), List.of(), List.of());
            }
            return new Typed(p.name(), p.username(), nz(p.email()), nz(p.slackUserId()), p.timeZone(), p.locale(), null,
                    p.contactMethods().stream().map(c -> new TypedContact(c.id().toString(), c.type(), c.address(),
                            nz(c.label()), false)).toList(),
                    p.notificationRules().stream().map(r -> new TypedRule(r.id().toString(),
                            r.contactMethodId().toString(), String.valueOf(r.delayMinutes()), r.urgency(), false)).toList());
        }

        static Typed read(PageForm f) {
            List<TypedContact> contacts = new ArrayList<>();
            for (int i = 0, n = f.rows("contactMethods"); i < n; i++) {
                String p = "contactMethods[" + i + "].";
                contacts.add(new TypedContact(nz(f.one(p + "id")), nz(f.one(p + "type")), nz(f.one(p + "address")),
                        nz(f.one(p + "label")), f.checked(p + "remove")));
            }
            List<TypedRule> rules = new ArrayList<>();
            for (int i = 0, n = f.rows("notificationRules"); i < n; i++) {
                String p = "notificationRules[" + i + "].";
                rules.add(new TypedRule(nz(f.one(p + "id")), nz(f.one(p + "contactMethodId")),
                        nz(f.one(p + "delayMinutes")), urgencyOf(f.one(p + "urgency")), f.checked(p + "remove")));
            }
            return new Typed(nz(f.one("name")), nz(f.one("username")), nz(f.one("email")), nz(f.one("slackUserId")),
                    nz(f.one("timeZone")), nz(f.one("locale")), f.all("teamIds"), contacts, rules);
        }
    }

    record TypedContact(String id, String type, String address, String label, boolean remove) {
    }

    /** {@code urgency}: any, high or low (what the select sends; anything else is refused by the service). */
    record TypedRule(String id, String contactMethodId, String delayMinutes, String urgency, boolean remove) {
    }

    private static String urgencyOf(String value) {
        return value == null || value.isBlank() ? NotificationRule.ANY : value.strip();
    }

    /** What the form asks for, and where each request row came from. */
    record Parsed(PersonRequest request, Set<UUID> teamIds, RowMap rows) {
    }

    /**
     * The request the form means. Left out: removed rows, the blank new contact method and the blank new
     * rule. A non-admin keeps the username (and everyone the Keycloak subject) as saved.
     */
    private static Parsed parse(Typed t, PersonView existing, boolean admin) {
        PageForm check = new PageForm(Map.of());
        Set<String> saved = new HashSet<>();
        if (existing != null) {
            existing.contactMethods().forEach(c -> saved.add(c.id().toString()));
        }
        RowMap rows = new RowMap();
        List<ContactMethodRequest> methods = new ArrayList<>();
        for (int i = 0; i < t.contacts().size(); i++) {
            TypedContact c = t.contacts().get(i);
            boolean blankNew = !saved.contains(c.id()) && c.address().isBlank() && c.label().isBlank();
            if (c.remove() || blankNew) {
                continue;
            }
            String p = "contactMethods[" + i + "].";
            methods.add(new ContactMethodRequest(check.read(p + "id", () -> FormValues.uuid(p + "id", c.id())),
                    c.type().isBlank() ? null : c.type(), c.address().strip(),
                    check.read(p + "label", () -> FormValues.line(p + "label", c.label(), 100))));
            rows.add("contactMethods", i);
        }
        List<NotificationRuleRequest> rules = new ArrayList<>();
        for (int i = 0; i < t.rules().size(); i++) {
            TypedRule r = t.rules().get(i);
            if (r.remove() || r.contactMethodId().isBlank() && r.delayMinutes().isBlank() && r.id().isBlank()) {
                continue;
            }
            String p = "notificationRules[" + i + "].";
            rules.add(new NotificationRuleRequest(
                    check.read(p + "id", () -> FormValues.uuid(p + "id", r.id())),
                    check.read(p + "contactMethodId", () -> FormValues.uuid(p + "contactMethodId",
                            r.contactMethodId())),
                    check.read(p + "delayMinutes", () -> FormValues.integer(p + "delayMinutes",
                            r.delayMinutes())), r.urgency()));
            rows.add("notificationRules", i);
        }
        String name = check.read("name", () -> FormValues.line("name", t.name(), 200));
        check.throwIfInvalid();
        Set<UUID> teamIds = null;
        if (admin && t.teamIds() != null) {
            teamIds = new LinkedHashSet<>();
            for (String team : t.teamIds()) {
                UUID teamId = check.read("teamIds", () -> FormValues.uuid("teamIds", team));
                if (teamId != null) {
                    teamIds.add(teamId);
                }
            }
            check.throwIfInvalid();
        }
        PersonRequest request = new PersonRequest(name == null ? "" : name,
                admin || existing == null ? t.username().strip() : existing.username(),
                blank(t.email()), blank(t.slackUserId()), t.timeZone().strip(), t.locale().isBlank() ? null : t.locale(),
                existing == null ? null : existing.keycloakSubject(), methods, rules);
        return new Parsed(request, teamIds, rows);
    }

    // ------------------------------------------------------------------ rendering

    private PersonPage page(PageContext ctx, PersonView saved, Typed t, FormErrors errors, String done) {
        return page(ctx, saved, t, errors, done, Map.of());
    }

    /** {@code codes}: a verification code as typed, by method id (a refused code is shown again). */
    private PersonPage page(PageContext ctx, PersonView saved, Typed t, FormErrors errors, String done,
                            Map<String, String> codes) {
        boolean admin = caller.isAdmin();
        Person me = settings.me().orElse(null);
        boolean self = saved != null && me != null && me.id.equals(saved.id());
        boolean archived = saved != null && saved.archivedAt() != null;
        boolean editable = !archived && (admin || self && ctx.responder());
        Map<String, ContactMethodView> savedMethods = new HashMap<>();
        if (saved != null) {
            saved.contactMethods().forEach(c -> savedMethods.put(c.id().toString(), c));
        }

        PersonForm form = new PersonForm(t.name(), t.username(), t.email(), t.slackUserId(), t.timeZone(), t.locale(),
                errors.at("name"), errors.at("username"), errors.at("email"), errors.at("slackUserId"),
                errors.at("timeZone"), errors.at("locale"), errors.at("teamIds"));

        List<ContactRow> contacts = new ArrayList<>();
        List<TypedContact> typedContacts = new ArrayList<>(t.contacts());
        if (editable && typedContacts.stream().noneMatch(c -> !savedMethods.containsKey(c.id()) && c.address().isBlank())) {
            // one empty row to add a method; its id is made now, so a rule can name it in the same save
            typedContacts.add(new TypedContact(UUID.randomUUID().toString(), "email", "", "", false));
        }
        for (int i = 0; i < typedContacts.size(); i++) {
            TypedContact c = typedContacts.get(i);
            ContactMethodView was = savedMethods.get(c.id());
            boolean isNew = was == null;
            boolean approved = was != null && was.approved() && was.address().equals(c.address().strip());
            boolean verified = was != null && was.verified() && was.type().equals(c.type())
                    && was.address().equals(c.address().strip());
            // someone else's webhook URL may carry a secret: only admins and the person see it
            boolean hidden = "webhook".equals(c.type()) && !admin && !self;
            String p = "contactMethods[" + i + "].";
            contacts.add(new ContactRow(i, c.id(), c.type(), hidden ? "" : c.address(), c.label(), c.remove(), isNew,
                    approved, hidden, errors.at(p + "type"),
                    join(join(errors.at(p + "address"), errors.at(p + "id")), errors.at(contactsRow(i))),
                    errors.at(p + "label"), verified, codes.getOrDefault(c.id(), ""), errors.at(p + "code"),
                    errors.at(p + "action")));
        }
        List<MethodOption> methods = contacts.stream().filter(c -> !c.remove())
                .map(c -> new MethodOption(c.id(), c.address().isBlank() && c.isNew() ? ctx.t("people.newMethod")
                        : describe(ctx, c.type(), c.address(), c.label(), c.hidden())))
                .toList();

        List<RuleRow> rules = new ArrayList<>();
        List<TypedRule> typedRules = new ArrayList<>(t.rules());
        if (editable) {
            typedRules.add(new TypedRule("", "", "", NotificationRule.ANY, false));
        }
        for (int i = 0; i < typedRules.size(); i++) {
            TypedRule r = typedRules.get(i);
            String p = "notificationRules[" + i + "].";
            rules.add(new RuleRow(i, r.id(), r.contactMethodId(), r.delayMinutes(), r.urgency(), r.remove(),
                    join(join(errors.at(p + "contactMethodId"), errors.at(p + "id")), errors.at("notificationRules[" + i + "]")),
                    errors.at(p + "delayMinutes"), errors.at(p + "urgency")));
        }

        List<TeamView> allTeams = teams.list(false);
        Set<String> chosen = t.teamIds() != null ? new HashSet<>(t.teamIds()) : new HashSet<>();
        if (t.teamIds() == null && saved != null) {
            allTeams.stream().filter(team -> team.memberIds().contains(saved.id())).forEach(team -> chosen.add(team.id().toString()));
        }
        List<TeamOption> teamOptions = allTeams.stream()
                .map(team -> new TeamOption(team.id(), team.name(), chosen.contains(team.id().toString()))).toList();
        List<TeamLink> memberOf = saved == null ? List.of()
                : memberships.teamsOf(saved.id()).stream().map(team -> new TeamLink(team.id, team.name)).toList();

        return new PersonPage(saved == null ? null : saved.id(), form, contacts, rules, methods, teamOptions, memberOf,
                paging(ctx, contacts, rules, t, "high"), paging(ctx, contacts, rules, t, "low"), editable, editable && admin, admin && saved != null, self,
                saved == null ? null : saved.archivedAt(), saved == null ? null : saved.archivedBy(), errors.others(),
                done, SettingsPages.ZONES, saved != null && saved.keycloakSubject() != null,
                saved == null ? null : login(ctx, saved), saved == null ? null : saved.inactiveSince(),
                saved != null && !archived && (admin || self));
    }

    private static String contactsRow(int i) {
        return "contactMethods[" + i + "]";
    }

    /**
     * "What happens when I am paged" for a page of {@code urgency}: each rule for that urgency (or any), its
     * method after its delay, in time order, as notify-service plans it; without one, notify-service's fallback
     * (a Slack DM at once, then an email).
     */
    static List<PagingStep> paging(PageContext ctx, List<ContactRow> contacts, List<RuleRow> rules, Typed t,
                                   String urgency) {
        Map<String, ContactRow> byId = new HashMap<>();
        contacts.stream().filter(c -> !c.remove() && (!c.address().isBlank() || c.hidden())).forEach(c -> byId.put(c.id(), c));
        List<PagingStep> steps = new ArrayList<>();
        for (RuleRow r : rules) {
            ContactRow c = byId.get(r.contactMethodId());
            if (r.remove() || c == null || !r.delayMinutes().strip().matches("\\d{1,4}")
                    || !(NotificationRule.ANY.equals(r.urgency()) || urgency.equals(r.urgency()))) {
                continue;
            }
            int minutes = Integer.parseInt(r.delayMinutes().strip());
            // notify-service skips a webhook awaiting approval and any unverified method
            boolean waiting = "webhook".equals(c.type()) && !c.approved();
            boolean unverified = !waiting && !c.verified();
            String what = describe(ctx, c.type(), c.address(), c.label(), c.hidden());
            steps.add(new PagingStep(minutes, minutes(ctx, minutes) + ": " + what
                    + (waiting ? " " + ctx.t("people.paging.awaiting") : "")
                    + (unverified ? " " + ctx.t("people.paging.unverified") : ""), waiting || unverified));
        }
        if (steps.isEmpty()) {
            if (!t.slackUserId().isBlank()) {
                steps.add(new PagingStep(0, minutes(ctx, 0) + ": " + ctx.t("people.type.slack") + " "
                        + t.slackUserId().strip() + " " + ctx.t("people.paging.fallback"), false));
            }
            if (!t.email().isBlank()) {
                steps.add(new PagingStep(t.slackUserId().isBlank() ? 0 : 5, ctx.t("people.paging.later") + ": "
                        + ctx.t("people.type.email") + " " + t.email().strip() + " " + ctx.t("people.paging.fallback"), false));
            }
        }
        steps.sort(Comparator.comparingInt(PagingStep::minutes));
        return steps;
    }

    private static String minutes(PageContext ctx, int minutes) {
        return ctx.t("people.paging.minutes").replace("{0}", String.valueOf(minutes));
    }

    static String describe(PageContext ctx, String type, String address, String label, boolean hidden) {
        String kind = TYPES.contains(type) ? ctx.t("people.type." + type) : type;
        String where = hidden ? ctx.t("people.hidden") : address;
        return kind + " " + where + (label == null || label.isBlank() ? "" : " (" + label + ")");
    }

    /** The person's sign-in in the page's language: their highest Toban role, or why they have none. */
    static String login(PageContext ctx, PersonView p) {
        if (p.keycloakSubject() == null && p.loginState() == null) {
            return ctx.t("people.login.none");
        }
        if (Person.LOGIN_DISABLED.equals(p.loginState()) || Person.LOGIN_DELETED.equals(p.loginState())) {
            return ctx.t("people.login." + p.loginState());
        }
        if (p.roles().isEmpty()) {
            return ctx.t(p.loginState() == null ? "people.login.linked" : "people.login.noRole");
        }
        return ctx.t("people.role." + p.roles().get(p.roles().size() - 1));
    }

    private List<PersonItem> items(PageContext ctx, boolean archived) {
        Map<UUID, List<TeamLink>> teamsOf = new HashMap<>();
        for (TeamView team : teams.list(false)) {
            team.memberIds().forEach(m -> teamsOf.computeIfAbsent(m, k -> new ArrayList<>()).add(new TeamLink(team.id(), team.name())));
        }
        return people.list(archived).stream()
                .map(p -> new PersonItem(p.id(), p.name(), p.username(), p.email(), teamsOf.getOrDefault(p.id(), List.of()),
                        p.archivedAt() != null, login(ctx, p), Person.LOGIN_DISABLED.equals(p.loginState())
                        || Person.LOGIN_DELETED.equals(p.loginState()), p.inactiveSince()))
                .toList();
    }

    private static String join(String a, String b) {
        return a == null ? b : b == null ? a : a + " " + b;
    }

    private static String blank(String s) {
        return s == null || s.isBlank() ? null : s.strip();
    }

    private static String nz(String s) {
        return s == null ? "" : s;
    }
}

package dev.toban.oncall.web;

import dev.toban.oncall.model.NotificationRule;
import dev.toban.oncall.model.Person;
import dev.toban.oncall.security.Caller;
import dev.toban.oncall.people.ContactVerificationService;
import dev.toban.oncall.people.PersonService;
import dev.toban.oncall.reachability.ReachabilityService;
import dev.toban.oncall.schedule.IcalService;
import dev.toban.oncall.schedule.OnCallService;
import dev.toban.oncall.schedule.ScheduleService;
import dev.toban.plumbing.problem.ProblemException;
import dev.toban.plumbing.security.Roles;
import dev.toban.plumbing.web.Flash;
import dev.toban.plumbing.web.PageContext;
import dev.toban.plumbing.web.Pages;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import io.quarkus.security.identity.SecurityIdentity;
import io.vertx.ext.web.RoutingContext;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.jboss.resteasy.reactive.RestForm;

/** The signed-in person's page: their calendar subscription link and their upcoming shifts. */
@Path(MePageResource.PATH)
public class MePageResource {

    static final String PATH = "/ui/me";
    /** The flash that carries a new calendar link to the page, once. */
    static final String ICAL_FLASH = "ical";

    /** How far ahead "my upcoming shifts" looks. */
    static final Duration AHEAD = Duration.ofDays(28);

    public record MyShift(UUID scheduleId, String schedule, String role, String zone, Instant start, Instant end,
                          boolean override) {
    }

    /**
     * How the person is reached (issue 18): their contact methods with verification, and whether they are on
     * call soon without a verified way to wake them ({@code unreachable}).
     */
    public record Reach(List<PeoplePageResource.ContactRow> methods, boolean unreachable, String done, AddForm add) {
        public String base() {
            return PATH + "/contact-methods";
        }

        public List<String> types() {
            return PeoplePageResource.TYPES;
        }

        public List<String> urgencies() {
            return List.of(NotificationRule.ANY, "high", "low");
        }
    }

    /**
     * "Add a contact method" as typed, each field with its problem; {@code delayMinutes} blank means no rule
     * (the method is only added), else a rule uses it that many minutes after a page of {@code urgency}.
     */
    public record AddForm(String type, String address, String label, String delayMinutes, String urgency,
                          String typeError, String addressError, String labelError, String delayError,
                          String urgencyError, List<String> errors) {
        static final AddForm BLANK = new AddForm("sms", "", "", "", "high", null, null, null, null, null, List.of());
    }

    static final java.util.Set<String> DONE = java.util.Set.of("codeSent", "verified", "testSent", "methodAdded");

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance me(PageContext ctx, Person person, List<MyShift> shifts, String icalUrl,
                                          String error, Reach reach);
    }

    private final Pages pages;
    private final SecurityIdentity identity;
    private final Caller caller;
    private final ScheduleService schedules;
    private final OnCallService onCall;
    private final IcalService ical;
    private final Flash flash;
    private final PersonService people;
    private final ContactVerificationService verification;
    private final ReachabilityService reachability;
    private final Forms forms;

    public MePageResource(Pages pages, SecurityIdentity identity, Caller caller, ScheduleService schedules,
                          OnCallService onCall, IcalService ical, Flash flash, PersonService people,
                          ContactVerificationService verification, ReachabilityService reachability, Forms forms) {
        this.forms = forms;
        this.people = people;
        this.verification = verification;
        this.reachability = reachability;
        this.flash = flash;
        this.pages = pages;
        this.identity = identity;
        this.caller = caller;
        this.schedules = schedules;
        this.onCall = onCall;
        this.ical = ical;
    }

    @GET
    @RolesAllowed(Roles.VIEWER)
    @Produces(MediaType.TEXT_HTML)
    @Operation(hidden = true)
    public Response me(@QueryParam("done") String done, @Context HttpHeaders headers, RoutingContext routing) {
        Person person = caller.person().orElse(null);
        String icalUrl = person == null ? null : flash.take(routing, PATH, ICAL_FLASH, caller.username()).orElse(null);
        PageContext ctx = context(headers, routing);
        Response.ResponseBuilder page = Response.ok(Templates.me(ctx, person, shifts(person), icalUrl, null,
                        reach(ctx, person, FormErrors.NONE, Map.of(), done != null && DONE.contains(done)
                                ? "done.settings." + done : null)))
                .type(MediaType.TEXT_HTML_TYPE.withCharset("UTF-8"));
        // the one-time link must not come back from a cache (back button, shared proxy)
        return icalUrl == null ? page.build() : page.header("Cache-Control", "no-store").build();
    }

    /**
     * A new personal calendar link (replacing the previous one). Only a hash of the token is stored, so
     * the link is shown once: it goes to {@code GET /ui/me} in a one-time {@link Flash} (never in the URL),
     * and the answer is a redirect, so reloading the page never makes another link (which would turn
     * off the one just subscribed to). Viewers may do this too: it is their own calendar, the same as
     * {@code POST /api/people/{id}/ical-token}.
     */
    @POST
    @Path("/ical-link")
    @RolesAllowed(Roles.VIEWER)
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Produces(MediaType.TEXT_HTML)
    @Operation(hidden = true)
    public Response icalLink(@RestForm String csrf, @Context HttpHeaders headers, RoutingContext routing) {
        PageContext ctx = context(headers, routing);
        Person person = caller.person().orElse(null);
        if (person == null) {
            return Response.status(409).type(MediaType.TEXT_HTML_TYPE.withCharset("UTF-8"))
                    .entity(Templates.me(ctx, null, List.of(), null, ctx.t("me.noPerson"), reach(ctx, null,
                            FormErrors.NONE, Map.of(), null))).build();
        }
        try {
            String url = ical.issue(IcalService.PERSON, person.id).url();
            flash.put(routing, PATH, ICAL_FLASH, caller.username(), url);
            return Response.seeOther(URI.create(PATH)).build();
        } catch (ProblemException e) {
            return Response.status(e.status()).type(MediaType.TEXT_HTML_TYPE.withCharset("UTF-8"))
                    .entity(Templates.me(ctx, person, shifts(person), null, ProblemTexts.message(ctx, e.getMessage()),
                            reach(ctx, person, FormErrors.NONE, Map.of(), null))).build();
        }
    }

    /**
     * "Add a contact method" (and, with a delay, a rule that uses it): my profile as saved plus the new method,
     * through the same update as the person page. It starts unverified (unless it is my own Slack id or email);
     * refused, the page again with what was typed and each problem beside its field.
     */
    @POST
    @Path("/contact-methods")
    @RolesAllowed(Roles.RESPONDER)
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Produces(MediaType.TEXT_HTML)
    @Operation(hidden = true)
    public Response addMethod(@RestForm String csrf, @RestForm String type, @RestForm String address,
                              @RestForm String label, @RestForm String delayMinutes, @RestForm String urgency,
                              @Context HttpHeaders headers, RoutingContext routing) {
        PageContext ctx = context(headers, routing);
        Person person = caller.person().orElse(null);
        if (person == null) {
            return Response.status(409).type(MediaType.TEXT_HTML_TYPE.withCharset("UTF-8"))
                    .entity(Templates.me(ctx, null, List.of(), null, ctx.t("me.noPerson"), reach(ctx, null,
                            FormErrors.NONE, Map.of(), null))).build();
        }
        AddForm typed = new AddForm(nz(type), nz(address), nz(label), nz(delayMinutes),
                urgency == null || urgency.isBlank() ? NotificationRule.ANY : urgency.strip(), null, null, null, null, null,
                List.of());
        PersonService.PersonView saved = people.get(person.id);
        int methodIndex = saved.contactMethods().size();
        int ruleIndex = saved.notificationRules().size();
        try {
            PageForm check = new PageForm(Map.of());
            String newLabel = check.read("label", () -> dev.toban.plumbing.web.FormValues.line("label", typed.label(), 100));
            Integer delay = check.read("delayMinutes", () -> dev.toban.plumbing.web.FormValues.integer("delayMinutes",
                    typed.delayMinutes()));
            check.throwIfInvalid();
            UUID id = UUID.randomUUID();
            List<PersonService.ContactMethodRequest> methods = new ArrayList<>();
            saved.contactMethods().forEach(c -> methods.add(new PersonService.ContactMethodRequest(c.id(), c.type(),
                    c.address(), c.label())));
            methods.add(new PersonService.ContactMethodRequest(id, typed.type().isBlank() ? null : typed.type().strip(),
                    typed.address().strip(), newLabel));
            List<PersonService.NotificationRuleRequest> rules = new ArrayList<>();
            saved.notificationRules().forEach(r -> rules.add(new PersonService.NotificationRuleRequest(r.id(),
                    r.contactMethodId(), r.delayMinutes(), r.urgency())));
            if (delay != null) {
                rules.add(new PersonService.NotificationRuleRequest(null, id, delay, typed.urgency()));
            }
            PersonService.PersonRequest request = new PersonService.PersonRequest(saved.name(), saved.username(),
                    saved.email(), saved.slackUserId(), saved.timeZone(), saved.locale(), saved.keycloakSubject(),
                    methods, rules);
            people.update(person.id, forms.valid(request));
            return Response.seeOther(URI.create(PATH + "?done=methodAdded")).build();
        } catch (ProblemException e) {
            // the service names the new rows contactMethods[n] and notificationRules[m]: this form's fields
            FormErrors errors = FormErrors.of(ctx, FormErrors.renamed(e, field -> {
                String method = "contactMethods[" + methodIndex + "].";
                String rule = "notificationRules[" + ruleIndex + "].";
                return field.startsWith(method) ? field.substring(method.length())
                        : field.startsWith(rule) ? field.substring(rule.length()) : field;
            }));
            AddForm refused = new AddForm(typed.type(), typed.address(), typed.label(), typed.delayMinutes(),
                    typed.urgency(), errors.at("type"), errors.at("address"), errors.at("label"),
                    join(errors.at("delayMinutes"), errors.at("contactMethodId")), errors.at("urgency"), errors.others());
            Person now = caller.person().orElse(person);
            return Response.status(e.status()).type(MediaType.TEXT_HTML_TYPE.withCharset("UTF-8"))
                    .entity(Templates.me(ctx, now, shifts(now), null, null,
                            reach(ctx, now, FormErrors.NONE, Map.of(), null, refused))).build();
        }
    }

    private static String nz(String s) {
        return s == null ? "" : s;
    }

    private static String join(String a, String b) {
        return a == null ? b : b == null ? a : a + " " + b;
    }

    /** "Send a code" through one of my contact methods. */
    @POST
    @Path("/contact-methods/{methodId}/verification")
    @RolesAllowed(Roles.VIEWER)
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Produces(MediaType.TEXT_HTML)
    @Operation(hidden = true)
    public Response requestCode(@PathParam("methodId") String methodId, @RestForm String csrf,
                                @Context HttpHeaders headers, RoutingContext routing) {
        return methodAction(methodId, null, headers, routing, "codeSent", verification::requestCode);
    }

    /** The code I received: verified, or this page again with the code and its problem beside it. */
    @POST
    @Path("/contact-methods/{methodId}/verify")
    @RolesAllowed(Roles.VIEWER)
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Produces(MediaType.TEXT_HTML)
    @Operation(hidden = true)
    public Response verify(@PathParam("methodId") String methodId, @RestForm String csrf, @RestForm String code,
                           @Context HttpHeaders headers, RoutingContext routing) {
        return methodAction(methodId, code, headers, routing, "verified",
                (personId, method) -> verification.verify(personId, method, code));
    }

    /** "Send me a test page" through one of my verified methods. */
    @POST
    @Path("/contact-methods/{methodId}/test")
    @RolesAllowed(Roles.VIEWER)
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Produces(MediaType.TEXT_HTML)
    @Operation(hidden = true)
    public Response test(@PathParam("methodId") String methodId, @RestForm String csrf, @Context HttpHeaders headers,
                         RoutingContext routing) {
        return methodAction(methodId, null, headers, routing, "testSent", verification::test);
    }

    private Response methodAction(String methodId, String code, HttpHeaders headers, RoutingContext routing, String done,
                                  java.util.function.BiFunction<UUID, UUID, Object> action) {
        PageContext ctx = context(headers, routing);
        Person person = caller.person().orElse(null);
        if (person == null) {
            return Response.status(409).type(MediaType.TEXT_HTML_TYPE.withCharset("UTF-8"))
                    .entity(Templates.me(ctx, null, List.of(), null, ctx.t("me.noPerson"), reach(ctx, null,
                            FormErrors.NONE, Map.of(), null))).build();
        }
        UUID personId = person.id;
        try {
            action.apply(personId, SettingsPages.id("Contact method", methodId));
            return Response.seeOther(URI.create(PATH + "?done=" + done)).build();
        } catch (ProblemException e) {
            Person now = caller.person().orElse(person);
            int index = PeoplePageResource.indexOf(people.get(personId), methodId);
            FormErrors errors = FormErrors.of(ctx, PeoplePageResource.methodProblem(e, index));
            String general = index < 0 ? ProblemTexts.message(ctx, e.getMessage()) : null;
            return Response.status(e.status()).type(MediaType.TEXT_HTML_TYPE.withCharset("UTF-8"))
                    .entity(Templates.me(ctx, now, shifts(now), null, general,
                            reach(ctx, now, errors, Map.of(methodId, code == null ? "" : code), null))).build();
        }
    }

    /** My methods as rows (with a refused code or action beside its method), and the unreachable banner. */
    private Reach reach(PageContext ctx, Person person, FormErrors errors, Map<String, String> codes, String done) {
        return reach(ctx, person, errors, codes, done, AddForm.BLANK);
    }

    private Reach reach(PageContext ctx, Person person, FormErrors errors, Map<String, String> codes, String done,
                        AddForm add) {
        if (person == null) {
            return new Reach(List.of(), false, done, add);
        }
        PersonService.PersonView view = people.get(person.id);
        List<PeoplePageResource.ContactRow> rows = new ArrayList<>();
        for (int i = 0; i < view.contactMethods().size(); i++) {
            PersonService.ContactMethodView c = view.contactMethods().get(i);
            String p = "contactMethods[" + i + "].";
            rows.add(new PeoplePageResource.ContactRow(i, c.id().toString(), c.type(), c.address(),
                    c.label() == null ? "" : c.label(), false, false, c.approved(), false, null, null, null,
                    c.verified(), codes.getOrDefault(c.id().toString(), ""), errors.at(p + "code"),
                    errors.at(p + "action")));
        }
        return new Reach(rows, reachability.flagged(person.id), done, add);
    }

    private PageContext context(HttpHeaders headers, RoutingContext routing) {
        return pages.context(identity, headers, routing, "oncall", "me.title");
    }

    /** The person's final shifts in every schedule over the next four weeks, soonest first. */
    private List<MyShift> shifts(Person person) {
        if (person == null) {
            return List.of();
        }
        Instant now = onCall.now();
        List<MyShift> mine = new ArrayList<>();
        for (ScheduleService.ScheduleView s : schedules.list(null, null)) {
            onCall.shifts(s.id(), now, now.plus(AHEAD)).shifts().stream()
                    .filter(shift -> shift.person() != null && shift.person().id().equals(person.id))
                    .forEach(shift -> mine.add(new MyShift(s.id(), s.name(), s.role(), s.timeZone(), shift.start(),
                            shift.end(), shift.overrideId() != null)));
        }
        mine.sort(Comparator.comparing(MyShift::start));
        return mine;
    }
}

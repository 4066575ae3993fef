package dev.toban.incident.web;

import dev.toban.contracts.incident.IncidentSnapshot;
import dev.toban.contracts.incident.Severity;
import dev.toban.incident.catalog.CatalogService;
import dev.toban.incident.client.PolicyTargets;
import dev.toban.incident.directory.ActorService;
import dev.toban.incident.directory.PeopleDirectoryService;
import dev.toban.incident.directory.TeamDirectoryService;
import dev.toban.incident.escalation.ManualPaging;
import dev.toban.incident.grouping.GroupingService;
import dev.toban.incident.lifecycle.IncidentDetails;
import dev.toban.incident.lifecycle.IncidentQueries.ConsoleFacts;
import dev.toban.incident.lifecycle.IncidentQueries;
import dev.toban.incident.lifecycle.IncidentRoles.PersonRequest;
import dev.toban.incident.lifecycle.IncidentRoles.TeamAssignmentRequest;
import dev.toban.incident.lifecycle.IncidentRoles;
import dev.toban.incident.lifecycle.IncidentTransitions.DeclareRequest;
import dev.toban.incident.lifecycle.IncidentTransitions.NoteRequest;
import dev.toban.incident.lifecycle.IncidentTransitions.ReopenRequest;
import dev.toban.incident.lifecycle.IncidentTransitions;
import dev.toban.incident.lifecycle.IncidentUpdates.StatusUpdateRequest;
import dev.toban.incident.lifecycle.IncidentUpdates.UpdateRequest;
import dev.toban.incident.lifecycle.IncidentUpdates;
import dev.toban.incident.model.Person;
import dev.toban.incident.model.PolicyTargetsCache;
import dev.toban.plumbing.problem.ProblemException;
import dev.toban.plumbing.security.Roles;
import dev.toban.plumbing.web.FormValues;
import dev.toban.plumbing.web.PageContext;
import dev.toban.plumbing.web.Pages;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import io.quarkus.security.identity.SecurityIdentity;
import io.vertx.ext.web.RoutingContext;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.FormParam;
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
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;

/**
 * The incident list (live, with a "mine" filter and declaring by hand) and the IC console. The console's actions
 * call the same lifecycle methods as the REST API ({@link IncidentTransitions}, {@link IncidentUpdates},
 * {@link IncidentRoles}: same rules, timeline lines and events), then redirect back (Post/Redirect/Get); a refused
 * action shows the console again with what was typed and the problem beside its field, in the page's language.
 */
@Path("/ui/incidents")
@Produces(MediaType.TEXT_HTML)
public class IncidentPageResource {

    static final int PAGE_SIZE = 25;
    /** The API's limit for notes, status updates and impact. */
    static final int TEXT_MAX = 4000;
    static final List<String> STATES = List.of("open", "all", "triggered", "acknowledged", "mitigated", "resolved", "closed");
    /** The flash messages a redirect may ask for. */
    static final Set<String> DONE = Set.of("acknowledged", "mitigated", "resolved", "closed", "status_update",
            "commander", "liaison", "team", "joined", "impact", "details", "war_room", "reopened", "escalated",
            "repaged", "declared", "split");
    /** The console's form fields, beside which a refusal is shown. */
    static final List<String> CONSOLE_FIELDS = List.of("message", "impact", "title", "severity", "warRoomUrl", "reason",
            "teamId", "liaisonId", "commanderId");
    static final List<String> DECLARE_FIELDS = List.of("serviceId", "severity", "title", "impact");

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance list(PageContext ctx, Times times, Filter filter, List<IncidentSnapshot> incidents,
                                            boolean hasNext, List<CatalogService.ServiceView> services,
                                            List<TeamDirectoryService.TeamView> teams, List<String> states,
                                            Severity[] severities, List<String> errors, DeclareForm declare,
                                            FormErrors declareErrors, List<CatalogService.ServiceView> declarable,
                                            boolean notInDirectory);

        static native TemplateInstance rows(PageContext ctx, Times times, Filter filter, List<IncidentSnapshot> incidents,
                                            boolean hasNext);

        static native TemplateInstance console(PageContext ctx, Times times, Console console, List<Person> people,
                                               List<TeamDirectoryService.TeamView> teams, String notice,
                                               FormErrors errors, ConsoleForm form, Severity[] severities);

        static native TemplateInstance live(PageContext ctx, Times times, Console console);
    }

    /** The list's filters as the query gave them, and links to its neighbour pages. */
    public record Filter(String state, String severity, String service, String team, boolean mine, String month,
                         int page) {
        public String query(int otherPage) {
            StringBuilder q = new StringBuilder("?state=").append(enc(state));
            if (severity != null) {
                q.append("&severity=").append(enc(severity));
            }
            if (service != null) {
                q.append("&service=").append(enc(service));
            }
            if (team != null) {
                q.append("&team=").append(enc(team));
            }
            if (mine) {
                q.append("&mine=true");
            }
            if (month != null) {
                q.append("&month=").append(enc(month));
            }
            return q.append("&page=").append(otherPage).toString();
        }

        /** The same list, this page: what the live part reloads. */
        public String current() {
            return query(page);
        }

        public boolean isSeverity(Severity value) {
            return value.name().equals(severity);
        }

        public boolean isService(UUID id) {
            return id.toString().equals(service);
        }

        public boolean isTeam(UUID id) {
            return id.toString().equals(team);
        }

        public String previous() {
            return query(page - 1);
        }

        public String next() {
            return query(page + 1);
        }

        private static String enc(String value) {
            return URLEncoder.encode(value, StandardCharsets.UTF_8);
        }
    }

    /** The declare form as sent. */
    public record DeclareForm(String serviceId, String severity, String title, String impact) {
        static final DeclareForm EMPTY = new DeclareForm("", "SEV3", "", "");

        public boolean isService(UUID id) {
            return id.toString().equals(serviceId);
        }

        public boolean isSeverity(Severity value) {
            return value.name().equals(severity);
        }
    }

    /** What the console's forms show: what was typed when refused, else the incident's values. */
    public record ConsoleForm(String message, String impact, String title, String severity, String warRoomUrl,
                              String reason) {
        static ConsoleForm of(IncidentSnapshot i) {
            return new ConsoleForm("", i.impact() == null ? "" : i.impact(), i.title(), i.severity().name(),
                    i.warRoomUrl() == null ? "" : i.warRoomUrl(), "");
        }

        ConsoleForm with(String field, String value) {
            String v = value == null ? "" : value;
            return switch (field) {
                case "message" -> new ConsoleForm(v, impact, title, severity, warRoomUrl, reason);
                case "impact" -> new ConsoleForm(message, v, title, severity, warRoomUrl, reason);
                case "title" -> new ConsoleForm(message, impact, v, severity, warRoomUrl, reason);
                case "severity" -> new ConsoleForm(message, impact, title, v, warRoomUrl, reason);
                case "warRoomUrl" -> new ConsoleForm(message, impact, title, severity, v, reason);
                case "reason" -> new ConsoleForm(message, impact, title, severity, warRoomUrl, v);
                default -> this;
            };
        }

        public boolean isSeverity(Severity value) {
            return value.name().equals(severity);
        }
    }

    /** A refused console form: the values typed, by field. */
    private record Typed(String field, String value) {
    }

    private final Pages pages;
    private final SecurityIdentity identity;
    private final IncidentQueries queries;
    private final IncidentTransitions transitions;
    private final IncidentUpdates updates;
    private final IncidentRoles roles;
    private final ManualPaging paging;
    private final CatalogService catalog;
    private final TeamDirectoryService teams;
    private final PeopleDirectoryService people;
    private final ActorService actors;
    private final PolicyTargetsCache policies;
    private final Forms forms;
    private final ReaderTimes times;

    private final GroupingService grouping;

    public IncidentPageResource(Pages pages, SecurityIdentity identity, IncidentQueries queries,
                                IncidentTransitions transitions, IncidentUpdates updates, IncidentRoles roles,
                                ManualPaging paging, CatalogService catalog, TeamDirectoryService teams, PeopleDirectoryService people, ActorService actors,
                                PolicyTargetsCache policies, Forms forms, ReaderTimes times, GroupingService grouping) {
        this.grouping = grouping;
        this.pages = pages;
        this.identity = identity;
        this.queries = queries;
        this.transitions = transitions;
        this.updates = updates;
        this.roles = roles;
        this.paging = paging;
        this.catalog = catalog;
        this.teams = teams;
        this.people = people;
        this.actors = actors;
        this.policies = policies;
        this.forms = forms;
        this.times = times;
    }

    // ------------------------------------------------------------------ the list

    /** What a list query asked for, read once for the page and for its live part. */
    private record Listing(Filter filter, List<IncidentSnapshot> incidents, boolean hasNext, List<String> errors,
                           boolean notInDirectory) {
    }

    @GET
    @RolesAllowed(Roles.VIEWER)
    @Operation(hidden = true)
    public Response list(@Context HttpHeaders headers, RoutingContext routing,
                         @QueryParam("state") @DefaultValue("open") String state, @QueryParam("severity") String severity,
                         @QueryParam("service") String service, @QueryParam("team") String team,
                         @QueryParam("mine") String mine, @QueryParam("month") String month,
                         @QueryParam("page") @DefaultValue("0") String page) {
        PageContext ctx = pages.context(identity, headers, routing, "incidents", "incidents.title");
        Listing listing = listing(ctx, state, severity, service, team, mine, month, page);
        return Response.status(listing.errors().isEmpty() ? 200 : 400)
                .entity(listPage(ctx, listing, DeclareForm.EMPTY, FormErrors.NONE)).build();
    }

    /** The list's rows, which toban.js reloads every few seconds (new incidents, changed states). */
    @GET
    @Path("/rows")
    @RolesAllowed(Roles.VIEWER)
    @Operation(hidden = true)
    public Response rows(@Context HttpHeaders headers, RoutingContext routing,
                         @QueryParam("state") @DefaultValue("open") String state, @QueryParam("severity") String severity,
                         @QueryParam("service") String service, @QueryParam("team") String team,
                         @QueryParam("mine") String mine, @QueryParam("month") String month,
                         @QueryParam("page") @DefaultValue("0") String page) {
        PageContext ctx = pages.context(identity, headers, routing, "incidents", "incidents.title");
        Listing listing = listing(ctx, state, severity, service, team, mine, month, page);
        return Response.status(listing.errors().isEmpty() ? 200 : 400)
                .entity(Templates.rows(ctx, times.of(ctx), listing.filter(), listing.incidents(), listing.hasNext())).build();
    }

    /** Declares an incident by hand (service, severity, title): its on-call becomes IC as for any incident. */
    @POST
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @RolesAllowed(Roles.RESPONDER)
    @Operation(hidden = true)
    public Response declare(@Context HttpHeaders headers, RoutingContext routing, @FormParam("serviceId") String serviceId,
                            @FormParam("severity") String severity, @FormParam("title") String title,
                            @FormParam("impact") String impact) {
        DeclareForm form = new DeclareForm(serviceId, severity, title, impact);
        try {
            FieldProblems problems = new FieldProblems();
            UUID service = problems.read(() -> FormValues.uuid("serviceId", serviceId));
            Severity sev = problems.read(() -> severity(severity));
            String line = problems.read(() -> FormValues.line("title", title, 1024));
            String text = problems.read(() -> FormValues.text("impact", impact, TEXT_MAX));
            DeclareRequest request = new DeclareRequest(service, line, sev, text);
            problems.read(() -> forms.valid(request));
            problems.throwIfAny();
            IncidentSnapshot declared = transitions.declare(request);
            return Response.seeOther(URI.create("/ui/incidents/" + declared.id() + "?done=declared")).build();
        } catch (ProblemException e) {
            PageContext ctx = pages.context(identity, headers, routing, "incidents", "incidents.title");
            Listing listing = listing(ctx, "open", null, null, null, null, null, "0");
            FormErrors errors = FormErrors.of(ctx, e, DECLARE_FIELDS, f -> f);
            return Response.status(e.status()).type(MediaType.TEXT_HTML_TYPE)
                    .entity(listPage(ctx, listing, form, errors)).build();
        }
    }

    private Listing listing(PageContext ctx, String state, String severity, String service, String team, String mine,
                            String month, String page) {
        boolean onlyMine = "true".equals(mine);
        Filter filter = new Filter(STATES.contains(state) ? state : "open", blankToNull(severity), blankToNull(service),
                blankToNull(team), onlyMine, blankToNull(month), 0);
        List<String> errors = new ArrayList<>();
        if (!STATES.contains(state)) {
            errors.add(ctx.t("incidents.error.state"));
        }
        Severity wantedSeverity = null;
        if (filter.severity() != null) {
            try {
                wantedSeverity = Severity.valueOf(filter.severity());
            } catch (IllegalArgumentException e) {
                errors.add(ctx.t("incidents.error.severity"));
            }
        }
        UUID serviceId = null;
        UUID teamId = null;
        int pageIndex = 0;
        try {
            serviceId = FormValues.uuid("service", filter.service());
            teamId = FormValues.uuid("team", filter.team());
            pageIndex = Integer.parseInt(page.strip());
            if (pageIndex < 0 || pageIndex > 10_000) {
                throw new NumberFormatException();
            }
        } catch (ProblemException | NumberFormatException e) {
            errors.add(ctx.t("incidents.error.filter"));
        }
        Instant from = null;
        Instant to = null;
        if (filter.month() != null) {
            try {
                // the month in the reader's time zone, as the downtime page counts it
                ZonedDateTime start = YearMonth.parse(filter.month()).atDay(1).atStartOfDay(times.of(ctx).zone());
                from = start.toInstant();
                to = start.plusMonths(1).toInstant();
            } catch (DateTimeException e) {
                errors.add(ctx.t("incidents.error.month"));
            }
        }
        UUID me = null;
        boolean notInDirectory = false;
        if (onlyMine) {
            Optional<Person> person = actors.currentPerson();
            notInDirectory = person.isEmpty();
            me = person.map(p -> p.id).orElse(null);
        }
        List<IncidentSnapshot> found = List.of();
        boolean hasNext = false;
        if (errors.isEmpty() && !notInDirectory) {
            filter = new Filter(filter.state(), filter.severity(), filter.service(), filter.team(), onlyMine,
                    filter.month(), pageIndex);
            found = queries.page(new IncidentQueries.PageFilter(filter.state(), wantedSeverity, serviceId, teamId, me,
                    from, to), pageIndex, PAGE_SIZE + 1);
            hasNext = found.size() > PAGE_SIZE;
            found = hasNext ? found.subList(0, PAGE_SIZE) : found;
        }
        return new Listing(filter, found, hasNext, errors, notInDirectory);
    }

    private TemplateInstance listPage(PageContext ctx, Listing listing, DeclareForm declare, FormErrors declareErrors) {
        List<CatalogService.ServiceView> all = catalog.list(true, null, null);
        List<CatalogService.ServiceView> active = all.stream().filter(s -> s.archivedAt() == null).toList();
        return Templates.list(ctx, times.of(ctx), listing.filter(), listing.incidents(), listing.hasNext(), all,
                teams.list(), STATES, Severity.values(), listing.errors(), declare, declareErrors, active,
                listing.notInDirectory());
    }

    // ------------------------------------------------------------------ the IC console

    @GET
    @Path("/{id}")
    @RolesAllowed(Roles.VIEWER)
    @Operation(hidden = true)
    public TemplateInstance console(@Context HttpHeaders headers, RoutingContext routing, @PathParam("id") String id,
                                    @QueryParam("done") String done) {
        PageContext ctx = context(headers, routing);
        UUID incident = id(id);
        String notice = done != null && DONE.contains(done) ? ctx.t("console.done." + done) : null;
        return consolePage(ctx, incident, notice, FormErrors.NONE, null);
    }

    /** The live part of the console (state, roles, duties, timeline), which toban.js reloads every few seconds. */
    @GET
    @Path("/{id}/live")
    @RolesAllowed(Roles.VIEWER)
    @Operation(hidden = true)
    public TemplateInstance live(@Context HttpHeaders headers, RoutingContext routing, @PathParam("id") String id) {
        PageContext ctx = context(headers, routing);
        return Templates.live(ctx, times.of(ctx), load(ctx, id(id)));
    }

    @POST
    @Path("/{id}/acknowledge")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @RolesAllowed(Roles.RESPONDER)
    @Operation(hidden = true)
    public Response acknowledge(@Context HttpHeaders headers, RoutingContext routing, @PathParam("id") String id) {
        UUID incident = id(id);
        return act(headers, routing, incident, "acknowledged", null, () -> transitions.acknowledge(incident));
    }

    @POST
    @Path("/{id}/mitigate")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @RolesAllowed(Roles.RESPONDER)
    @Operation(hidden = true)
    public Response mitigate(@Context HttpHeaders headers, RoutingContext routing, @PathParam("id") String id,
                             @FormParam("note") String note) {
        UUID incident = id(id);
        return act(headers, routing, incident, "mitigated", null,
                () -> transitions.mitigate(incident, forms.valid(new NoteRequest(note(note)))));
    }

    @POST
    @Path("/{id}/resolve")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @RolesAllowed(Roles.RESPONDER)
    @Operation(hidden = true)
    public Response resolve(@Context HttpHeaders headers, RoutingContext routing, @PathParam("id") String id,
                            @FormParam("note") String note) {
        UUID incident = id(id);
        return act(headers, routing, incident, "resolved", null,
                () -> transitions.resolve(incident, forms.valid(new NoteRequest(note(note)))));
    }

    /** 解散宣言: the IC declares the response disbanded (the API's close). */
    @POST
    @Path("/{id}/close")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @RolesAllowed(Roles.RESPONDER)
    @Operation(hidden = true)
    public Response close(@Context HttpHeaders headers, RoutingContext routing, @PathParam("id") String id,
                          @FormParam("note") String note) {
        UUID incident = id(id);
        return act(headers, routing, incident, "closed", null,
                () -> transitions.close(incident, forms.valid(new NoteRequest(note(note)))));
    }

    /** Reopens a resolved or disbanded incident, with the reason (the API's reopen). */
    @POST
    @Path("/{id}/reopen")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @RolesAllowed(Roles.RESPONDER)
    @Operation(hidden = true)
    public Response reopen(@Context HttpHeaders headers, RoutingContext routing, @PathParam("id") String id,
                           @FormParam("reason") String reason) {
        UUID incident = id(id);
        return act(headers, routing, incident, "reopened", new Typed("reason", reason),
                () -> transitions.reopen(incident, forms.valid(new ReopenRequest(FormValues.text("reason", reason, TEXT_MAX)))));
    }

    @POST
    @Path("/{id}/status-update")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @RolesAllowed(Roles.RESPONDER)
    @Operation(hidden = true)
    public Response statusUpdate(@Context HttpHeaders headers, RoutingContext routing, @PathParam("id") String id,
                                 @FormParam("message") String message) {
        UUID incident = id(id);
        return act(headers, routing, incident, "status_update", new Typed("message", message),
                () -> updates.postStatusUpdate(incident, forms.valid(new StatusUpdateRequest(
                        FormValues.text("message", message, TEXT_MAX)))));
    }

    /** The IC changes the title and the severity (SOS start at a severity from the reporter's answers). */
    @POST
    @Path("/{id}/details")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @RolesAllowed(Roles.RESPONDER)
    @Operation(hidden = true)
    public Response details(@Context HttpHeaders headers, RoutingContext routing, @PathParam("id") String id,
                            @FormParam("title") String title, @FormParam("severity") String severity) {
        UUID incident = id(id);
        return act(headers, routing, incident, "details", new Typed("title", title), () -> {
            FieldProblems problems = new FieldProblems();
            String line = problems.read(() -> FormValues.required("title", FormValues.line("title", title, 1024)));
            Severity sev = problems.read(() -> FormValues.required("severity", severity(severity)));
            problems.throwIfAny();
            updates.update(incident, forms.valid(new UpdateRequest(line, sev, null)));
        });
    }

    /** Sets or changes the war-room link (it starts as the owning team's default room). */
    @POST
    @Path("/{id}/war-room")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @RolesAllowed(Roles.RESPONDER)
    @Operation(hidden = true)
    public Response warRoom(@Context HttpHeaders headers, RoutingContext routing, @PathParam("id") String id,
                            @FormParam("warRoomUrl") String warRoomUrl) {
        UUID incident = id(id);
        return act(headers, routing, incident, "war_room", new Typed("warRoomUrl", warRoomUrl), () -> {
            String url = FormValues.required("warRoomUrl", FormValues.line("warRoomUrl", warRoomUrl, 2000));
            updates.update(incident, forms.valid(new UpdateRequest(null, null, null, url)));
        });
    }

    /** エスカレート: pages the next level of the escalation policy at once. */
    @POST
    @Path("/{id}/escalate")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @RolesAllowed(Roles.RESPONDER)
    @Operation(hidden = true)
    public Response escalate(@Context HttpHeaders headers, RoutingContext routing, @PathParam("id") String id) {
        UUID incident = id(id);
        return act(headers, routing, incident, "escalated", null, () -> paging.escalateNow(incident));
    }

    /** Pages everyone on call at the level last paged, again. */
    @POST
    @Path("/{id}/repage")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @RolesAllowed(Roles.RESPONDER)
    @Operation(hidden = true)
    public Response repage(@Context HttpHeaders headers, RoutingContext routing, @PathParam("id") String id) {
        UUID incident = id(id);
        return act(headers, routing, incident, "repaged", null, () -> paging.repage(incident));
    }

    @POST
    @Path("/{id}/commander")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @RolesAllowed(Roles.RESPONDER)
    @Operation(hidden = true)
    public Response commander(@Context HttpHeaders headers, RoutingContext routing, @PathParam("id") String id,
                              @FormParam("personId") String personId) {
        UUID incident = id(id);
        return act(headers, routing, incident, "commander", new Typed("commanderId", null), () -> roles.setCommander(
                incident, new PersonRequest(FormValues.required("personId", FormValues.uuid("personId", personId)), null)));
    }

    @POST
    @Path("/{id}/liaison")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @RolesAllowed(Roles.RESPONDER)
    @Operation(hidden = true)
    public Response liaison(@Context HttpHeaders headers, RoutingContext routing, @PathParam("id") String id,
                            @FormParam("personId") String personId) {
        UUID incident = id(id);
        return act(headers, routing, incident, "liaison", new Typed("liaisonId", null), () -> roles.setLiaison(
                incident, new PersonRequest(FormValues.required("personId", FormValues.uuid("personId", personId)), null)));
    }

    /** Records the business impact, which the IC confirms with the business side. */
    @POST
    @Path("/{id}/impact")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @RolesAllowed(Roles.RESPONDER)
    @Operation(hidden = true)
    public Response impact(@Context HttpHeaders headers, RoutingContext routing, @PathParam("id") String id,
                           @FormParam("impact") String impact) {
        UUID incident = id(id);
        return act(headers, routing, incident, "impact", new Typed("impact", impact), () -> {
            String text = FormValues.text("impact", impact, TEXT_MAX);
            updates.update(incident, forms.valid(new UpdateRequest(null, null, text == null ? "" : text)));
        });
    }

    /** Assigns a team as the owning team (an IC duty of the seed). */
    @POST
    @Path("/{id}/team")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @RolesAllowed(Roles.RESPONDER)
    @Operation(hidden = true)
    public Response team(@Context HttpHeaders headers, RoutingContext routing, @PathParam("id") String id,
                         @FormParam("teamId") String teamId) {
        UUID incident = id(id);
        return act(headers, routing, incident, "team", new Typed("teamId", null), () -> roles.assignTeam(incident,
                new TeamAssignmentRequest(FormValues.required("teamId", FormValues.uuid("teamId", teamId)), true)));
    }

    /** The signed-in responder joins the response (what "gathering people in the war room" records). */
    @POST
    @Path("/{id}/join")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @RolesAllowed(Roles.RESPONDER)
    @Operation(hidden = true)
    public Response join(@Context HttpHeaders headers, RoutingContext routing, @PathParam("id") String id) {
        UUID incident = id(id);
        return act(headers, routing, incident, "joined", null, () -> roles.addResponder(incident,
                new PersonRequest(null, null)));
    }

    /** Splits a grouped alert off into its own incident; the new incident's console follows. */
    @POST
    @Path("/{id}/alerts/{alertId}/split")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @RolesAllowed(Roles.RESPONDER)
    @Operation(hidden = true)
    public Response splitAlert(@Context HttpHeaders headers, RoutingContext routing, @PathParam("id") String id,
                               @PathParam("alertId") String alertId) {
        UUID incident = id(id);
        UUID alert = id(alertId);
        UUID[] created = new UUID[1];
        Response answer = act(headers, routing, incident, "split", null,
                () -> created[0] = grouping.split(incident, alert).id());
        return created[0] == null ? answer
                : Response.seeOther(URI.create("/ui/incidents/" + created[0] + "?done=split")).build();
    }

    // ------------------------------------------------------------------ helpers

    /**
     * Runs one console action. The service's rules answer as the REST API does (400 bad input, 403 not the IC,
     * 409 illegal transition, 503 oncall-service cannot say): the console again with that status, what was typed
     * ({@code typed}) and the problem beside its field in the page's language; its transaction rolled back.
     */
    private Response act(HttpHeaders headers, RoutingContext routing, UUID id, String done, Typed typed, Runnable action) {
        try {
            action.run();
        } catch (ProblemException e) {
            if (e.status() == 404 && e.errors().isEmpty()) {
                throw new PageNotFoundException("incident");
            }
            PageContext ctx = context(headers, routing);
            // the form's own field names: personId belongs to whichever person form was sent
            String formField = typed == null ? null : typed.field();
            FormErrors errors = FormErrors.of(ctx, e, CONSOLE_FIELDS,
                    f -> "personId".equals(f) || "teamId".equals(f) ? formField : f);
            Response.ResponseBuilder answer = Response.status(e.status()).type(MediaType.TEXT_HTML_TYPE)
                    .entity(consolePage(ctx, id, null, errors, typed));
            if (e.status() == 503) {
                answer.header("Retry-After", "10");
            }
            return answer.build();
        }
        return Response.seeOther(URI.create("/ui/incidents/" + id + "?done=" + done)).build();
    }

    private TemplateInstance consolePage(PageContext ctx, UUID id, String notice, FormErrors errors, Typed typed) {
        Console console = load(ctx, id);
        PageContext titled = ctx.with("incidents", "#" + console.incident().number() + " " + console.incident().title());
        // archived teams are no new assignments; the incident's own owning team stays shown
        UUID owning = console.incident().owningTeam() == null ? null : console.incident().owningTeam().id();
        List<TeamDirectoryService.TeamView> assignable = teams.list().stream()
                .filter(t -> t.archivedAt() == null || t.id().equals(owning)).toList();
        ConsoleForm form = ConsoleForm.of(console.incident());
        if (typed != null && typed.value() != null) {
            form = form.with(typed.field(), typed.value());
        }
        return Templates.console(titled, times.of(ctx), console, people.list(), assignable, notice, errors, form,
                Severity.values());
    }

    private Console load(PageContext ctx, UUID id) {
        IncidentDetails details;
        ConsoleFacts facts;
        try {
            details = queries.get(id);
            facts = queries.consoleFacts(id);
        } catch (ProblemException e) {
            throw new PageNotFoundException("incident");
        }
        String teamRoom = details.incident().owningTeam() == null ? null
                : teams.warRoomUrl(details.incident().owningTeam().id());
        return Console.of(details, queries.timeline(id), facts, paging(facts), teamRoom, Instant.now(),
                new TimelineTexts(ctx, times.of(ctx)));
    }

    /** The policy and its schedules by name, from oncall-service's last answer kept here (no call per page view). */
    private Console.Paging paging(ConsoleFacts facts) {
        if (facts.escalationPolicyId() == null) {
            return new Console.Paging(null, List.of(), facts.pageLevel(), null);
        }
        int level = facts.pageLevel() == null ? 1 : facts.pageLevel();
        Optional<PolicyTargets> answer = policies.find(facts.escalationPolicyId(), level)
                .or(() -> policies.find(facts.escalationPolicyId(), 1));
        String name = answer.map(PolicyTargets::policyName).orElse(null);
        List<Console.Link> schedules = answer.map(a -> a.targets() == null ? List.<Console.Link>of() : a.targets().stream()
                .filter(t -> "schedule".equals(t.type()) && t.id() != null)
                .map(t -> new Console.Link(t.id(), t.name())).toList()).orElse(List.of());
        return new Console.Paging(new Console.Link(facts.escalationPolicyId(), name), schedules, facts.pageLevel(),
                answer.map(PolicyTargets::levels).filter(n -> n > 0).orElse(null));
    }

    private PageContext context(HttpHeaders headers, RoutingContext routing) {
        return pages.context(identity, headers, routing, "incidents", "console.title");
    }

    /** An incident id from the path; anything else is the not-found page. */
    private static UUID id(String value) {
        try {
            return UUID.fromString(value.strip());
        } catch (IllegalArgumentException e) {
            throw new PageNotFoundException("incident");
        }
    }

    private static Severity severity(String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return Severity.valueOf(value.strip());
        } catch (IllegalArgumentException e) {
            throw ProblemException.invalid("severity", "must be one of SEV1, SEV2, SEV3, SEV4");
        }
    }

    /** Multi-line text of the console's forms: the same rule as the API's JSON (no control characters). */
    private static String note(String value) {
        return FormValues.text("note", value, TEXT_MAX);
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.strip();
    }
}

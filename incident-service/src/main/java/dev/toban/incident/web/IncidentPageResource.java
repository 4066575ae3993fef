package dev.toban.incident.web;

import dev.toban.incident.model.IncidentState;
import dev.toban.incident.model.Person;
import dev.toban.incident.model.Severity;
import dev.toban.incident.service.CatalogService;
import dev.toban.incident.service.IncidentService;
import dev.toban.incident.service.IncidentService.NoteRequest;
import dev.toban.incident.service.IncidentService.PersonRequest;
import dev.toban.incident.service.IncidentService.StatusUpdateRequest;
import dev.toban.incident.service.IncidentService.TeamAssignmentRequest;
import dev.toban.incident.service.IncidentService.UpdateRequest;
import dev.toban.incident.service.IncidentSnapshot;
import dev.toban.incident.service.PeopleDirectoryService;
import dev.toban.incident.service.TeamDirectoryService;
import dev.toban.plumbing.problem.ProblemException;
import dev.toban.plumbing.security.Roles;
import dev.toban.plumbing.web.PageContext;
import dev.toban.plumbing.web.FormValues;
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
import jakarta.ws.rs.NotFoundException;
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
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;

/**
 * The incident list and the IC console. The console's actions call the same {@link IncidentService}
 * methods as the REST API (same rules, timeline lines and events), then redirect back (Post/Redirect/Get).
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
            "commander", "liaison", "team", "joined", "impact");

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance list(PageContext ctx, Times times, Filter filter, List<IncidentSnapshot> incidents,
                                            boolean hasNext, List<CatalogService.ServiceView> services,
                                            List<TeamDirectoryService.TeamView> teams, List<String> states,
                                            Severity[] severities, List<String> errors);

        static native TemplateInstance console(PageContext ctx, Times times, Console console, List<Person> people,
                                               List<TeamDirectoryService.TeamView> teams, String notice,
                                               List<String> errors);

        static native TemplateInstance live(PageContext ctx, Times times, Console console);
    }

    /** The list's filters as the query gave them, and links to its neighbour pages. */
    public record Filter(String state, String severity, String service, String team, int page) {
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
            return q.append("&page=").append(otherPage).toString();
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

    private final Pages pages;
    private final SecurityIdentity identity;
    private final IncidentService incidents;
    private final CatalogService catalog;
    private final TeamDirectoryService teams;
    private final PeopleDirectoryService people;
    private final Forms forms;
    private final ReaderTimes times;

    public IncidentPageResource(Pages pages, SecurityIdentity identity, IncidentService incidents, CatalogService catalog,
                                TeamDirectoryService teams, PeopleDirectoryService people, Forms forms,
                                ReaderTimes times) {
        this.pages = pages;
        this.identity = identity;
        this.incidents = incidents;
        this.catalog = catalog;
        this.teams = teams;
        this.people = people;
        this.forms = forms;
        this.times = times;
    }

    // ------------------------------------------------------------------ the list

    @GET
    @RolesAllowed(Roles.VIEWER)
    @Operation(hidden = true)
    public Response list(@Context HttpHeaders headers, RoutingContext routing,
                         @QueryParam("state") @DefaultValue("open") String state, @QueryParam("severity") String severity,
                         @QueryParam("service") String service, @QueryParam("team") String team,
                         @QueryParam("page") @DefaultValue("0") String page) {
        PageContext ctx = pages.context(identity, headers, routing, "incidents", "incidents.title");
        Filter filter = new Filter(STATES.contains(state) ? state : "open", blankToNull(severity), blankToNull(service),
                blankToNull(team), 0);
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
        List<IncidentSnapshot> found = List.of();
        boolean hasNext = false;
        if (errors.isEmpty()) {
            filter = new Filter(filter.state(), filter.severity(), filter.service(), filter.team(), pageIndex);
            found = incidents.page(filter.state(), wantedSeverity, serviceId, teamId, pageIndex, PAGE_SIZE + 1);
            hasNext = found.size() > PAGE_SIZE;
            found = hasNext ? found.subList(0, PAGE_SIZE) : found;
        }
        TemplateInstance html = Templates.list(ctx, times.of(ctx), filter, found, hasNext, catalog.list(true, null, null), teams.list(),
                STATES, Severity.values(), errors);
        return Response.status(errors.isEmpty() ? 200 : 400).entity(html).build();
    }

    // ------------------------------------------------------------------ the IC console

    @GET
    @Path("/{id}")
    @RolesAllowed(Roles.VIEWER)
    @Operation(hidden = true)
    public TemplateInstance console(@Context HttpHeaders headers, RoutingContext routing, @PathParam("id") UUID id,
                                    @QueryParam("done") String done) {
        PageContext ctx = context(headers, routing);
        String notice = done != null && DONE.contains(done) ? ctx.t("console.done." + done) : null;
        return consolePage(ctx, id, notice, List.of());
    }

    /** The live part of the console (state, roles, duties, timeline), which toban.js reloads every few seconds. */
    @GET
    @Path("/{id}/live")
    @RolesAllowed(Roles.VIEWER)
    @Operation(hidden = true)
    public TemplateInstance live(@Context HttpHeaders headers, RoutingContext routing, @PathParam("id") UUID id) {
        PageContext ctx = context(headers, routing);
        return Templates.live(ctx, times.of(ctx), load(id));
    }

    @POST
    @Path("/{id}/acknowledge")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @RolesAllowed(Roles.RESPONDER)
    @Operation(hidden = true)
    public Response acknowledge(@Context HttpHeaders headers, RoutingContext routing, @PathParam("id") UUID id) {
        return act(headers, routing, id, "acknowledged", () -> incidents.acknowledge(id));
    }

    @POST
    @Path("/{id}/mitigate")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @RolesAllowed(Roles.RESPONDER)
    @Operation(hidden = true)
    public Response mitigate(@Context HttpHeaders headers, RoutingContext routing, @PathParam("id") UUID id,
                             @FormParam("note") String note) {
        return act(headers, routing, id, "mitigated", () -> incidents.mitigate(id, forms.valid(new NoteRequest(note(note)))));
    }

    @POST
    @Path("/{id}/resolve")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @RolesAllowed(Roles.RESPONDER)
    @Operation(hidden = true)
    public Response resolve(@Context HttpHeaders headers, RoutingContext routing, @PathParam("id") UUID id,
                            @FormParam("note") String note) {
        return act(headers, routing, id, "resolved", () -> incidents.resolve(id, forms.valid(new NoteRequest(note(note)))));
    }

    /** 解散宣言: the IC declares the response disbanded (the API's close). */
    @POST
    @Path("/{id}/close")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @RolesAllowed(Roles.RESPONDER)
    @Operation(hidden = true)
    public Response close(@Context HttpHeaders headers, RoutingContext routing, @PathParam("id") UUID id,
                          @FormParam("note") String note) {
        return act(headers, routing, id, "closed", () -> incidents.close(id, forms.valid(new NoteRequest(note(note)))));
    }

    @POST
    @Path("/{id}/status-update")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @RolesAllowed(Roles.RESPONDER)
    @Operation(hidden = true)
    public Response statusUpdate(@Context HttpHeaders headers, RoutingContext routing, @PathParam("id") UUID id,
                                 @FormParam("message") String message) {
        return act(headers, routing, id, "status_update",
                () -> incidents.postStatusUpdate(id, forms.valid(new StatusUpdateRequest(
                        FormValues.text("message", message, TEXT_MAX)))));
    }

    @POST
    @Path("/{id}/commander")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @RolesAllowed(Roles.RESPONDER)
    @Operation(hidden = true)
    public Response commander(@Context HttpHeaders headers, RoutingContext routing, @PathParam("id") UUID id,
                              @FormParam("personId") String personId) {
        return act(headers, routing, id, "commander", () -> incidents.setCommander(id,
                new PersonRequest(FormValues.required("personId", FormValues.uuid("personId", personId)), null)));
    }

    @POST
    @Path("/{id}/liaison")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @RolesAllowed(Roles.RESPONDER)
    @Operation(hidden = true)
    public Response liaison(@Context HttpHeaders headers, RoutingContext routing, @PathParam("id") UUID id,
                            @FormParam("personId") String personId) {
        return act(headers, routing, id, "liaison", () -> incidents.setLiaison(id,
                new PersonRequest(FormValues.required("personId", FormValues.uuid("personId", personId)), null)));
    }

    /** Records the business impact, which the IC confirms with the business side. */
    @POST
    @Path("/{id}/impact")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @RolesAllowed(Roles.RESPONDER)
    @Operation(hidden = true)
    public Response impact(@Context HttpHeaders headers, RoutingContext routing, @PathParam("id") UUID id,
                           @FormParam("impact") String impact) {
        return act(headers, routing, id, "impact", () -> {
            String text = FormValues.text("impact", impact, TEXT_MAX);
            incidents.update(id, forms.valid(new UpdateRequest(null, null, text == null ? "" : text)));
        });
    }

    /** Assigns a team as the owning team (an IC duty of the seed). */
    @POST
    @Path("/{id}/team")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @RolesAllowed(Roles.RESPONDER)
    @Operation(hidden = true)
    public Response team(@Context HttpHeaders headers, RoutingContext routing, @PathParam("id") UUID id,
                         @FormParam("teamId") String teamId) {
        return act(headers, routing, id, "team", () -> incidents.assignTeam(id,
                new TeamAssignmentRequest(FormValues.required("teamId", FormValues.uuid("teamId", teamId)), true)));
    }

    /** The signed-in responder joins the response (what "gathering people in the war room" records). */
    @POST
    @Path("/{id}/join")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @RolesAllowed(Roles.RESPONDER)
    @Operation(hidden = true)
    public Response join(@Context HttpHeaders headers, RoutingContext routing, @PathParam("id") UUID id) {
        return act(headers, routing, id, "joined", () -> incidents.addResponder(id, new PersonRequest(null, null)));
    }

    // ------------------------------------------------------------------ helpers

    /**
     * Runs one console action. The service's rules answer as the REST API does (400 bad input, 403 not the IC,
     * 409 illegal transition): the console again with the message and that status; its transaction rolled back.
     */
    private Response act(HttpHeaders headers, RoutingContext routing, UUID id, String done, Runnable action) {
        try {
            action.run();
        } catch (ProblemException e) {
            if (e.status() == 404) {
                throw new NotFoundException();
            }
            PageContext ctx = context(headers, routing);
            return Response.status(e.status()).type(MediaType.TEXT_HTML_TYPE)
                    .entity(consolePage(ctx, id, null, FormValues.messages(e))).build();
        }
        return Response.seeOther(URI.create("/ui/incidents/" + id + "?done=" + done)).build();
    }

    private TemplateInstance consolePage(PageContext ctx, UUID id, String notice, List<String> errors) {
        Console console = load(id);
        PageContext titled = ctx.with("incidents", "#" + console.incident().number() + " " + console.incident().title());
        // archived teams are no new assignments; the incident's own owning team stays shown
        UUID owning = console.incident().owningTeam() == null ? null : console.incident().owningTeam().id();
        List<TeamDirectoryService.TeamView> assignable = teams.list().stream()
                .filter(t -> t.archivedAt() == null || t.id().equals(owning)).toList();
        return Templates.console(titled, times.of(ctx), console, people.list(), assignable, notice, errors);
    }

    private Console load(UUID id) {
        try {
            return Console.of(incidents.get(id), incidents.timeline(id), incidents.nextStatusUpdateDue(id), Instant.now());
        } catch (ProblemException e) {
            throw new NotFoundException();
        }
    }

    private PageContext context(HttpHeaders headers, RoutingContext routing) {
        return pages.context(identity, headers, routing, "incidents", "console.title");
    }

    /** Multi-line text of the console's forms: the same rule as the API's JSON (no control characters). */
    private static String note(String value) {
        return FormValues.text("note", value, TEXT_MAX);
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.strip();
    }
}

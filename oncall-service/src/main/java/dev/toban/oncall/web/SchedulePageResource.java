package dev.toban.oncall.web;

import dev.toban.oncall.model.Person;
import dev.toban.oncall.security.Caller;
import dev.toban.oncall.schedule.CoverRequestService;
import dev.toban.oncall.schedule.CoverRequestService.CoverRequestCreate;
import dev.toban.oncall.schedule.CoverRequestService.CoverRequestView;
import dev.toban.oncall.schedule.OnCallService;
import dev.toban.oncall.schedule.OnCallService.LayerShifts;
import dev.toban.oncall.schedule.OverrideService;
import dev.toban.oncall.schedule.ScheduleService;
import dev.toban.oncall.schedule.ScheduleService.ScheduleView;
import dev.toban.oncall.team.TeamService;
import dev.toban.oncall.team.TeamService.TeamView;
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
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.jboss.resteasy.reactive.RestForm;

/**
 * Schedules: the list, and one schedule over a week or a month (each layer, the overrides, the
 * effective on-call) with its cover requests. Responders ask for cover and accept requests here.
 */
@Path("/ui/schedules")
public class SchedulePageResource {

    /** Flash messages after a redirect ({@code ?done=}); anything else is ignored. */
    static final Set<String> DONE = Set.of("coverRequested", "coverAccepted", "coverCancelled");

    public record ScheduleItem(UUID id, String name, String role, UUID teamId, String team, String zone) {
    }

    /** An open cover request and what the signed-in user may do with it. */
    public record CoverRow(CoverRequestView request, boolean canAccept, boolean canCancel) {
    }

    /** The "request cover" form's values, kept when it is shown again with an error. */
    public record CoverForm(String start, String end, String target, String note) {
    }

    /** A colleague in the "for" select. */
    public record Colleague(String id, String name, boolean selected) {
    }

    public record SchedulePage(ScheduleView schedule, String team, ScheduleCalendar calendar, List<CoverRow> requests,
                               List<Colleague> colleagues, boolean canRequest, CoverForm form, String done, String error) {
    }

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance list(PageContext ctx, List<ScheduleItem> schedules, String error);

        static native TemplateInstance schedule(PageContext ctx, SchedulePage page);
    }

    private final Pages pages;
    private final SecurityIdentity identity;
    private final ScheduleService schedules;
    private final TeamService teams;
    private final OnCallService onCall;
    private final OverrideService overrides;
    private final CoverRequestService covers;
    private final Caller caller;

    public SchedulePageResource(Pages pages, SecurityIdentity identity, ScheduleService schedules, TeamService teams,
                                OnCallService onCall, OverrideService overrides, CoverRequestService covers,
                                Caller caller) {
        this.pages = pages;
        this.identity = identity;
        this.schedules = schedules;
        this.teams = teams;
        this.onCall = onCall;
        this.overrides = overrides;
        this.covers = covers;
        this.caller = caller;
    }

    @GET
    @RolesAllowed(Roles.VIEWER)
    @Produces(MediaType.TEXT_HTML)
    @Operation(hidden = true)
    public TemplateInstance list(@Context HttpHeaders headers, RoutingContext routing) {
        return Templates.list(pages.context(identity, headers, routing, "oncall", "schedules.title"), items(), null);
    }

    @GET
    @Path("/{id}")
    @RolesAllowed(Roles.VIEWER)
    @Produces(MediaType.TEXT_HTML)
    @Operation(hidden = true)
    public Response schedule(@PathParam("id") String id, @QueryParam("view") String view,
                             @QueryParam("from") String from, @QueryParam("done") String done,
                             @Context HttpHeaders headers, RoutingContext routing) {
        PageContext ctx = pages.context(identity, headers, routing, "oncall", "schedules.title");
        try {
            ScheduleView schedule = schedule(id);
            return page(ctx, schedule, view, from, null, done != null && DONE.contains(done) ? "done." + done : null, null, 200);
        } catch (ProblemException e) {
            return problem(ctx, id, view, from, null, e);
        }
    }

    @POST
    @Path("/{id}/cover-requests")
    @RolesAllowed(Roles.RESPONDER)
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Produces(MediaType.TEXT_HTML)
    @Operation(hidden = true)
    public Response requestCover(@PathParam("id") String id, @RestForm String start, @RestForm String end,
                                 @RestForm String target, @RestForm String note, @RestForm String view,
                                 @RestForm String from, @Context HttpHeaders headers, RoutingContext routing) {
        CoverForm form = new CoverForm(start, end, target, note);
        try {
            ScheduleView schedule = schedule(id);
            ZoneId zone = ZoneId.of(schedule.timeZone());
            covers.create(new CoverRequestCreate(schedule.id(), null, FormValues.uuid("target", target),
                    instant("start", start, zone), instant("end", end, zone), null, null,
                    FormValues.text("note", note, 500)));
            return done(id, view, from, "coverRequested");
        } catch (ProblemException e) {
            return problem(pages.context(identity, headers, routing, "oncall", "schedules.title"), id, view, from, form, e);
        }
    }

    @POST
    @Path("/{id}/cover-requests/{requestId}/accept")
    @RolesAllowed(Roles.RESPONDER)
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Produces(MediaType.TEXT_HTML)
    @Operation(hidden = true)
    public Response accept(@PathParam("id") String id, @PathParam("requestId") String requestId,
                           @RestForm String view, @RestForm String from, @Context HttpHeaders headers,
                           RoutingContext routing) {
        try {
            covers.accept(requestId(requestId), null);
            return done(id, view, from, "coverAccepted");
        } catch (ProblemException e) {
            return problem(pages.context(identity, headers, routing, "oncall", "schedules.title"), id, view, from, null, e);
        }
    }

    @POST
    @Path("/{id}/cover-requests/{requestId}/cancel")
    @RolesAllowed(Roles.RESPONDER)
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Produces(MediaType.TEXT_HTML)
    @Operation(hidden = true)
    public Response cancel(@PathParam("id") String id, @PathParam("requestId") String requestId,
                           @RestForm String view, @RestForm String from, @Context HttpHeaders headers,
                           RoutingContext routing) {
        try {
            covers.cancel(requestId(requestId));
            return done(id, view, from, "coverCancelled");
        } catch (ProblemException e) {
            return problem(pages.context(identity, headers, routing, "oncall", "schedules.title"), id, view, from, null, e);
        }
    }

    // ------------------------------------------------------------------ rendering

    private Response page(PageContext ctx, ScheduleView schedule, String view, String from, CoverForm form, String done,
                          String error, int status) {
        if (view != null && !view.isBlank() && !ScheduleCalendar.WEEK.equals(view) && !ScheduleCalendar.MONTH.equals(view)) {
            throw ProblemException.invalid("view", "must be week or month");
        }
        ZoneId zone = ZoneId.of(schedule.timeZone());
        Instant now = onCall.now();
        LocalDate today = LocalDate.ofInstant(now, zone);
        ScheduleCalendar.Range range = ScheduleCalendar.Range.of(view, java.util.Objects.requireNonNullElse(FormValues.date("from", from), today));
        Instant start = range.start(zone);
        Instant end = range.end(zone);
        List<LayerShifts> layers = onCall.layerShifts(schedule.id(), start, end);
        ScheduleCalendar calendar = ScheduleCalendar.build(range, zone, ctx.lang(), today,
                layers.stream().map(LayerShifts::layerName).toList(), layers.stream().map(LayerShifts::shifts).toList(),
                overrides.list(schedule.id(), start, end), onCall.shifts(schedule.id(), start, end).shifts());

        Person me = caller.person().orElse(null);
        TeamView team = teams.get(schedule.teamId());
        List<CoverRow> requests = covers.list(schedule.id(), "open").stream()
                .filter(r -> r.end().isAfter(now))
                .map(r -> new CoverRow(r, ctx.responder() && me != null && !me.id.equals(r.requester().id())
                                && (r.target() == null || me.id.equals(r.target().id())),
                        ctx.responder() && (ctx.admin() || me != null && me.id.equals(r.requester().id()))))
                .toList();
        CoverForm shown = form != null ? form : defaultForm(schedule, me, now, zone);
        List<Colleague> colleagues = team.members().stream().filter(p -> me == null || !p.id().equals(me.id))
                .map(p -> new Colleague(p.id().toString(), p.name(), p.id().toString().equals(shown.target()))).toList();
        SchedulePage page = new SchedulePage(schedule, team.name(), calendar, requests, colleagues,
                ctx.responder() && me != null, shown, done, error);
        return Response.status(status).entity(Templates.schedule(ctx.with("oncall", schedule.name()), page))
                .type(MediaType.TEXT_HTML_TYPE.withCharset("UTF-8")).build();
    }

    /** The form starts filled with the caller's next shift in this schedule, the usual thing to hand over. */
    private CoverForm defaultForm(ScheduleView schedule, Person me, Instant now, ZoneId zone) {
        if (me == null) {
            return new CoverForm("", "", "", "");
        }
        return onCall.shifts(schedule.id(), now, now.plus(Duration.ofDays(60))).shifts().stream()
                .filter(s -> s.person() != null && s.person().id().equals(me.id))
                .findFirst()
                .map(s -> new CoverForm(Times.input(s.start().isBefore(now) ? now : s.start(), zone.getId()),
                        Times.input(s.end(), zone.getId()), "", ""))
                .orElse(new CoverForm("", "", "", ""));
    }

    /** The schedule page again with the problem's message and status; the list page if there is no such schedule. */
    private Response problem(PageContext ctx, String id, String view, String from, CoverForm form, ProblemException e) {
        ScheduleView schedule;
        try {
            schedule = schedule(id);
        } catch (ProblemException notFound) {
            return Response.status(notFound.status()).type(MediaType.TEXT_HTML_TYPE.withCharset("UTF-8"))
                    .entity(Templates.list(ctx, items(), notFound.getMessage())).build();
        }
        try {
            return page(ctx, schedule, view, from, form, null, e.getMessage(), e.status());
        } catch (ProblemException badRange) {
            // the view or date in the query was the problem: show this week instead
            return page(ctx, schedule, null, null, form, null, badRange.getMessage(), badRange.status());
        }
    }

    private static Response done(String id, String view, String from, String done) {
        StringBuilder url = new StringBuilder("/ui/schedules/").append(id).append("?done=").append(done);
        if (ScheduleCalendar.MONTH.equals(view)) {
            url.append("&view=month");
        }
        if (from != null && from.matches("\\d{4}-\\d{2}-\\d{2}")) {
            url.append("&from=").append(from);
        }
        return Response.seeOther(URI.create(url.toString())).build();
    }

    /** The schedule, or 404 for an unknown or malformed id alike. */
    private ScheduleView schedule(String id) {
        try {
            return schedules.get(UUID.fromString(id));
        } catch (IllegalArgumentException | ProblemException e) {
            throw ProblemException.notFound("Schedule", id);
        }
    }

    private static UUID requestId(String id) {
        UUID parsed = FormValues.uuid("requestId", id);
        if (parsed == null) {
            throw ProblemException.notFound("Cover request", id);
        }
        return parsed;
    }

    private List<ScheduleItem> items() {
        Map<UUID, String> teamNames = teams.list(false).stream().collect(Collectors.toMap(TeamView::id, TeamView::name));
        return schedules.list(null, null).stream()
                .map(s -> new ScheduleItem(s.id(), s.name(), s.role(), s.teamId(), teamNames.getOrDefault(s.teamId(), ""),
                        s.timeZone()))
                .toList();
    }

    /** A required datetime-local field, read in the schedule's zone. */
    private static Instant instant(String field, String value, ZoneId zone) {
        return FormValues.required(field, FormValues.dateTime(field, value)).atZone(zone).toInstant();
    }
}

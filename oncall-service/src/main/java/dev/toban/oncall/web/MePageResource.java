package dev.toban.oncall.web;

import dev.toban.oncall.model.Person;
import dev.toban.oncall.service.Caller;
import dev.toban.oncall.service.IcalService;
import dev.toban.oncall.service.OnCallService;
import dev.toban.oncall.service.ScheduleService;
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

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance me(PageContext ctx, Person person, List<MyShift> shifts, String icalUrl,
                                          String error);
    }

    private final Pages pages;
    private final SecurityIdentity identity;
    private final Caller caller;
    private final ScheduleService schedules;
    private final OnCallService onCall;
    private final IcalService ical;
    private final Flash flash;

    public MePageResource(Pages pages, SecurityIdentity identity, Caller caller, ScheduleService schedules,
                          OnCallService onCall, IcalService ical, Flash flash) {
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
    public Response me(@Context HttpHeaders headers, RoutingContext routing) {
        Person person = caller.person().orElse(null);
        String icalUrl = person == null ? null : flash.take(routing, PATH, ICAL_FLASH, caller.username()).orElse(null);
        Response.ResponseBuilder page = Response.ok(Templates.me(context(headers, routing), person, shifts(person), icalUrl, null))
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
                    .entity(Templates.me(ctx, null, List.of(), null, ctx.t("me.noPerson"))).build();
        }
        try {
            String url = ical.issue(IcalService.PERSON, person.id).url();
            flash.put(routing, PATH, ICAL_FLASH, caller.username(), url);
            return Response.seeOther(URI.create(PATH)).build();
        } catch (ProblemException e) {
            return Response.status(e.status()).type(MediaType.TEXT_HTML_TYPE.withCharset("UTF-8"))
                    .entity(Templates.me(ctx, person, shifts(person), null, ProblemTexts.message(ctx, e.getMessage()))).build();
        }
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

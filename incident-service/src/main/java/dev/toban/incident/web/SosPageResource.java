package dev.toban.incident.web;

import dev.toban.contracts.incident.IncidentSnapshot;
import dev.toban.incident.catalog.CatalogService;
import dev.toban.incident.config.IncidentConfig;
import dev.toban.incident.directory.ActorService;
import dev.toban.incident.lifecycle.IncidentQueries;
import dev.toban.incident.sos.SosLimitedException;
import dev.toban.incident.sos.SosService;
import dev.toban.plumbing.input.Text;
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
import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;

/**
 * The SOS form for business staff: what is wrong, since when, how many users, optionally which service.
 * It opens the incident through {@link SosService} like Slack's /sos and the SOS API, then shows who is
 * looking into it (the IC, found after commit, so the confirmation refreshes until it is known).
 */
@Path("/ui/sos")
@Produces(MediaType.TEXT_HTML)
public class SosPageResource {

    static final List<String> SINCE = List.of("now", "15m", "1h", "earlier");
    static final List<String> AFFECTED = SosService.AFFECTED;

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance form(PageContext ctx, SosForm form, List<CatalogService.ServiceView> services,
                                            List<String> since, List<String> affected, Map<String, String> errors);

        static native TemplateInstance confirm(PageContext ctx, IncidentSnapshot incident);

        static native TemplateInstance who(PageContext ctx, IncidentSnapshot incident);
    }

    /**
     * The form's fields as sent, to show them again next to their errors. {@code token} is the form's one-time
     * token: sending the same form twice opens one incident.
     */
    public record SosForm(String what, String since, String startedAt, String zone, String affected, String service,
                          String token) {
        public boolean isService(UUID id) {
            return id.toString().equals(service);
        }
    }

    private final Pages pages;
    private final SecurityIdentity identity;
    private final SosService sos;
    private final IncidentQueries queries;
    private final CatalogService catalog;
    private final ActorService actors;
    private final IncidentConfig.Sos config;

    public SosPageResource(Pages pages, SecurityIdentity identity, SosService sos, IncidentQueries queries,
                           CatalogService catalog, ActorService actors, IncidentConfig config) {
        this.pages = pages;
        this.identity = identity;
        this.sos = sos;
        this.queries = queries;
        this.catalog = catalog;
        this.actors = actors;
        this.config = config.sos();
    }

    @GET
    @RolesAllowed(Roles.VIEWER)
    @Operation(hidden = true)
    public TemplateInstance form(@Context HttpHeaders headers, RoutingContext routing) {
        PageContext ctx = context(headers, routing);
        return form(ctx, new SosForm("", "now", "", "", "unknown", "", SosService.newToken()), Map.of());
    }

    @POST
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @RolesAllowed(Roles.VIEWER)
    @Operation(hidden = true)
    public Response raise(@Context HttpHeaders headers, RoutingContext routing, @FormParam("what") String what,
                          @FormParam("since") String since, @FormParam("startedAt") String startedAt,
                          @FormParam("zone") String zone, @FormParam("affected") String affected,
                          @FormParam("service") String service, @FormParam("token") String token) {
        PageContext ctx = context(headers, routing);
        // a form without a (valid) token still works, without the protection against sending it twice
        String formToken = SosService.token(token);
        SosForm form = new SosForm(what, since, startedAt, zone, affected, service,
                formToken == null ? SosService.newToken() : formToken);
        Map<String, String> errors = new LinkedHashMap<>();
        String description = what == null ? "" : what.strip();
        if (description.isEmpty()) {
            errors.put("what", ctx.t("sos.error.what"));
        } else if (description.length() > 4000) {
            errors.put("what", ctx.t("sos.error.whatLong"));
        } else if (Text.problem(description, false) != null) {
            errors.put("what", ctx.t("sos.error.whatInvalid"));
        }
        Instant problemStartedAt = null;
        Instant now = Instant.now();
        try {
            problemStartedAt = since(since, startedAt, zone, ctx, now);
        } catch (IllegalArgumentException e) {
            errors.put("since", e.getMessage());
        }
        if (affected == null || !AFFECTED.contains(affected)) {
            errors.put("affected", ctx.t("sos.error.affected"));
        }
        UUID serviceId = null;
        try {
            serviceId = FormValues.uuid("service", service);
        } catch (ProblemException e) {
            errors.put("service", ctx.t("sos.error.service"));
        }
        if (errors.isEmpty()) {
            try {
                IncidentSnapshot incident = sos.raise(new SosService.Sos(description, ctx.t("sos.impact") + ": "
                        + ctx.t("sos.affected." + affected), problemStartedAt, serviceId, sos.severity(affected), formToken),
                        SosService.Reporter.of(actors.current()), "web");
                awaitCommander(incident);
                return Response.seeOther(URI.create("/ui/sos/" + incident.id())).build();
            } catch (SosLimitedException e) {
                // beside the form, in the page's language; what was typed stays in the form
                errors.put("limit", SosService.limited(ctx.lang(), e));
                return Response.status(429).header("Retry-After", Long.toString(e.retryAfterSeconds()))
                        .entity(form(ctx, form, errors)).build();
            } catch (ProblemException e) {
                if (e.status() != 400) {
                    throw e; // SOS not set up (503): the API's answer, not the reporter's mistake
                }
                errors.put("service", ctx.t("sos.error.service"));
            }
        }
        return Response.status(400).entity(form(ctx, form, errors)).build();
    }

    /** The confirmation: the incident's number, a link, and who is looking into it. */
    @GET
    @Path("/{id}")
    @RolesAllowed(Roles.VIEWER)
    @Operation(hidden = true)
    public TemplateInstance confirm(@Context HttpHeaders headers, RoutingContext routing, @PathParam("id") String id) {
        PageContext ctx = pages.context(identity, headers, routing, "sos", "sos.confirm.title");
        return Templates.confirm(ctx, incident(id));
    }

    /** Who is looking into it, refreshed on the confirmation until the IC is known. */
    @GET
    @Path("/{id}/who")
    @RolesAllowed(Roles.VIEWER)
    @Operation(hidden = true)
    public TemplateInstance who(@Context HttpHeaders headers, RoutingContext routing, @PathParam("id") String id) {
        return Templates.who(context(headers, routing), incident(id));
    }

    private TemplateInstance form(PageContext ctx, SosForm form, Map<String, String> errors) {
        return Templates.form(ctx, form, catalog.list(false, null, null), SINCE, AFFECTED, errors);
    }

    private IncidentSnapshot incident(String id) {
        try {
            return queries.get(UUID.fromString(id.strip())).incident();
        } catch (ProblemException | IllegalArgumentException e) {
            throw new PageNotFoundException("incident");
        }
    }

    /**
     * The IC is found right after the incident commits (about half a second): waiting that long here lets the
     * confirmation name them at once. Bounded (toban.incident.sos.confirmation-wait); after it, the confirmation's
     * live part shows them as soon as they are known.
     */
    private void awaitCommander(IncidentSnapshot incident) {
        if (incident.commander() != null) {
            return;
        }
        long deadline = System.nanoTime() + config.confirmationWait().toNanos();
        while (System.nanoTime() - deadline < 0) {
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            if (queries.hasCommander(incident.id())) {
                return;
            }
        }
    }

    private PageContext context(HttpHeaders headers, RoutingContext routing) {
        return pages.context(identity, headers, routing, "sos", "sos.title");
    }

    /**
     * When the problem started: a relative choice, or the browser's local date and time in the zone the
     * page's script filled in (the reader's default zone without script).
     */
    static Instant since(String since, String startedAt, String zone, PageContext ctx, Instant now) {
        if (since == null || !SINCE.contains(since)) {
            throw new IllegalArgumentException(ctx.t("sos.error.since"));
        }
        return switch (since) {
            case "now" -> now;
            case "15m" -> now.minus(Duration.ofMinutes(15));
            case "1h" -> now.minus(Duration.ofHours(1));
            default -> {
                if (startedAt == null || startedAt.isBlank()) {
                    throw new IllegalArgumentException(ctx.t("sos.error.startedAt"));
                }
                Instant at;
                try {
                    ZoneId zoneId = zone == null || zone.isBlank() ? Times.of(null, ctx.ja()).zone() : ZoneId.of(zone.strip());
                    at = LocalDateTime.parse(startedAt.strip()).atZone(zoneId).toInstant();
                } catch (DateTimeException e) {
                    throw new IllegalArgumentException(ctx.t("sos.error.startedAt"));
                }
                if (at.isAfter(now.plus(Duration.ofMinutes(1)))) {
                    throw new IllegalArgumentException(ctx.t("sos.error.future"));
                }
                yield at;
            }
        };
    }
}

package dev.toban.notify.response;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.toban.notify.config.NotifyConfig;
import dev.toban.notify.dispatch.PersonRef;
import dev.toban.notify.model.Delivery;
import dev.toban.notify.model.DeliveryRepository;
import dev.toban.notify.model.IncidentThread;
import dev.toban.notify.model.IncidentThreadRepository;
import dev.toban.plumbing.problem.ProblemException;
import dev.toban.plumbing.web.PageContext;
import dev.toban.plumbing.web.Pages;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import jakarta.annotation.security.PermitAll;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
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
import jakarta.ws.rs.core.UriBuilder;
import java.sql.Timestamp;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.jboss.resteasy.reactive.RestForm;

/**
 * The page a signed acknowledgement link opens ({@link AckTokens}): no sign-in, the token is the credential.
 * GET only shows the incident and two buttons (mail scanners and link previews fetch links: a GET never answers
 * the page); POST records the answer through {@link PageResponses} and redirects back (post/redirect/get).
 * A bare POST (ntfy's http action sends no body) acknowledges. Outside {@code /ui}: no OIDC, no CSRF cookie
 * (a cross-site form would need the token, which is the credential itself); {@code RequestHygiene}, the CSP and
 * the security headers apply as everywhere.
 */
@Path("/ack")
@PermitAll
public class AckPageResource {

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance ack(PageContext ctx, View view);
    }

    /**
     * What the page shows; {@code token} is set when the buttons are shown.
     *
     * @param answers what this page was answered already, one sentence each
     */
    public record View(String incident, String pagedAt, String state, String notice, String error,
                       List<String> answers, String token) {
    }

    private final AckTokens tokens;
    private final PageResponses responses;
    private final DeliveryRepository deliveries;
    private final IncidentThreadRepository threads;
    private final PageResponsesQuery answers;
    private final Pages pages;
    private final NotifyConfig config;
    private final AckConfig ack;
    private final ObjectMapper mapper;

    public AckPageResource(AckTokens tokens, PageResponses responses, DeliveryRepository deliveries,
                           IncidentThreadRepository threads, EntityManager em, Pages pages, NotifyConfig config,
                           AckConfig ack, ObjectMapper mapper) {
        this.tokens = tokens;
        this.responses = responses;
        this.deliveries = deliveries;
        this.threads = threads;
        this.answers = new PageResponsesQuery(em);
        this.pages = pages;
        this.config = config;
        this.ack = ack;
        this.mapper = mapper;
    }

    @GET
    @Path("/{token}")
    @Produces(MediaType.TEXT_HTML)
    @Operation(hidden = true)
    @Transactional
    public Response get(@PathParam("token") String token, @QueryParam("done") String done,
                        @Context HttpHeaders headers) {
        Optional<UUID> id = tokens.verify(token);
        if (id.isEmpty()) {
            return invalid(headers);
        }
        Delivery d = deliveries.findById(id.get());
        if (d == null) {
            return refused(404, headers, null, "ack.gone");
        }
        PageContext ctx = context(d, headers);
        if (d.incidentId == null || !"page".equals(d.purpose)) {
            return refused(409, headers, d, "ack.notPage");
        }
        String notice = PageResponses.ACKNOWLEDGE.equals(done) || PageResponses.ESCALATE.equals(done)
                ? ctx.t("ack.done." + done) : null;
        return page(200, ctx, view(ctx, d, notice, null, token));
    }

    /** The page's form: {@code action} is acknowledge or escalate. */
    @POST
    @Path("/{token}")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Produces(MediaType.TEXT_HTML)
    @Operation(hidden = true)
    public Response post(@PathParam("token") String token, @RestForm("action") String action,
                         @Context HttpHeaders headers) {
        return answer(token, action == null || action.isBlank() ? PageResponses.ACKNOWLEDGE : action.strip(), headers);
    }

    /** A POST without a form (ntfy's http action, curl): acknowledges. */
    @POST
    @Path("/{token}")
    @Consumes(MediaType.WILDCARD)
    @Produces(MediaType.TEXT_HTML)
    @Operation(hidden = true)
    public Response bare(@PathParam("token") String token, @Context HttpHeaders headers) {
        return answer(token, PageResponses.ACKNOWLEDGE, headers);
    }

    private Response answer(String token, String action, HttpHeaders headers) {
        Optional<UUID> id = tokens.verify(token);
        if (id.isEmpty()) {
            return invalid(headers);
        }
        Delivery d = deliveries.findById(id.get());
        if (d == null) {
            return refused(404, headers, null, "ack.gone");
        }
        if (!PageResponses.ACTIONS.contains(action)) {
            PageContext ctx = context(d, headers);
            return page(400, ctx, view(ctx, d, null, ctx.t("ack.badAction"), token));
        }
        PageResponses.Result result;
        try {
            // the channel the link came through: the email, or the push notification's action
            result = responses.record(d.id, action, channelOf(d));
        } catch (ProblemException e) {
            PageContext ctx = context(d, headers);
            return page(400, ctx, view(ctx, d, null, ctx.t("ack.badAction"), token));
        }
        return switch (result) {
            case RECORDED, ALREADY -> Response.seeOther(UriBuilder.fromPath("/ack/{token}")
                    .queryParam("done", action).build(token)).header("Cache-Control", "no-store").build();
            case NO_INCIDENT -> refused(409, headers, d, "ack.notPage");
            case UNKNOWN_DELIVERY -> refused(404, headers, null, "ack.gone");
        };
    }

    /** How the person got the link: the delivery's channel (email, push...), else just "link". */
    static String channelOf(Delivery d) {
        String channel = d.channel == null ? "" : d.channel;
        return channel.matches("[a-z][a-z0-9_-]{0,19}") ? channel : "link";
    }

    private Response invalid(HttpHeaders headers) {
        PageContext ctx = context(null, headers);
        String text = ctx.t("ack.invalid").replace("{0}", Long.toString(Math.max(1, ack.ttl().toHours())));
        return page(404, ctx, new View(null, null, null, null, text, List.of(), null));
    }

    private Response refused(int status, HttpHeaders headers, Delivery d, String key) {
        PageContext ctx = context(d, headers);
        return page(status, ctx, new View(null, null, null, null, ctx.t(key), List.of(), null));
    }

    private static Response page(int status, PageContext ctx, View view) {
        return Response.status(status).type(MediaType.TEXT_HTML_TYPE.withCharset("UTF-8"))
                .header("Cache-Control", "no-store")
                .entity(Templates.ack(ctx, view)).build();
    }

    private View view(PageContext ctx, Delivery d, String notice, String error, String token) {
        ZoneId zone = zone(d);
        IncidentThread thread = threads.findById(d.incidentId);
        String incident = thread != null && thread.number != null
                ? ctx.t("ack.incident").replace("{0}", thread.number.toString())
                        .replace("{1}", thread.title == null ? "" : thread.title).strip()
                : ctx.t("ack.incidentUnnamed");
        String pagedAt = ctx.t("ack.pagedAt").replace("{0}", time(d.eventTime, zone));
        List<String> lines = new ArrayList<>();
        for (PageResponsesQuery.Answer a : answers.of(d.id)) {
            String via = ctx.t("ack.via." + a.channel());
            lines.add(ctx.t("ack.answered." + a.action()).replace("{0}", time(a.at(), zone))
                    .replace("{1}", via.startsWith("ack.via.") ? a.channel() : via));
        }
        return new View(incident, pagedAt, state(ctx, thread), notice, error, lines, token);
    }

    /** What notify-service last heard of the incident, when it is past triggered (someone was faster). */
    private String state(PageContext ctx, IncidentThread thread) {
        if (thread == null || thread.snapshot == null) {
            return null;
        }
        try {
            String state = mapper.readTree(thread.snapshot).path("state").asText("");
            String key = "ack.state." + state;
            return "triggered".equals(state) || ctx.t(key).equals(key) ? null : ctx.t(key);
        } catch (java.io.IOException e) {
            return null;
        }
    }

    /** The person's language (the page was written in it), else the browser's. */
    private PageContext context(Delivery d, HttpHeaders headers) {
        PersonRef person = d == null ? null : responses.person(d);
        String locale = person != null && person.locale() != null && person.locale().length() >= 2
                ? person.locale().substring(0, 2).toLowerCase() : null;
        String lang = Pages.JA.equals(locale) || Pages.EN.equals(locale) ? locale : Pages.languageOf(headers);
        PageContext ctx = pages.context(lang);
        return ctx.with("", ctx.t("ack.title"));
    }

    private ZoneId zone(Delivery d) {
        PersonRef person = responses.person(d);
        String tz = person != null && person.timeZone() != null ? person.timeZone() : config.defaultTimeZone();
        try {
            return ZoneId.of(tz);
        } catch (DateTimeException e) {
            return ZoneId.of(config.defaultTimeZone());
        }
    }

    private static String time(Instant at, ZoneId zone) {
        return at == null ? "" : DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm").format(at.atZone(zone))
                + " (" + zone.getId() + ")";
    }

    /** The answers recorded for a delivery, oldest first. */
    static final class PageResponsesQuery {
        record Answer(String action, String channel, Instant at) {
        }

        private final EntityManager em;

        PageResponsesQuery(EntityManager em) {
            this.em = em;
        }

        List<Answer> of(UUID deliveryId) {
            @SuppressWarnings("unchecked")
            List<Object[]> rows = em.createNativeQuery(
                            "select action, channel, responded_at from page_response where delivery_id = ?1 order by responded_at")
                    .setParameter(1, deliveryId)
                    .getResultList();
            return rows.stream().map(r -> new Answer((String) r[0], (String) r[1], instant(r[2]))).toList();
        }

        private static Instant instant(Object value) {
            if (value instanceof Instant i) {
                return i;
            }
            if (value instanceof OffsetDateTime o) {
                return o.toInstant();
            }
            if (value instanceof Timestamp t) {
                return t.toInstant();
            }
            return null;
        }
    }
}

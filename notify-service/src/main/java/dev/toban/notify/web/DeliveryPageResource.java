package dev.toban.notify.web;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.toban.notify.model.Delivery;
import dev.toban.notify.model.DeliveryRepository;
import dev.toban.notify.dispatch.DeliveryService;
import dev.toban.notify.dispatch.DeliveryService.DeliveryView;
import dev.toban.notify.template.Markup;
import dev.toban.plumbing.problem.ProblemException;
import dev.toban.plumbing.security.Roles;
import dev.toban.plumbing.web.PageContext;
import dev.toban.plumbing.web.Pages;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import io.quarkus.security.identity.SecurityIdentity;
import io.vertx.ext.web.RoutingContext;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
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
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.jboss.resteasy.reactive.RestForm;

/**
 * The delivery log for responders: every notification by whom or where it went (people, channels and
 * webhooks by name), which message it was (the template's title) and for which incident, with its state,
 * attempts and last error, filtered by state and channel. One delivery's page shows the message as it was
 * (or would have been) sent and every attempt. Admins can replay a dead delivery (as the API allows).
 */
@Path("/ui/deliveries")
@Produces(MediaType.TEXT_HTML)
public class DeliveryPageResource {

    static final int PAGE_SIZE = 50;
    static final List<String> CHANNELS = List.of("slack", "email", "webhook", "sms", "voice", "push");
    static final List<String> STATES = List.of(Delivery.PENDING, Delivery.SENDING, Delivery.SENT, Delivery.DEAD,
            Delivery.SKIPPED, Delivery.CANCELLED);

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance deliveries(PageContext ctx, Log log, List<String> channels, List<String> states,
                                                  String notice, String error);

        static native TemplateInstance delivery(PageContext ctx, Detail detail, String notice, String error);
    }

    /** One row of the log, with everything named in the page language. */
    public record Row(DeliveryView d, String title, String channel, String recipient, String personUrl,
                      String incident, String incidentUrl, String error) {
    }

    /** The filtered page of the log; {@code nextBefore} pages on to older deliveries. */
    public record Log(String state, String channel, List<Row> rows, Long nextBefore, String zone) {
        public String at(Instant instant) {
            return DeliveryPageResource.at(instant, zone);
        }

        public String older() {
            return "?state=" + (state == null ? "" : state) + "&channel=" + (channel == null ? "" : channel)
                    + "&before=" + nextBefore;
        }
    }

    /** One attempt, with its outcome in the page language. */
    public record Attempt(int attempt, String startedAt, String finishedAt, String outcome, String error,
                          String providerMessageId) {
    }

    /**
     * One delivery. {@code address} is where it went when that is not a secret (an email address, a Slack
     * channel; a person's webhook URL only for admins); the message parts are what was (or would be) sent:
     * Slack text and blocks, email subject and body, webhook JSON with its headers.
     */
    public record Detail(Row row, String zone, String address, String purpose, String kind, boolean sent,
                         String subject, String textHtml, String plainText, String slackJson, String webhookJson,
                         List<String> webhookHeaders, List<Attempt> attempts, boolean canReplay) {
        public String at(Instant instant) {
            return DeliveryPageResource.at(instant, zone);
        }
    }

    private final Pages pages;
    private final SecurityIdentity identity;
    private final DeliveryService deliveries;
    private final ObjectMapper mapper;

    public DeliveryPageResource(Pages pages, SecurityIdentity identity, DeliveryService deliveries, ObjectMapper mapper) {
        this.pages = pages;
        this.identity = identity;
        this.deliveries = deliveries;
        this.mapper = mapper;
    }

    @GET
    @RolesAllowed(Roles.RESPONDER)
    @Operation(hidden = true)
    public Response log(@Context HttpHeaders headers, RoutingContext routing, @QueryParam("state") String state,
                        @QueryParam("channel") String channel, @QueryParam("before") String before,
                        @QueryParam("done") String done) {
        PageContext ctx = context(headers, routing);
        String wantedState = blankToNull(state);
        String wantedChannel = blankToNull(channel);
        Long beforeSeq = null;
        boolean valid = (wantedState == null || STATES.contains(wantedState))
                && (wantedChannel == null || CHANNELS.contains(wantedChannel));
        try {
            beforeSeq = blankToNull(before) == null ? null : Long.valueOf(before.strip());
        } catch (NumberFormatException e) {
            valid = false;
        }
        if (!valid) {
            return Response.status(400).entity(page(ctx, null, null, null, null, ctx.t("deliveries.error.filter"))).build();
        }
        String notice = "replayed".equals(done) ? ctx.t("deliveries.replayed") : null;
        return Response.ok(page(ctx, wantedState, wantedChannel, beforeSeq, notice, null)).build();
    }

    @GET
    @Path("/{id}")
    @RolesAllowed(Roles.RESPONDER)
    @Operation(hidden = true)
    public Response detail(@Context HttpHeaders headers, RoutingContext routing, @PathParam("id") String id,
                           @QueryParam("done") String done) {
        PageContext ctx = context(headers, routing);
        DeliveryView view;
        try {
            view = deliveries.get(UUID.fromString(id), ctx.admin());
        } catch (IllegalArgumentException | ProblemException e) {
            return Response.status(404).entity(page(ctx, null, null, null, null, ctx.t("deliveries.error.unknown"))).build();
        }
        String notice = "replayed".equals(done) ? ctx.t("deliveries.replayed") : null;
        return Response.ok(detailPage(ctx, view, notice, null)).build();
    }

    @POST
    @Path("/{id}/replay")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @RolesAllowed(Roles.ADMIN)
    @Operation(hidden = true)
    public Response replay(@Context HttpHeaders headers, RoutingContext routing, @PathParam("id") UUID id,
                           @RestForm String back) {
        boolean toDetail = "detail".equals(back);
        try {
            deliveries.replay(id);
        } catch (ProblemException e) {
            if (e.status() == 404) {
                throw new NotFoundException();
            }
            // only dead deliveries can be replayed: the page again with the reason, 409 like the API
            PageContext ctx = context(headers, routing);
            String reason = ctx.t("deliveries.error.notDead");
            return Response.status(e.status()).entity(toDetail
                    ? detailPage(ctx, deliveries.get(id, ctx.admin()), null, reason)
                    : page(ctx, null, null, null, null, reason)).build();
        }
        return Response.seeOther(URI.create(toDetail ? "/ui/deliveries/" + id + "?done=replayed"
                : "/ui/deliveries?done=replayed")).build();
    }

    // ------------------------------------------------------------------ rendering

    private TemplateInstance page(PageContext ctx, String state, String channel, Long before, String notice,
                                  String error) {
        DeliveryService.Page found = deliveries.search(new DeliveryRepository.Filter(null, channel, state, null, null,
                null, PAGE_SIZE, before), ctx.admin());
        List<Row> rows = found.items().stream().map(d -> row(ctx, d)).toList();
        Log log = new Log(state, channel, rows, found.nextBefore(), zone(ctx));
        return Templates.deliveries(ctx, log, CHANNELS, STATES, notice, error);
    }

    private Row row(PageContext ctx, DeliveryView d) {
        String title = d.titles().getOrDefault(ctx.lang(), d.titles().get("en"));
        String recipient = d.targetName();
        // a person's own webhook address is not for everyone's eyes: the person's name, or just "webhook"
        if ("webhook".equals(d.channel()) && recipient != null && recipient.contains("://") && !ctx.admin()) {
            recipient = ctx.t("deliveries.channel.webhook");
        }
        String personUrl = d.recipient() != null && d.recipient().id() != null
                ? ctx.oncallUrl() + "/ui/settings/people/" + d.recipient().id() : null;
        String incident = null;
        String incidentUrl = null;
        if (d.incident() != null) {
            incident = "#" + (d.incident().number() == null ? "?" : d.incident().number())
                    + (d.incident().title() == null ? "" : " " + d.incident().title());
            incidentUrl = ctx.incidentUrl() + "/ui/incidents/" + d.incident().id();
        }
        return new Row(d, title, ctx.t("deliveries.channel." + d.channel()), recipient, personUrl, incident, incidentUrl,
                DeliveryTexts.error(ctx, d.lastError()));
    }

    private TemplateInstance detailPage(PageContext ctx, DeliveryView d, String notice, String error) {
        Row row = row(ctx, d);
        String zone = zone(ctx);
        JsonNode message = d.message() == null ? mapper.createObjectNode() : d.message();
        String subject = null;
        String textHtml = null;
        String plainText = null;
        String slackJson = null;
        String webhookJson = null;
        List<String> webhookHeaders = List.of();
        switch (d.channel()) {
            case "slack" -> {
                // a mention as Slack shows it: the person's name (a Slack user id only when the name is unknown)
                String text = message.path("text").asText("");
                for (Map.Entry<String, String> known : d.slackNames().entrySet()) {
                    text = text.replace("<@" + known.getKey() + ">", "<@" + known.getKey() + "|"
                            + Markup.escapeSlack(known.getValue()) + ">");
                }
                textHtml = Markup.toHtml(text);
                Map<String, Object> call = new LinkedHashMap<>();
                call.put("channel", d.target());
                call.put("text", message.path("text").asText(""));
                if (message.hasNonNull("blocks")) {
                    call.put("blocks", message.get("blocks"));
                }
                slackJson = pretty(call);
            }
            case "email" -> {
                subject = message.path("subject").asText(null);
                plainText = message.path("text").asText("");
            }
            default -> {
                JsonNode body = message.path("body");
                webhookJson = pretty(body.isMissingNode() ? mapper.createObjectNode() : body);
                webhookHeaders = List.of("Content-Type: application/json; charset=utf-8", "User-Agent: Toban-Webhooks/1.0",
                        "X-Toban-Event: " + (body instanceof ObjectNode o ? o.path("type").asText(d.eventType()) : d.eventType()),
                        "X-Toban-Delivery: …", "X-Toban-Timestamp: …", "X-Toban-Signature: sha256=…");
            }
        }
        String address = switch (d.channel()) {
            case "email" -> d.target();
            case "slack" -> d.target().startsWith("#") ? d.target() : null;
            default -> ctx.admin() && d.target().contains("://") ? d.target() : null;
        };
        List<Attempt> attempts = d.attemptLog() == null ? List.of() : d.attemptLog().stream()
                .map(a -> new Attempt(a.attempt(), at(a.startedAt(), zone), at(a.finishedAt(), zone),
                        ctx.t("deliveries.outcome." + a.outcome()), DeliveryTexts.error(ctx, a.error()),
                        a.providerMessageId()))
                .toList();
        Detail detail = new Detail(row, zone, address, ctx.t("deliveries.purpose." + d.purpose()),
                ctx.t("deliveries.kind." + d.kind()), Delivery.SENT.equals(d.state()), subject, textHtml, plainText,
                slackJson, webhookJson, webhookHeaders, attempts, ctx.admin() && Delivery.DEAD.equals(d.state()));
        return Templates.delivery(ctx.with("deliveries", row.title()), detail, notice, error);
    }

    private String pretty(Object value) {
        try {
            return mapper.writerWithDefaultPrettyPrinter().writeValueAsString(value);
        } catch (JsonProcessingException e) {
            return String.valueOf(value);
        }
    }

    static String at(Instant instant, String zone) {
        return instant == null ? "" : DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").format(instant.atZone(ZoneId.of(zone)));
    }

    private static String zone(PageContext ctx) {
        return ctx.ja() ? "Asia/Tokyo" : "UTC";
    }

    private PageContext context(HttpHeaders headers, RoutingContext routing) {
        return pages.context(identity, headers, routing, "deliveries", "deliveries.title");
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.strip();
    }
}

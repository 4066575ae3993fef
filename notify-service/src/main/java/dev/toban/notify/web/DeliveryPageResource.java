package dev.toban.notify.web;

import dev.toban.notify.model.Delivery;
import dev.toban.notify.model.DeliveryRepository;
import dev.toban.notify.service.DeliveryService;
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
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;

/**
 * The delivery log for responders: every notification with its channel, target, event, state, attempts
 * and last error, filtered by state and channel; admins can replay a dead delivery (as the API allows).
 */
@Path("/ui/deliveries")
@Produces(MediaType.TEXT_HTML)
public class DeliveryPageResource {

    static final int PAGE_SIZE = 50;
    static final List<String> CHANNELS = List.of("slack", "email", "webhook");
    static final List<String> STATES = List.of(Delivery.PENDING, Delivery.SENDING, Delivery.SENT, Delivery.DEAD,
            Delivery.SKIPPED, Delivery.CANCELLED);

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance deliveries(PageContext ctx, Log log, List<String> channels, List<String> states,
                                                  String notice, String error);
    }

    /** The filtered page of the log; {@code nextBefore} pages on to older deliveries. */
    public record Log(String state, String channel, List<DeliveryService.DeliveryView> items, Long nextBefore,
                      String zone) {
        public String at(java.time.Instant instant) {
            return instant == null ? "" : DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss")
                    .format(instant.atZone(ZoneId.of(zone)));
        }

        public String older() {
            return "?state=" + (state == null ? "" : state) + "&channel=" + (channel == null ? "" : channel)
                    + "&before=" + nextBefore;
        }
    }

    private final Pages pages;
    private final SecurityIdentity identity;
    private final DeliveryService deliveries;

    public DeliveryPageResource(Pages pages, SecurityIdentity identity, DeliveryService deliveries) {
        this.pages = pages;
        this.identity = identity;
        this.deliveries = deliveries;
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

    @POST
    @Path("/{id}/replay")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @RolesAllowed(Roles.ADMIN)
    @Operation(hidden = true)
    public Response replay(@Context HttpHeaders headers, RoutingContext routing, @PathParam("id") UUID id) {
        try {
            deliveries.replay(id);
        } catch (ProblemException e) {
            if (e.status() == 404) {
                throw new NotFoundException();
            }
            // only dead deliveries can be replayed: the log again with the reason, 409 like the API
            return Response.status(e.status())
                    .entity(page(context(headers, routing), null, null, null, null, e.getMessage())).build();
        }
        return Response.seeOther(URI.create("/ui/deliveries?done=replayed")).build();
    }

    private TemplateInstance page(PageContext ctx, String state, String channel, Long before, String notice,
                                  String error) {
        DeliveryService.Page found = deliveries.search(new DeliveryRepository.Filter(null, channel, state, null, null,
                null, PAGE_SIZE, before), ctx.admin());
        Log log = new Log(state, channel, found.items(), found.nextBefore(), ctx.ja() ? "Asia/Tokyo" : "UTC");
        return Templates.deliveries(ctx, log, CHANNELS, STATES, notice, error);
    }

    private PageContext context(HttpHeaders headers, RoutingContext routing) {
        return pages.context(identity, headers, routing, "deliveries", "deliveries.title");
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.strip();
    }
}

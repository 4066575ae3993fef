package dev.toban.notify.rest;

import dev.toban.notify.model.Delivery;
import dev.toban.notify.model.DeliveryRepository;
import dev.toban.notify.dispatch.DeliveryService;
import dev.toban.notify.dispatch.DeliveryService.DeliveryView;
import dev.toban.notify.dispatch.DeliveryService.ReplayResult;
import dev.toban.plumbing.problem.ProblemException;
import dev.toban.plumbing.security.Roles;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

@Path("/api/deliveries")
@Tag(name = "Deliveries", description = "The delivery log: every notification, its attempts and outcome")
@Produces(MediaType.APPLICATION_JSON)
public class DeliveryResource {

    private static final Set<String> CHANNELS = Set.of("slack", "email", "webhook", "sms", "voice", "push");
    private static final Set<String> STATES = Set.of(Delivery.PENDING, Delivery.SENDING, Delivery.SENT, Delivery.DEAD,
            Delivery.SKIPPED, Delivery.CANCELLED);

    private final DeliveryService deliveries;
    private final SecurityIdentity identity;

    public DeliveryResource(DeliveryService deliveries, SecurityIdentity identity) {
        this.deliveries = deliveries;
        this.identity = identity;
    }

    @GET
    @RolesAllowed(Roles.RESPONDER)
    @Operation(summary = "List deliveries, newest first",
            description = "Filters by event id, channel (slack, email, webhook), state (pending, sending, sent, dead, "
                    + "skipped, cancelled), incident, purpose and target. Page with `before` = the previous page's `nextBefore`. "
                    + "Only admins read what a webhook's receiver answered and the target of a webhook or push delivery "
                    + "(a URL can carry a secret; an ntfy topic is readable by whoever knows it); responders see "
                    + "`lastError` \"refused by egress policy\" or \"failed\" and `target` null there.")
    public DeliveryService.Page list(@QueryParam("eventId") String eventId,
                                     @QueryParam("channel") String channel,
                                     @QueryParam("state") String state,
                                     @QueryParam("incidentId") String incidentId,
                                     @QueryParam("purpose") String purpose,
                                     @QueryParam("target") String target,
                                     @QueryParam("limit") @DefaultValue("100") @Min(1) @Max(500) int limit,
                                     @QueryParam("before") Long before) {
        if (channel != null && !CHANNELS.contains(channel)) {
            throw ProblemException.invalid("channel", "must be one of " + List.copyOf(new java.util.TreeSet<>(CHANNELS)));
        }
        if (state != null && !STATES.contains(state)) {
            throw ProblemException.invalid("state", "must be one of " + List.copyOf(new java.util.TreeSet<>(STATES)));
        }
        UUID incident = null;
        if (incidentId != null && !incidentId.isBlank()) {
            try {
                incident = UUID.fromString(incidentId.strip());
            } catch (IllegalArgumentException e) {
                throw ProblemException.invalid("incidentId", "is not a UUID");
            }
        }
        return deliveries.search(new DeliveryRepository.Filter(blankToNull(eventId), channel, state, incident,
                blankToNull(purpose), blankToNull(target), limit, before), identity.hasRole(Roles.ADMIN));
    }

    @GET
    @Path("/{id}")
    @RolesAllowed(Roles.RESPONDER)
    @Operation(summary = "Get a delivery with its message and every attempt")
    public DeliveryView get(@PathParam("id") UUID id) {
        return deliveries.get(id, identity.hasRole(Roles.ADMIN));
    }

    @POST
    @Path("/{id}/replay")
    @RolesAllowed(Roles.ADMIN)
    @Operation(summary = "Replay a dead delivery",
            description = "Sends it again with a fresh attempt budget; replies that died with a dead thread parent come back with it. 409 unless dead.")
    public DeliveryView replay(@PathParam("id") UUID id) {
        return deliveries.replay(id);
    }

    /** Filters of a bulk replay. */
    public record ReplayRequest(
            @Pattern(regexp = "slack|email|webhook|sms|voice|push", message = "must be one of [email, push, slack, sms, voice, webhook]") String channel,
            @Size(max = 200) String eventType,
            @Min(1) @Max(1000) Integer limit) {
    }

    @POST
    @Path("/replay")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed(Roles.ADMIN)
    @Operation(summary = "Replay dead deliveries in bulk",
            description = "Replays up to `limit` (default 100) dead deliveries, oldest first, optionally of one channel or event type.")
    public ReplayResult replayDead(
            @org.eclipse.microprofile.openapi.annotations.parameters.RequestBody(required = false) @Valid ReplayRequest body) {
        ReplayRequest r = body == null ? new ReplayRequest(null, null, null) : body;
        return deliveries.replayDead(r.channel(), blankToNull(r.eventType()), r.limit() == null ? 100 : r.limit());
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.strip();
    }
}

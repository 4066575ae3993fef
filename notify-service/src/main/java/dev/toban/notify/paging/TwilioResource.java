package dev.toban.notify.paging;

import jakarta.annotation.security.PermitAll;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.extensions.Extension;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.logging.Logger;

/**
 * Twilio's webhooks. No sign-in: each request must carry a valid {@code X-Twilio-Signature} for notify's
 * public URL ({@code toban.web.links.notifications}, not the Host header, which a proxy may change) and
 * its form parameters, else 403. Replays are harmless (see {@link TwilioWebhooks}).
 */
@Path(Twilio.BASE_PATH)
@Tag(name = "Twilio")
@PermitAll
public class TwilioResource {

    private static final Logger LOG = Logger.getLogger(TwilioResource.class);
    private static final String TWIML = "text/xml; charset=utf-8";
    private static final String SIGNATURE = "X-Twilio-Signature";

    private final Twilio twilio;
    private final TwilioWebhooks webhooks;

    public TwilioResource(Twilio twilio, TwilioWebhooks webhooks) {
        this.twilio = twilio;
        this.webhooks = webhooks;
    }

    @POST
    @Path("/voice/{deliveryId}")
    @APIResponse(responseCode = "200", description = "TwiML", content = @Content(mediaType = "text/xml"))
    @Extension(name = "x-toban-security", value = "Twilio's request signature (X-Twilio-Signature) over the configured public URL and the form, with the account's auth token")
    @APIResponse(responseCode = "403", description = "A missing or wrong Twilio signature (text/plain)", content = @Content(mediaType = "text/plain"))
    @Consumes(MediaType.WILDCARD)
    @Produces(TWIML)
    @Operation(summary = "TwiML of a call Toban placed: the message, then 'press 1 to acknowledge, 2 to escalate'")
    public Response voice(@PathParam("deliveryId") String deliveryId, @HeaderParam(SIGNATURE) String signature,
                          @Context UriInfo uri, byte[] body) {
        Form form = verified(uri, signature, body);
        UUID id = uuid(deliveryId);
        if (form == null || id == null) {
            return forbidden();
        }
        return Response.ok(webhooks.voice(id), TWIML).build();
    }

    @POST
    @Path("/voice/{deliveryId}/gather")
    @APIResponse(responseCode = "200", description = "TwiML", content = @Content(mediaType = "text/xml"))
    @Extension(name = "x-toban-security", value = "Twilio's request signature (X-Twilio-Signature) over the configured public URL and the form, with the account's auth token")
    @APIResponse(responseCode = "403", description = "A missing or wrong Twilio signature (text/plain)", content = @Content(mediaType = "text/plain"))
    @Consumes(MediaType.WILDCARD)
    @Produces(TWIML)
    @Operation(summary = "The keypress of a call (Digits): 1 acknowledges the page, 2 escalates it")
    public Response gather(@PathParam("deliveryId") String deliveryId, @HeaderParam(SIGNATURE) String signature,
                           @Context UriInfo uri, byte[] body) {
        Form form = verified(uri, signature, body);
        UUID id = uuid(deliveryId);
        if (form == null || id == null) {
            return forbidden();
        }
        return Response.ok(webhooks.gather(id, form.map().getOrDefault("Digits", "").strip()), TWIML).build();
    }

    @POST
    @Path("/sms")
    @APIResponse(responseCode = "200", description = "TwiML with the reply message", content = @Content(mediaType = "text/xml"))
    @Extension(name = "x-toban-security", value = "Twilio's request signature (X-Twilio-Signature) over the configured public URL and the form, with the account's auth token")
    @APIResponse(responseCode = "403", description = "A missing or wrong Twilio signature (text/plain)", content = @Content(mediaType = "text/plain"))
    @Consumes(MediaType.WILDCARD)
    @Produces(TWIML)
    @Operation(summary = "An SMS to Toban's number: '<code> ack' or '<code> esc' answers the page with that code",
            description = "Configure this URL as the number's 'A message comes in' webhook (HTTP POST). The answer is "
                    + "TwiML with a reply message in the person's language.")
    public Response sms(@HeaderParam(SIGNATURE) String signature, @Context UriInfo uri, byte[] body) {
        Form form = verified(uri, signature, body);
        if (form == null) {
            return forbidden();
        }
        return Response.ok(webhooks.inboundSms(form.map().get("From"), form.map().get("Body")), TWIML).build();
    }

    @POST
    @Path("/status/{deliveryId}")
    @APIResponse(responseCode = "204", description = "Recorded in the delivery log")
    @Extension(name = "x-toban-security", value = "Twilio's request signature (X-Twilio-Signature) over the configured public URL and the form, with the account's auth token")
    @APIResponse(responseCode = "403", description = "A missing or wrong Twilio signature (text/plain)", content = @Content(mediaType = "text/plain"))
    @Consumes(MediaType.WILDCARD)
    @Operation(summary = "Status callback of a message or call (MessageStatus, CallStatus), kept in the delivery log")
    public Response status(@PathParam("deliveryId") String deliveryId, @HeaderParam(SIGNATURE) String signature,
                           @Context UriInfo uri, byte[] body) {
        Form form = verified(uri, signature, body);
        UUID id = uuid(deliveryId);
        if (form == null || id == null) {
            return forbidden();
        }
        webhooks.status(id, form.map());
        return Response.noContent().build();
    }

    record Form(List<Map.Entry<String, String>> pairs, Map<String, String> map) {
    }

    /** The form if the signature is Twilio's for this public URL and these parameters; else null. */
    private Form verified(UriInfo uri, String signature, byte[] body) {
        String token = twilio.authToken().orElse(null);
        if (token == null) {
            LOG.warn("A Twilio webhook was called but Twilio is not configured (TWILIO_AUTH_TOKEN); refused");
            return null;
        }
        String query = uri.getRequestUri().getRawQuery();
        String url = twilio.publicUrl(uri.getRequestUri().getRawPath() + (query == null ? "" : "?" + query));
        Form form = parse(body);
        if (form == null || !TwilioSignature.valid(token, url, form.pairs(), signature)) {
            LOG.warnf("Refused a Twilio webhook with a wrong signature (%s)", uri.getRequestUri().getRawPath());
            return null;
        }
        return form;
    }

    static Form parse(byte[] body) {
        List<Map.Entry<String, String>> pairs = new ArrayList<>();
        Map<String, String> map = new LinkedHashMap<>();
        String text = body == null ? "" : new String(body, StandardCharsets.UTF_8);
        try {
            for (String part : text.split("&")) {
                if (part.isEmpty()) {
                    continue;
                }
                int eq = part.indexOf('=');
                String k = URLDecoder.decode(eq < 0 ? part : part.substring(0, eq), StandardCharsets.UTF_8);
                String v = eq < 0 ? "" : URLDecoder.decode(part.substring(eq + 1), StandardCharsets.UTF_8);
                pairs.add(new AbstractMap.SimpleImmutableEntry<>(k, v));
                map.putIfAbsent(k, v);
            }
        } catch (IllegalArgumentException e) {
            return null; // not a form
        }
        return new Form(pairs, map);
    }

    private static UUID uuid(String value) {
        try {
            return UUID.fromString(value);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static Response forbidden() {
        return Response.status(403).type(MediaType.TEXT_PLAIN).entity("invalid Twilio signature").build();
    }
}

package dev.toban.incident.rest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.toban.incident.slack.SlackApp;
import dev.toban.incident.slack.SlackRequests;
import dev.toban.plumbing.problem.Problem;
import io.smallrye.common.annotation.NonBlocking;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.PermitAll;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.extensions.Extension;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.logging.Logger;

/**
 * The Slack app's interactivity endpoint: the buttons of the incident's messages ({@code block_actions}), its
 * modals ({@code view_submission}) and the global shortcut {@code toban.declare} ({@code shortcut}), each a form
 * whose field {@code payload} is JSON. Signed like the slash commands (v0, 5-minute window, each signed request once,
 * Slack's retries answered 200 doing nothing new); what is asked is done by {@link SlackApp} within Slack's 3 s.
 */
@Path("/integrations/slack")
@Tag(name = "Slack")
@PermitAll
public class SlackInteractionResource {

    private static final Logger LOG = Logger.getLogger(SlackInteractionResource.class);

    private final SlackRequests slack;
    private final SlackApp app;
    private final ObjectMapper mapper;

    public SlackInteractionResource(SlackRequests slack, SlackApp app, ObjectMapper mapper) {
        this.slack = slack;
        this.app = app;
        this.mapper = mapper;
    }

    @POST
    @Path("/interactions")
    @APIResponse(responseCode = "200", description = "Slack's acknowledgement (empty, or a modal's response_action)", content = @Content(mediaType = "application/json"))
    @Extension(name = "x-toban-security", value = "Slack's v0 request signature (X-Slack-Signature, X-Slack-Request-Timestamp) with the app's signing secret")
    @APIResponse(responseCode = "401", description = "A missing, wrong or stale (over 5 minutes) Slack signature, or a replayed request",
            content = @Content(mediaType = "application/problem+json", schema = @Schema(ref = "Problem")))
    @Consumes(MediaType.WILDCARD)
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Slack interactivity: buttons, modals, the declare shortcut", description = "Verifies the v0 "
            + "signature (5-minute window) and accepts each signed request once (401 for a replay; a request Slack "
            + "sends again, X-Slack-Retry-Num, is answered 200 and does nothing new). block_actions toban.<verb> act "
            + "on the incident named by the button's value as the Slack user's person (or open a modal); "
            + "view_submission runs the modal's action and answers {response_action: errors} for bad input, in the "
            + "person's language; the shortcut toban.declare opens the declare modal. Refusals are private messages.")
    @NonBlocking
    public Uni<Response> interaction(@HeaderParam("X-Slack-Request-Timestamp") String timestamp,
                                     @HeaderParam("X-Slack-Signature") String signature,
                                     @HeaderParam("X-Slack-Retry-Num") String retryNum, byte[] body) {
        return Offload.toWorker(() -> answer(timestamp, signature, retryNum, body));
    }

    private Response answer(String timestamp, String signature, String retryNum, byte[] body) throws SQLException {
        byte[] raw = body == null ? new byte[0] : body;
        Optional<Response> stop = SlackRequestGate.stop(slack.verify(timestamp, signature, raw), timestamp, retryNum);
        if (stop.isPresent()) {
            return stop.get();
        }
        Map<String, String> form = SlackRequestGate.form(new String(raw, StandardCharsets.UTF_8));
        JsonNode payload;
        try {
            String text = form.get("payload");
            payload = text == null ? null : mapper.readTree(text);
        } catch (IOException e) {
            payload = null;
        }
        if (payload == null || !payload.isObject()) {
            return Problem.of(400, "Invalid request", "payload: is not a Slack interaction payload (JSON)",
                    List.of(new Problem.FieldError("payload", "is not a Slack interaction payload (JSON)"))).toResponse();
        }
        try {
            SlackApp.Answer answer = app.interaction(payload);
            return answer.body() == null ? Response.ok().build() : Response.ok(answer.body()).build();
        } catch (RuntimeException e) {
            // Slack shows a generic error for anything but 200; the log says what broke
            LOG.errorf(e, "Slack interaction %s failed", payload.path("type").asText());
            return Response.ok().build();
        }
    }
}

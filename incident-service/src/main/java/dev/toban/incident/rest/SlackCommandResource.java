package dev.toban.incident.rest;

import dev.toban.incident.config.IncidentConfig;
import dev.toban.incident.model.Person;
import dev.toban.incident.service.Actor;
import dev.toban.incident.service.IncidentSnapshot;
import dev.toban.incident.service.PeopleDirectoryService;
import dev.toban.incident.service.SlackSignature;
import dev.toban.incident.service.SosService;
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
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.logging.Logger;

/**
 * Slack's {@code /sos} slash command. The request signature is the credential; the answer is an
 * ephemeral message, in the reporter's language, well within Slack's 3 seconds (one database
 * transaction, no call to another service).
 */
@Path("/integrations/slack")
@Tag(name = "Slack")
@PermitAll
public class SlackCommandResource {

    private static final Logger LOG = Logger.getLogger(SlackCommandResource.class);

    private final SosService sos;
    private final PeopleDirectoryService people;
    private final IncidentConfig config;

    public SlackCommandResource(SosService sos, PeopleDirectoryService people, IncidentConfig config) {
        this.sos = sos;
        this.people = people;
        this.config = config;
    }

    public record Ephemeral(String response_type, String text) {
        static Ephemeral of(String text) {
            return new Ephemeral("ephemeral", text);
        }
    }

    @POST
    @Path("/commands")
    @Consumes(MediaType.WILDCARD)
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Slack slash command /sos", description = "Verifies the v0 signature (5-minute window) and "
            + "opens an incident on the triage service; answers with an ephemeral message in Japanese or English.")
    @NonBlocking
    public Uni<Response> command(@HeaderParam("X-Slack-Request-Timestamp") String timestamp,
                                 @HeaderParam("X-Slack-Signature") String signature, byte[] body) {
        return Offload.toWorker(() -> answer(timestamp, signature, body));
    }

    private Response answer(String timestamp, String signature, byte[] body) {
        byte[] raw = body == null ? new byte[0] : body;
        if (!SlackSignature.verify(config.slack().signingSecret().orElse(null), timestamp, signature, raw,
                Instant.now(), config.slack().tolerance())) {
            return Problem.of(401, "Unauthorized", "The Slack request signature is missing, stale or wrong",
                    List.of(new Problem.FieldError("X-Slack-Signature", "does not verify"))).toResponse();
        }
        Map<String, String> form = form(new String(raw, StandardCharsets.UTF_8));
        Optional<Person> reporter = people.bySlackUserId(form.get("user_id"));
        String locale = reporter.map(p -> p.locale).filter(l -> l != null && !l.isBlank())
                .orElse(config.sos().defaultLocale());
        String text = form.getOrDefault("text", "").strip();
        if (text.isEmpty()) {
            return Response.ok(Ephemeral.of(SosService.usage(locale))).build();
        }
        Actor actor = reporter.map(p -> new Actor(p.username, p.id, p.name))
                .orElseGet(() -> new Actor("slack:" + form.getOrDefault("user_name", form.get("user_id")), null, null));
        try {
            IncidentSnapshot incident = sos.raise(text, null, actor, "slack");
            return Response.ok(Ephemeral.of(SosService.reply(locale, incident))).build();
        } catch (RuntimeException e) {
            // Slack shows only what we answer: tell the reporter to reach the on-call another way
            LOG.errorf("SOS from Slack user %s could not be recorded: %s", form.get("user_id"), e.toString());
            return Response.ok(Ephemeral.of(SosService.failure(locale))).build();
        }
    }

    static Map<String, String> form(String body) {
        Map<String, String> values = new HashMap<>();
        for (String pair : body.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            try {
                String name = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
                String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
                values.putIfAbsent(name, value);
            } catch (IllegalArgumentException e) {
                // a malformed escape: skip the pair rather than fail the whole command
            }
        }
        return values;
    }
}

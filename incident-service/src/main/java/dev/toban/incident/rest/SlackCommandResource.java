package dev.toban.incident.rest;

import dev.toban.incident.config.IncidentConfig;
import dev.toban.incident.model.Person;
import dev.toban.incident.service.Actor;
import dev.toban.incident.service.IncidentSnapshot;
import dev.toban.incident.service.PeopleDirectoryService;
import dev.toban.incident.service.SlackRequests;
import dev.toban.incident.service.SosLimitedException;
import dev.toban.incident.service.SosService;
import dev.toban.plumbing.input.Text;
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
import java.sql.SQLException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.logging.Logger;

/**
 * Slack's {@code /sos} slash command. The request signature is the credential, and each signed request
 * is accepted once (a replay is a 401 problem, see {@link SlackRequests}); the answer is an ephemeral
 * message, in the reporter's language, well within Slack's 3 seconds (one insert for the replay check,
 * one database transaction for the SOS, no call to another service).
 */
@Path("/integrations/slack")
@Tag(name = "Slack")
@PermitAll
public class SlackCommandResource {

    private static final Logger LOG = Logger.getLogger(SlackCommandResource.class);

    private final SosService sos;
    private final PeopleDirectoryService people;
    private final SlackRequests slack;
    private final IncidentConfig config;

    public SlackCommandResource(SosService sos, PeopleDirectoryService people, SlackRequests slack,
                                IncidentConfig config) {
        this.sos = sos;
        this.people = people;
        this.slack = slack;
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
    @Operation(summary = "Slack slash command /sos", description = "Verifies the v0 signature (5-minute window), "
            + "accepts each signed request once (401 for a replay) and opens an incident on the triage service; "
            + "answers with an ephemeral message in Japanese or English (also when the reporter's SOS limit is reached).")
    @NonBlocking
    public Uni<Response> command(@HeaderParam("X-Slack-Request-Timestamp") String timestamp,
                                 @HeaderParam("X-Slack-Signature") String signature, byte[] body) {
        return Offload.toWorker(() -> answer(timestamp, signature, body));
    }

    private Response answer(String timestamp, String signature, byte[] body) {
        byte[] raw = body == null ? new byte[0] : body;
        SlackRequests.Verdict verdict;
        try {
            verdict = slack.verify(timestamp, signature, raw);
        } catch (SQLException | RuntimeException e) {
            // the replay check could not be written: accept nothing, but tell the reporter what to do
            LOG.errorf("Slack command could not be checked for replay: %s", e.toString());
            return Response.ok(Ephemeral.of(SosService.failure(config.sos().defaultLocale()))).build();
        }
        if (verdict == SlackRequests.Verdict.UNSIGNED) {
            return Problem.of(401, "Unauthorized", "The Slack request signature is missing, stale or wrong",
                    List.of(new Problem.FieldError("X-Slack-Signature", "does not verify"))).toResponse();
        }
        if (verdict == SlackRequests.Verdict.REPLAYED) {
            LOG.debugf("Refused a replayed Slack request (timestamp %s)", timestamp);
            return Problem.of(401, "Request already received", "This signed Slack request was already received; "
                            + "a request is accepted once",
                    List.of(new Problem.FieldError("X-Slack-Signature", "was already received (a replay)"))).toResponse();
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
            IncidentSnapshot incident = sos.raise(text, null,
                    SosService.Reporter.slack(actor, form.get("team_id"), form.get("user_id")), "slack");
            return Response.ok(Ephemeral.of(SosService.reply(locale, incident))).build();
        } catch (SosLimitedException e) {
            return Response.ok(Ephemeral.of(SosService.limited(locale, e))).build();
        } catch (RuntimeException e) {
            // Slack shows only what we answer: tell the reporter to reach the on-call another way
            LOG.errorf("SOS from Slack user %s could not be recorded: %s", form.get("user_id"), e.toString());
            return Response.ok(Ephemeral.of(SosService.failure(locale))).build();
        }
    }

    /**
     * The form's values, decoded. Control characters are dropped ({@link Text#clean}): an SOS is never
     * lost, nor a lookup broken, for a stray byte.
     */
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
                values.putIfAbsent(Text.clean(name), Text.clean(value));
            } catch (IllegalArgumentException e) {
                // a malformed escape: skip the pair rather than fail the whole command
            }
        }
        return values;
    }
}

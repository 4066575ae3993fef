package dev.toban.incident.rest;

import dev.toban.contracts.Actor;
import dev.toban.contracts.incident.IncidentSnapshot;
import dev.toban.incident.config.IncidentConfig;
import dev.toban.incident.directory.PeopleDirectoryService;
import dev.toban.incident.model.Person;
import dev.toban.incident.slack.SlackApp;
import dev.toban.incident.slack.SlackRequests;
import dev.toban.incident.sos.SosLimitedException;
import dev.toban.incident.sos.SosService;
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
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
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
 * Slack's slash commands {@code /sos} and {@code /toban} ({@code sos}, {@code new}, {@code update}, {@code status},
 * {@code oncall}, {@code help}; see {@link SlackApp#command}). The request signature is the credential, and each
 * signed request is accepted once (a replay is a 401 problem, see {@link SlackRequests}; Slack sending it again is
 * answered 200 and does nothing new); the answer is an ephemeral message, in the person's language, well within
 * Slack's 3 seconds (the replay checks, at most one short transaction or a modal opened; anything slow is sent to
 * the command's {@code response_url} afterwards).
 */
@Path("/integrations/slack")
@Tag(name = "Slack")
@PermitAll
public class SlackCommandResource {

    private static final Logger LOG = Logger.getLogger(SlackCommandResource.class);

    private final SosService sos;
    private final PeopleDirectoryService people;
    private final SlackRequests slack;
    private final SlackApp app;
    private final IncidentConfig config;

    public SlackCommandResource(SosService sos, PeopleDirectoryService people, SlackRequests slack, SlackApp app,
                                IncidentConfig config) {
        this.sos = sos;
        this.people = people;
        this.slack = slack;
        this.app = app;
        this.config = config;
    }

    public record Ephemeral(String response_type, String text) {
        static Ephemeral of(String text) {
            return new Ephemeral("ephemeral", text);
        }
    }

    @POST
    @Path("/commands")
    @APIResponse(responseCode = "200", description = "An ephemeral message for Slack", content = @Content(mediaType = "application/json", schema = @Schema(implementation = Ephemeral.class)))
    @Extension(name = "x-toban-security", value = "Slack's v0 request signature (X-Slack-Signature, X-Slack-Request-Timestamp) with the app's signing secret")
    @APIResponse(responseCode = "401", description = "A missing, wrong or stale (over 5 minutes) Slack signature, or a replayed request",
            content = @Content(mediaType = "application/problem+json", schema = @Schema(ref = "Problem")))
    @Consumes(MediaType.WILDCARD)
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Slack slash commands /sos and /toban", description = "Verifies the v0 signature (5-minute "
            + "window), accepts each signed request once (401 for a replay; a request Slack sends again, "
            + "X-Slack-Retry-Num, is answered 200 and does nothing new). /sos text and /toban sos text open an incident "
            + "on the triage service; /toban new opens the declare modal, /toban update [#42] text posts a status "
            + "update, /toban status [#42] shows an incident or the open ones, /toban oncall who is on call now, "
            + "/toban help the help. Answers with an ephemeral message in Japanese or English.")
    @NonBlocking
    public Uni<Response> command(@HeaderParam("X-Slack-Request-Timestamp") String timestamp,
                                 @HeaderParam("X-Slack-Signature") String signature,
                                 @HeaderParam("X-Slack-Retry-Num") String retryNum, byte[] body) {
        return Offload.toWorker(() -> answer(timestamp, signature, retryNum, body));
    }

    private Response answer(String timestamp, String signature, String retryNum, byte[] body) {
        byte[] raw = body == null ? new byte[0] : body;
        SlackRequests.Verdict verdict;
        try {
            verdict = slack.verify(timestamp, signature, raw);
        } catch (SQLException | RuntimeException e) {
            // the replay check could not be written: accept nothing, but tell the reporter what to do
            LOG.errorf("Slack command could not be checked for replay: %s", e.toString());
            return Response.ok(Ephemeral.of(SosService.failure(config.sos().defaultLocale()))).build();
        }
        Optional<Response> stop = SlackRequestGate.stop(verdict, timestamp, retryNum);
        if (stop.isPresent()) {
            return stop.get();
        }
        Map<String, String> form = SlackRequestGate.form(new String(raw, StandardCharsets.UTF_8));
        String text = form.getOrDefault("text", "").strip();
        if ("/toban".equals(form.get("command"))) {
            String sub = text.split("\\s+", 2)[0];
            if (!"sos".equalsIgnoreCase(sub)) {
                try {
                    SlackApp.Answer answer = app.command(form);
                    return answer.body() == null ? Response.ok().build() : Response.ok(answer.body()).build();
                } catch (RuntimeException e) {
                    // Slack shows only what we answer: never a bare error
                    LOG.errorf(e, "/toban %s from Slack user %s failed", sub, form.get("user_id"));
                    return Response.ok(Ephemeral.of(SosService.failure(config.sos().defaultLocale()))).build();
                }
            }
            text = text.substring(sub.length()).strip(); // /toban sos text is /sos text
        }
        return sos(form, text);
    }

    /** {@code /sos text}: an incident on the triage service, paged like any other. */
    private Response sos(Map<String, String> form, String text) {
        Optional<Person> reporter = people.bySlackUserId(form.get("user_id"));
        String locale = reporter.map(p -> p.locale).filter(l -> l != null && !l.isBlank())
                .orElse(config.sos().defaultLocale());
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
}

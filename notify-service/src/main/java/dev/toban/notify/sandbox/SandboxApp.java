package dev.toban.notify.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import dev.toban.notify.config.SlackSettings;
import dev.toban.plumbing.slack.SlackSignature;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.stream.Collectors;
import org.jboss.logging.Logger;

/**
 * The Slack app's side of the sandbox: sends Toban's Slack endpoints (incident-service) the requests
 * Slack sends, signed the same way (v0 with the signing secret): interactions as a form with one
 * {@code payload} field, slash commands as a form. The URLs come from configuration (they are Toban's
 * own endpoints), so these calls do not go through the egress policy. Never called inside a transaction.
 */
@ApplicationScoped
public class SandboxApp {

    private static final Logger LOG = Logger.getLogger(SandboxApp.class);
    /** How long Slack waits for an app to answer; longer answers are errors in Slack. */
    public static final Duration SLACK_WAITS = Duration.ofSeconds(3);

    /**
     * What the app answered.
     *
     * @param failure why there is no usable answer (no signing secret, unreachable, timed out), or null
     */
    public record Answer(int status, String body, String contentType, Duration took, String failure) {
        public boolean ok() {
            return failure == null && status >= 200 && status < 300;
        }

        /** Slack would have shown an error although the app answered in the end. */
        public boolean tooSlow() {
            return took.compareTo(SLACK_WAITS) > 0;
        }

        public boolean json() {
            return contentType != null && contentType.toLowerCase(java.util.Locale.ROOT).contains("json");
        }
    }

    private final SlackSettings.Sandbox settings;
    private final HttpClient http;

    public SandboxApp(SlackSettings slack) {
        this.settings = slack.sandbox();
        this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(3)).followRedirects(HttpClient.Redirect.NEVER).build();
    }

    /** block_actions, view_submission, view_closed: {@code payload=<json>} to the interactivity URL. */
    public Answer interaction(JsonNode payload) {
        String body = "payload=" + URLEncoder.encode(payload.toString(), StandardCharsets.UTF_8);
        return send(settings.interactionsUrl(), body);
    }

    /** A slash command, as Slack posts it to the command's request URL. */
    public Answer command(Map<String, String> form) {
        String body = form.entrySet().stream()
                .map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
                        + URLEncoder.encode(e.getValue() == null ? "" : e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
        return send(settings.commandsUrl(), body);
    }

    private Answer send(String url, String body) {
        String secret = settings.signingSecret().map(String::strip).orElse("");
        if (secret.isEmpty()) {
            return new Answer(0, null, null, Duration.ZERO,
                    "no signing secret (toban.slack.sandbox.signing-secret, env TOBAN_SLACK_SIGNING_SECRET)");
        }
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        String timestamp = Long.toString(Instant.now().getEpochSecond());
        HttpRequest request;
        try {
            request = HttpRequest.newBuilder(URI.create(url))
                    .timeout(settings.appTimeout())
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .header("User-Agent", "Slackbot 1.0 (+https://api.slack.com/robots) Toban-sandbox")
                    .header("X-Slack-Request-Timestamp", timestamp)
                    .header("X-Slack-Signature", SlackSignature.sign(secret, timestamp, bytes))
                    .POST(HttpRequest.BodyPublishers.ofByteArray(bytes))
                    .build();
        } catch (IllegalArgumentException e) {
            return new Answer(0, null, null, Duration.ZERO, "the app's URL " + url + " is not a URL");
        }
        long started = System.nanoTime();
        try {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            Duration took = Duration.ofNanos(System.nanoTime() - started);
            return new Answer(response.statusCode(), response.body(),
                    response.headers().firstValue("Content-Type").orElse(null), took, null);
        } catch (HttpTimeoutException e) {
            return new Answer(0, null, null, Duration.ofNanos(System.nanoTime() - started), "operation_timeout");
        } catch (IOException e) {
            LOG.debugf("Sandbox request to %s failed: %s", url, e.toString());
            return new Answer(0, null, null, Duration.ofNanos(System.nanoTime() - started),
                    "dispatch_failed (" + e.getClass().getSimpleName() + ")");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Answer(0, null, null, Duration.ofNanos(System.nanoTime() - started), "interrupted");
        }
    }
}

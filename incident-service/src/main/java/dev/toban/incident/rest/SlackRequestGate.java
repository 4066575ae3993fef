package dev.toban.incident.rest;

import dev.toban.incident.slack.SlackRequests;
import dev.toban.plumbing.input.Text;
import dev.toban.plumbing.problem.Problem;
import jakarta.ws.rs.core.Response;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * What every Slack endpoint answers before looking at the request: 401 for a missing, stale or wrong signature, 401
 * for a replay, and 200 with nothing done for a request Slack sends again ({@code X-Slack-Retry-Num}: the same body
 * signed anew, or the same signed request).
 */
final class SlackRequestGate {

    private static final Logger LOG = Logger.getLogger(SlackRequestGate.class);

    private SlackRequestGate() {
    }

    /** The answer for a request that is not to be acted on, or empty when it is. */
    static Optional<Response> stop(SlackRequests.Verdict verdict, String timestamp, String retryNum) {
        return switch (verdict) {
            case ACCEPTED -> Optional.empty();
            case UNSIGNED -> Optional.of(Problem.of(401, "Unauthorized",
                    "The Slack request signature is missing, stale or wrong",
                    List.of(new Problem.FieldError("X-Slack-Signature", "does not verify"))).toResponse());
            case REPLAYED -> {
                if (retryNum != null && !retryNum.isBlank()) {
                    LOG.debugf("Slack sent a request again (retry %s): answered, nothing done", retryNum);
                    yield Optional.of(Response.ok().build());
                }
                LOG.debugf("Refused a replayed Slack request (timestamp %s)", timestamp);
                yield Optional.of(Problem.of(401, "Request already received", "This signed Slack request was already "
                                + "received; a request is accepted once",
                        List.of(new Problem.FieldError("X-Slack-Signature", "was already received (a replay)")))
                        .toResponse());
            }
            case DUPLICATE -> {
                LOG.debugf("Slack sent a request body again (retry %s): answered, nothing done", retryNum);
                yield Optional.of(Response.ok().build());
            }
        };
    }

    /**
     * The form's values, decoded. Control characters are dropped ({@link Text#clean}): an SOS is never lost, nor a
     * lookup broken, for a stray byte. Line breaks stay (a status update may have several lines).
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
                // a malformed escape: skip the pair rather than fail the whole request
            }
        }
        return values;
    }
}

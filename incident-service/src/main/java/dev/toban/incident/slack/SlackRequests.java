package dev.toban.incident.slack;

import dev.toban.incident.config.IncidentConfig;
import dev.toban.plumbing.slack.SlackSignature;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.SQLException;
import java.time.Instant;
import java.util.HexFormat;

/**
 * Whether a request really comes from Slack, once: the v0 signature over the raw body within the
 * tolerance ({@link SlackSignature}, no database), then the replay check ({@link ReplayGuard}, one
 * insert), then whether the same body was received before (a Slack retry, signed anew: one more insert).
 * Every Slack endpoint (the slash commands and the interactivity endpoint) asks this first.
 */
@ApplicationScoped
public class SlackRequests {

    /** The outcome of {@link #verify}. */
    public enum Verdict {
        /** Signed by Slack, fresh, and never seen before. */
        ACCEPTED,
        /** Missing, stale or wrong signature (or no signing secret configured). */
        UNSIGNED,
        /** A correctly signed request that was already received: a replay. */
        REPLAYED,
        /**
         * Signed by Slack and fresh, but its body was already received within {@code retry-window}: Slack sending
         * it again (a retry). Answered 200; nothing new is done.
         */
        DUPLICATE
    }

    static final String SOURCE = "slack";
    /** Rows of bodies received (request_ts 0, the body's SHA-256 for the signature). */
    static final String BODIES = "slack-body";

    private final ReplayGuard replays;
    private final IncidentConfig.Slack config;
    /** Replays refused, for operators (a log line each would let one captured request flood the log). */
    private final Counter replayed;

    public SlackRequests(ReplayGuard replays, IncidentConfig config, MeterRegistry registry) {
        this.replays = replays;
        this.config = config.slack();
        this.replayed = Counter.builder("toban_incident_slack_replays_refused")
                .description("Correctly signed Slack requests refused because they were already received")
                .register(registry);
    }

    /** @throws SQLException when the replay check cannot reach the database (nothing is accepted then) */
    public Verdict verify(String timestamp, String signature, byte[] body) throws SQLException {
        Instant now = Instant.now();
        if (!SlackSignature.verify(config.signingSecret().orElse(null), timestamp, signature, body, now,
                config.tolerance())) {
            return Verdict.UNSIGNED;
        }
        long seconds = Long.parseLong(timestamp.strip()); // verify() parsed it already
        boolean first = replays.firstTime(SOURCE, seconds, signature.strip(),
                Instant.ofEpochSecond(seconds).plus(config.tolerance()));
        if (!first) {
            replayed.increment();
            return Verdict.REPLAYED;
        }
        boolean newBody = replays.firstTime(BODIES, 0, sha256(body), now.plus(config.retryWindow()));
        return newBody ? Verdict.ACCEPTED : Verdict.DUPLICATE;
    }

    private static String sha256(byte[] body) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(body));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}

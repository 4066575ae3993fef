package dev.toban.incident.service;

import dev.toban.incident.config.IncidentConfig;
import dev.toban.plumbing.slack.SlackSignature;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.SQLException;
import java.time.Instant;

/**
 * Whether a request really comes from Slack, once: the v0 signature over the raw body within the
 * tolerance ({@link SlackSignature}, no database), then the replay check ({@link ReplayGuard}, one
 * insert). Every Slack endpoint (the {@code /sos} command, and interactivity later) asks this first.
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
        REPLAYED
    }

    static final String SOURCE = "slack";

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
        return Verdict.ACCEPTED;
    }
}

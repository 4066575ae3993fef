package dev.toban.notify.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Optional;

/** The Slack Web API connection. Without a bot token Slack is off and Slack deliveries are skipped. */
@ConfigMapping(prefix = "toban.slack")
public interface SlackSettings {

    /** Base URL of the Web API methods; tests and the benchmark point it at a fake Slack. */
    @WithDefault("https://slack.com/api/")
    String apiUrl();

    /** Bot token ({@code xoxb-...}, env {@code SLACK_BOT_TOKEN}). Empty: Slack is disabled. */
    Optional<String> botToken();

    /** Channel for incident threads when neither the service nor the owning team names one. */
    @WithDefault("#incidents")
    String defaultChannel();

    /**
     * Least time between two posts to one Slack channel (Slack allows about one per second per
     * channel). {@code 0} turns pacing off.
     */
    @WithDefault("1s")
    Duration postInterval();

    /**
     * With pacing off, how many posts to one channel may be in flight at once. They are always of
     * different incident threads (a thread's messages go one after another), and a channel's posts
     * outside threads still go one at a time. With pacing on a channel has one post in flight.
     */
    @WithDefault("4")
    int unpacedParallelism();

    /** Timeout of one Web API call. */
    @WithDefault("10s")
    Duration timeout();
}

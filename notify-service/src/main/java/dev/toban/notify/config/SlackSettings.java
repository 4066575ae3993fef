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
     * Least time between two chat.update calls of one incident's parent message. Events in between
     * fold into the one update waiting, which then shows the newest state. {@code 0}: no wait.
     */
    @WithDefault("1s")
    Duration updateInterval();

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

    /** The Slack sandbox (docs/operations.md): a Slack-compatible workspace inside notify-service. */
    Sandbox sandbox();

    interface Sandbox {
        /**
         * On or off explicitly (env {@code TOBAN_SLACK_SANDBOX_ENABLED}). Unset: on outside the {@code prod}
         * profile. Whatever this says, the sandbox is off when {@code toban.slack.bot-token} is a real token
         * (set and not {@link #token()}).
         */
        Optional<Boolean> enabled();

        /** The bot token the sandbox's Web API accepts; notify-service and incident-service use it in the demo. */
        @WithDefault("xoxb-sandbox")
        String token();

        /** Where clicks and modal submissions go, as Slack's interactivity request URL. */
        @WithDefault("${toban.web.links.incident}/integrations/slack/interactions")
        String interactionsUrl();

        /** Where slash commands ({@code /toban}, {@code /sos}) go. */
        @WithDefault("${toban.web.links.incident}/integrations/slack/commands")
        String commandsUrl();

        /** Signs the requests to the app like Slack (v0); env {@code TOBAN_SLACK_SIGNING_SECRET}. */
        Optional<String> signingSecret();

        /** This service's public base URL: response_urls and permalinks point at it. */
        @WithDefault("${toban.web.links.notifications}")
        String publicUrl();

        /**
         * How long a trigger_id can open a modal. Slack allows 3 seconds; the sandbox is kinder to a
         * cold JVM and shows a warning on the page when the app took longer than Slack's 3 seconds.
         */
        @WithDefault("10s")
        Duration triggerTtl();

        /** How long the sandbox waits for the app's answer to a click, a submission or a command. */
        @WithDefault("10s")
        Duration appTimeout();

        /**
         * Whether a new workspace greets the people on call now with their handoff notice (運用当番のお知らせ),
         * which oncall-service announces only when a shift starts: a newcomer's demo shows it at once.
         */
        @WithDefault("true")
        boolean welcome();

        /**
         * Shifts that started longer ago than this get the welcome; newer ones oncall-service announces
         * itself (its {@code toban.oncall.handoff.announce-lookback}, 2 hours).
         */
        @WithDefault("2h")
        Duration welcomeAfter();
    }
}

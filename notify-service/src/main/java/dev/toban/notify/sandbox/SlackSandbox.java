package dev.toban.notify.sandbox;

import dev.toban.notify.config.SlackSettings;
import io.quarkus.runtime.configuration.ConfigUtils;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * Whether the Slack sandbox is on: never with a real bot token, otherwise as
 * {@code toban.slack.sandbox.enabled} says, and when that is unset everywhere but in the {@code prod}
 * profile. Decided once at start; when off every sandbox path answers 404 ({@code SandboxGate}).
 */
@ApplicationScoped
public class SlackSandbox {

    private static final Logger LOG = Logger.getLogger(SlackSandbox.class);

    /** The bot user of Toban in the sandbox, its bot id, the workspace and the app. */
    public static final String BOT_USER = "UTOBANBOT";
    public static final String BOT_ID = "BTOBAN";
    public static final String SLACKBOT = "USLACKBOT";
    public static final String TEAM = "T0TOBAN";
    public static final String TEAM_DOMAIN = "toban-sandbox";
    public static final String APP = "A0TOBAN";

    private final boolean enabled;
    private final SlackSettings.Sandbox settings;

    @Inject
    public SlackSandbox(SlackSettings slack) {
        this(slack, ConfigUtils.getProfiles());
    }

    SlackSandbox(SlackSettings slack, List<String> profiles) {
        this.settings = slack.sandbox();
        this.enabled = decide(slack.sandbox().enabled(), slack.botToken(), slack.sandbox().token(), profiles);
        if (enabled) {
            LOG.infof("The Slack sandbox is on: Web API at /sandbox/slack/api/ (token %s), workspace at /ui/slack",
                    settings.token());
        }
    }

    /**
     * The rule: a real token (set and not the sandbox's) turns the sandbox off; else the explicit
     * setting; else on unless the profile is {@code prod}.
     */
    public static boolean decide(Optional<Boolean> explicit, Optional<String> botToken, String sandboxToken,
                                 List<String> profiles) {
        boolean realToken = botToken.map(String::strip).filter(t -> !t.isEmpty() && !t.equals(sandboxToken)).isPresent();
        if (realToken) {
            return false;
        }
        return explicit.orElse(!profiles.contains("prod"));
    }

    public boolean enabled() {
        return enabled;
    }

    public SlackSettings.Sandbox settings() {
        return settings;
    }

    /** The public base URL of this service, without a trailing slash. */
    public String publicUrl() {
        String url = settings.publicUrl().strip();
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }
}

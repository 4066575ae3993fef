package dev.toban.incident.client;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.slack.api.methods.MethodsClient;
import com.slack.api.methods.SlackApiException;
import com.slack.api.methods.SlackApiTextResponse;
import com.slack.api.methods.response.users.UsersInfoResponse;
import com.slack.api.methods.response.views.ViewsOpenResponse;
import com.slack.api.model.User;
import dev.toban.incident.config.IncidentConfig;
import dev.toban.plumbing.egress.EgressClient;
import dev.toban.plumbing.egress.EgressPolicy;
import dev.toban.plumbing.egress.EgressRequest;
import dev.toban.plumbing.egress.EgressResponse;
import dev.toban.plumbing.slack.SlackClients;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.net.URI;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * The Slack Web API as the Slack app uses it: {@code views.open} / {@code views.update} (modals),
 * {@code users.info} (a Slack user's email and language), {@code chat.postEphemeral}, and posting to an
 * interaction's {@code response_url}. Web API calls go through toban-plumbing's {@link SlackClients} (the bot
 * token, every connection vetted by the egress policy); a {@code response_url} through the {@link EgressClient}.
 * Never call these inside a database transaction.
 */
@ApplicationScoped
public class SlackWebClient {

    private static final Logger LOG = Logger.getLogger(SlackWebClient.class);

    /** A Slack call that did not succeed; {@code error} is Slack's error code or the transport failure. */
    public static final class SlackCallException extends Exception {
        private final String error;

        public SlackCallException(String error, Throwable cause) {
            super(error, cause);
            this.error = error;
        }

        public String error() {
            return error;
        }
    }

    /** What users.info tells about a Slack user. */
    public record UserInfo(String id, String email, String locale, boolean deleted) {
    }

    private final SlackClients slack;
    private final MethodsClient methods;
    private final EgressClient egress;
    private final ObjectMapper mapper;

    public SlackWebClient(IncidentConfig config, EgressPolicy policy, EgressClient egress, ObjectMapper mapper) {
        this.egress = egress;
        this.mapper = mapper;
        IncidentConfig.Slack settings = config.slack();
        Optional<String> token = settings.botToken().map(String::strip).filter(t -> !t.isEmpty());
        if (token.isPresent()) {
            this.slack = SlackClients.create(settings.apiUrl(), token.get(), settings.timeout(), policy);
            this.methods = slack.methods();
            LOG.infof("Slack app: Web API at %s", slack.apiUrl());
        } else {
            this.slack = null;
            this.methods = null;
            LOG.info("Slack app: no bot token (SLACK_BOT_TOKEN); modals cannot open and Slack users are matched by "
                    + "their stored Slack user id only");
        }
    }

    @PreDestroy
    void close() {
        if (slack != null) {
            slack.close();
        }
    }

    /** Whether a bot token is set (modals, users.info and chat.postEphemeral need it). */
    public boolean enabled() {
        return methods != null;
    }

    /** Opens a modal for the interaction's {@code trigger_id} (valid 3 s after the click). */
    public void openView(String triggerId, ObjectNode view) throws SlackCallException {
        ViewsOpenResponse response = call("views.open",
                m -> m.viewsOpen(r -> r.triggerId(triggerId).viewAsString(view.toString())));
        LOG.debugf("views.open %s: %s", view.path("callback_id").asText(), response.getView() == null ? "-"
                : response.getView().getId());
    }

    /** Replaces an open modal (after a long-running submission finished). */
    public void updateView(String viewId, ObjectNode view) throws SlackCallException {
        call("views.update", m -> m.viewsUpdate(r -> r.viewId(viewId).viewAsString(view.toString())));
    }

    /** The Slack user's email and language; empty when Slack does not know the user. */
    public Optional<UserInfo> userInfo(String userId) throws SlackCallException {
        UsersInfoResponse response;
        try {
            response = call("users.info", m -> m.usersInfo(r -> r.user(userId).includeLocale(true)));
        } catch (SlackCallException e) {
            if ("user_not_found".equals(e.error()) || "users_not_found".equals(e.error())) {
                return Optional.empty();
            }
            throw e;
        }
        User user = response.getUser();
        if (user == null) {
            return Optional.empty();
        }
        String email = user.getProfile() == null ? null : user.getProfile().getEmail();
        return Optional.of(new UserInfo(user.getId(), email, user.getLocale(), user.isDeleted()));
    }

    /** A message only {@code user} sees, in {@code channel}. */
    public void postEphemeral(String channel, String user, String text) throws SlackCallException {
        call("chat.postEphemeral", m -> m.chatPostEphemeral(r -> r.channel(channel).user(user).text(text)));
    }

    /**
     * A private answer through an interaction's {@code response_url} (valid 30 minutes, 5 uses): shown only to the
     * person who acted, the original message left as it is.
     */
    public void respond(String responseUrl, String text) throws SlackCallException {
        ObjectNode body = mapper.createObjectNode().put("response_type", "ephemeral").put("replace_original", false)
                .put("text", text);
        EgressResponse answer;
        try {
            answer = egress.send(EgressRequest.post(URI.create(responseUrl), body.toString())
                    .header("Content-Type", "application/json; charset=utf-8"));
        } catch (IOException | IllegalArgumentException e) {
            throw new SlackCallException("response_url failed: " + e.getMessage(), e);
        }
        if (!answer.successful()) {
            throw new SlackCallException("response_url answered " + answer.status(), null);
        }
    }

    @FunctionalInterface
    private interface Call<T extends SlackApiTextResponse> {
        T run(MethodsClient methods) throws IOException, SlackApiException;
    }

    private <T extends SlackApiTextResponse> T call(String method, Call<T> call) throws SlackCallException {
        MethodsClient client = methods();
        T response;
        try {
            response = call.run(client);
        } catch (SlackApiException e) {
            throw new SlackCallException(method + " answered HTTP " + e.getResponse().code(), e);
        } catch (IOException | RuntimeException e) {
            throw new SlackCallException(method + " failed: " + e, e);
        }
        if (!response.isOk()) {
            throw new SlackCallException(response.getError(), null);
        }
        return response;
    }

    private MethodsClient methods() throws SlackCallException {
        if (methods == null) {
            throw new SlackCallException("no bot token (SLACK_BOT_TOKEN)", null);
        }
        return methods;
    }
}

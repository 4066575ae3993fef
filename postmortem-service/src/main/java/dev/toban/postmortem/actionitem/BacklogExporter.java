package dev.toban.postmortem.actionitem;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.toban.plumbing.egress.EgressClient;
import dev.toban.plumbing.egress.EgressRefusedException;
import dev.toban.plumbing.egress.EgressRequest;
import dev.toban.plumbing.egress.EgressResponse;
import dev.toban.plumbing.input.Text;
import dev.toban.plumbing.problem.ProblemException;
import dev.toban.postmortem.config.PostmortemConfig;
import dev.toban.postmortem.model.ActionItem;
import dev.toban.postmortem.model.BacklogKind;
import dev.toban.postmortem.model.BacklogWebhook;
import dev.toban.postmortem.model.Postmortem;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * POSTs an action item to a team's backlog webhook and reads back the URL. The call goes
 * through the egress policy ({@link EgressClient}); the caller is told the outcome, never the
 * tracker's own words (those go to the log).
 */
@ApplicationScoped
public class BacklogExporter {

    private static final Logger LOG = Logger.getLogger(BacklogExporter.class);
    /** Enough for GitHub's issue JSON; more of an answer is not read. */
    private static final int ANSWER_BYTES = 256 * 1024;
    /** The {@code external_url} column. */
    static final int MAX_URL = 1000;

    /** The created issue; {@code externalUrl} is null when the answer named no https URL. */
    public record Result(int status, String externalUrl) {
    }

    private final ObjectMapper mapper;
    private final PostmortemConfig.Backlog config;
    private final EgressClient egress;

    public BacklogExporter(ObjectMapper mapper, PostmortemConfig config, EgressClient egress) {
        this.mapper = mapper;
        this.config = config.backlog();
        this.egress = egress;
    }

    public Result export(BacklogWebhook hook, ActionItem item, Postmortem p, String postmortemUrl) {
        ObjectNode payload = hook.kind == BacklogKind.GITHUB
                ? BacklogPayloads.github(mapper, hook, item, p, postmortemUrl)
                : BacklogPayloads.jira(mapper, hook, item, p, postmortemUrl);
        URI uri;
        try {
            uri = new URI(hook.url.strip());
        } catch (URISyntaxException e) {
            throw badGateway("the backlog webhook's URL is not valid");
        }
        EgressRequest request = EgressRequest.post(uri, payload.toString())
                .timeout(config.timeout())
                .maxResponseBytes(ANSWER_BYTES)
                .header("Content-Type", "application/json")
                .header("Accept", hook.kind == BacklogKind.GITHUB ? "application/vnd.github+json" : "application/json")
                .header("User-Agent", "Toban-postmortem");
        if (hook.kind == BacklogKind.GITHUB) {
            request = request.header("X-GitHub-Api-Version", "2022-11-28");
        }
        if (hook.secret != null && !hook.secret.isBlank()) {
            String header = hook.kind == BacklogKind.GITHUB ? config.githubTokenHeader() : config.jiraTokenHeader();
            String prefix = hook.kind == BacklogKind.GITHUB ? config.githubTokenPrefix() : config.jiraTokenPrefix();
            request = request.header(header, prefix + hook.secret);
        }
        EgressResponse response;
        try {
            response = egress.send(request);
        } catch (EgressRefusedException e) {
            LOG.warnf("Backlog webhook %s of team %s not called: %s", hook.id, hook.teamName, e.getMessage());
            throw new ProblemException(409, "Refused by egress policy", EgressRefusedException.SUMMARY
                    + ": the backlog webhook of team " + (hook.teamName == null ? hook.teamId : hook.teamName)
                    + " points at an address Toban may not call; an admin changes its URL or allows it"
                    + " (toban.egress.allow)", List.of());
        } catch (IOException e) {
            LOG.warnf("Backlog webhook %s of team %s unreachable: %s", hook.id, hook.teamName, e.toString());
            throw badGateway("the backlog webhook cannot be reached (" + failure(e) + ")");
        }
        if (!response.successful()) {
            LOG.warnf("Backlog webhook %s answered %d: %s", hook.id, response.status(), oneLine(response.text()));
            throw badGateway("the backlog webhook answered HTTP " + response.status());
        }
        return new Result(response.status(), externalUrl(mapper, hook, response.text()));
    }

    /**
     * GitHub answers {@code html_url}; Jira answers {@code {id, key, self}}, shown as {@code <site>/browse/<key>}.
     * Kept only when it is an https URL: it becomes a link on the pages.
     */
    static String externalUrl(ObjectMapper mapper, BacklogWebhook hook, String body) {
        try {
            JsonNode json = mapper.readTree(body == null || body.isBlank() ? "{}" : body);
            if (hook.kind == BacklogKind.GITHUB) {
                return https(json.hasNonNull("html_url") ? json.get("html_url").asText() : null);
            }
            if (json.hasNonNull("key") && json.get("key").asText().matches("[A-Za-z][A-Za-z0-9_]*-[0-9]+")) {
                int rest = hook.url.indexOf("/rest/");
                String site = rest > 0 ? hook.url.substring(0, rest) : hook.url;
                return https(site + "/browse/" + json.get("key").asText());
            }
            return https(json.hasNonNull("self") ? json.get("self").asText() : null);
        } catch (IOException e) {
            return null;
        }
    }

    /** {@code url} when it is an absolute https URL that fits its column; null otherwise ({@code javascript:}, http, junk). */
    static String https(String url) {
        if (url == null || url.length() > MAX_URL) {
            return null;
        }
        try {
            URI uri = new URI(url);
            return "https".equalsIgnoreCase(uri.getScheme()) && uri.getHost() != null ? url : null;
        } catch (URISyntaxException e) {
            return null;
        }
    }

    private static String failure(IOException e) {
        if (e instanceof SocketTimeoutException) {
            return "no answer in time";
        }
        if (e instanceof ConnectException) {
            return "no connection";
        }
        if (e instanceof UnknownHostException) {
            return "unknown host";
        }
        return "the connection failed";
    }

    private static ProblemException badGateway(String detail) {
        return new ProblemException(502, "Bad gateway", detail, List.of());
    }

    /** A remote text for one log line: clean, no line breaks, at most 300 characters. */
    private static String oneLine(String s) {
        String clean = Text.clean(s).replaceAll("\\s+", " ");
        return clean.length() <= 300 ? clean : clean.substring(0, 300) + "...";
    }
}

package dev.toban.postmortem.service;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.toban.plumbing.problem.ProblemException;
import dev.toban.postmortem.config.PostmortemConfig;
import dev.toban.postmortem.model.ActionItem;
import dev.toban.postmortem.model.BacklogKind;
import dev.toban.postmortem.model.BacklogWebhook;
import dev.toban.postmortem.model.Postmortem;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.jboss.logging.Logger;

/** POSTs an action item to a team's backlog webhook and reads back the URL. */
@ApplicationScoped
public class BacklogExporter {

    private static final Logger LOG = Logger.getLogger(BacklogExporter.class);

    /** The created issue; {@code externalUrl} is null when the answer did not name one. */
    public record Result(int status, String externalUrl) {
    }

    private final ObjectMapper mapper;
    private final PostmortemConfig.Backlog config;
    private final HttpClient http;

    public BacklogExporter(ObjectMapper mapper, PostmortemConfig config) {
        this.mapper = mapper;
        this.config = config.backlog();
        this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5))
                .followRedirects(HttpClient.Redirect.NEVER).build();
    }

    public Result export(BacklogWebhook hook, ActionItem item, Postmortem p, String postmortemUrl) {
        ObjectNode payload = hook.kind == BacklogKind.GITHUB
                ? BacklogPayloads.github(mapper, hook, item, p, postmortemUrl)
                : BacklogPayloads.jira(mapper, hook, item, p, postmortemUrl);
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(hook.url))
                .timeout(config.timeout())
                .header("Content-Type", "application/json")
                .header("Accept", hook.kind == BacklogKind.GITHUB ? "application/vnd.github+json" : "application/json")
                .header("User-Agent", "Toban-postmortem")
                .POST(HttpRequest.BodyPublishers.ofString(payload.toString(), StandardCharsets.UTF_8));
        if (hook.kind == BacklogKind.GITHUB) {
            request.header("X-GitHub-Api-Version", "2022-11-28");
        }
        if (hook.secret != null && !hook.secret.isBlank()) {
            String header = hook.kind == BacklogKind.GITHUB ? config.githubTokenHeader() : config.jiraTokenHeader();
            String prefix = hook.kind == BacklogKind.GITHUB ? config.githubTokenPrefix() : config.jiraTokenPrefix();
            request.header(header, prefix + hook.secret);
        }
        HttpResponse<String> response;
        try {
            response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            LOG.warnf("Backlog webhook %s of team %s unreachable: %s", hook.id, hook.teamName, e.toString());
            throw badGateway("the backlog webhook cannot be reached: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw badGateway("interrupted while calling the backlog webhook");
        }
        if (response.statusCode() / 100 != 2) {
            String body = response.body() == null ? "" : response.body();
            LOG.warnf("Backlog webhook %s answered %d: %s", hook.id, response.statusCode(), abbreviate(body));
            throw badGateway("the backlog webhook answered " + response.statusCode() + ": " + abbreviate(body));
        }
        return new Result(response.statusCode(), externalUrl(hook, response.body()));
    }

    /** GitHub answers {@code html_url}; Jira answers {@code {id, key, self}}, shown as {@code <site>/browse/<key>}. */
    String externalUrl(BacklogWebhook hook, String body) {
        try {
            JsonNode json = mapper.readTree(body == null || body.isBlank() ? "{}" : body);
            if (hook.kind == BacklogKind.GITHUB) {
                return json.hasNonNull("html_url") ? json.get("html_url").asText() : null;
            }
            if (json.hasNonNull("key")) {
                int rest = hook.url.indexOf("/rest/");
                String site = rest > 0 ? hook.url.substring(0, rest) : hook.url;
                return site + "/browse/" + json.get("key").asText();
            }
            return json.hasNonNull("self") ? json.get("self").asText() : null;
        } catch (IOException e) {
            return null;
        }
    }

    private static ProblemException badGateway(String detail) {
        return new ProblemException(502, "Bad gateway", detail, List.of());
    }

    private static String abbreviate(String s) {
        return s.length() <= 300 ? s : s.substring(0, 300) + "...";
    }
}

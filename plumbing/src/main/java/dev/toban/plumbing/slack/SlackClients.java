package dev.toban.plumbing.slack;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.slack.api.Slack;
import com.slack.api.SlackConfig;
import com.slack.api.audit.AuditConfig;
import com.slack.api.methods.MethodsClient;
import com.slack.api.methods.MethodsConfig;
import com.slack.api.scim.SCIMConfig;
import com.slack.api.scim2.SCIM2Config;
import com.slack.api.util.http.SlackHttpClient;
import dev.toban.plumbing.egress.EgressPolicy;
import java.io.IOException;
import java.net.Proxy;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import okhttp3.FormBody;
import okhttp3.OkHttpClient;
import okhttp3.Response;
import okhttp3.ResponseBody;

/**
 * The Slack SDK's Web API client for one base URL and bot token. Every connection is vetted by the egress policy
 * as it opens (the SDK's OkHttp client gets {@link EgressPolicy#socketFactory()}; no proxy, no redirects), so an
 * API URL pointing inside is refused like any webhook. The base URL is configurable so that tests talk to a fake
 * Slack and {@code bin/toban up} to notify-service's Slack sandbox.
 *
 * <p>{@link #call} is the cheap path for hot methods (chat.postMessage, chat.update...): the SDK parses every
 * reply with a Gson it builds afresh per call, so each reply re-reflects Slack's whole message model (a third of
 * notify-service's CPU per incident); {@code call} reads the reply as a Jackson tree over the same HTTP client.
 *
 * <p>A plain class, not a CDI bean: each service builds one from its own settings and closes it. slack-api-client
 * is an optional dependency of toban-plumbing; a service that uses this class declares it itself.
 */
public final class SlackClients implements AutoCloseable {

    private static final ObjectReader TREE = new ObjectMapper().reader();
    private static final AtomicBoolean STATIC_DEFAULTS_STOPPED = new AtomicBoolean();

    private final String apiUrl;
    private final String botToken;
    private final SlackHttpClient http;
    private final Slack slack;
    private final MethodsClient methods;

    private SlackClients(String apiUrl, String botToken, SlackHttpClient http, Slack slack, MethodsClient methods) {
        this.apiUrl = apiUrl;
        this.botToken = botToken;
        this.http = http;
        this.slack = slack;
        this.methods = methods;
    }

    /** A Web API reply: the HTTP status, the body as a tree (empty object when not JSON) and Retry-After. */
    public record Reply(int status, JsonNode body, String rawBody, String retryAfter) {

        /** HTTP 2xx and {@code "ok": true}. */
        public boolean ok() {
            return status / 100 == 2 && body.path("ok").asBoolean(false);
        }

        /** Slack's {@code error} code, or null. */
        public String error() {
            JsonNode e = body.get("error");
            return e == null || e.isNull() ? null : e.asText();
        }

        /** A top-level string field, or null. */
        public String text(String field) {
            JsonNode v = body.get(field);
            return v == null || v.isNull() ? null : v.asText();
        }
    }

    /**
     * Calls a Web API method with form parameters (null values are left out) and the bot token, without the SDK's
     * per-call Gson. IOException as from the SDK: a refused, failed or timed-out connection.
     */
    public Reply call(String method, Map<String, String> params) throws IOException {
        FormBody.Builder form = new FormBody.Builder();
        params.forEach((k, v) -> {
            if (v != null) {
                form.add(k, v);
            }
        });
        try (Response r = http.postFormWithBearerHeader(apiUrl + method, botToken, form.build())) {
            ResponseBody b = r.body();
            String raw = b == null ? "" : b.string();
            JsonNode tree;
            try {
                tree = raw.isBlank() ? TREE.createObjectNode() : TREE.readTree(raw);
            } catch (IOException notJson) {
                tree = TREE.createObjectNode();
            }
            return new Reply(r.code(), tree == null ? TREE.createObjectNode() : tree, raw, r.header("Retry-After"));
        }
    }

    /**
     * @param apiUrl   the Web API's methods base ({@code https://slack.com/api/}); a missing trailing slash is added
     * @param botToken the bot token ({@code xoxb-...})
     * @param timeout  of one call (connect, write, read and the whole call)
     */
    public static SlackClients create(String apiUrl, String botToken, Duration timeout, EgressPolicy egress) {
        Objects.requireNonNull(botToken, "botToken");
        String url = apiUrl.endsWith("/") ? apiUrl : apiUrl + "/";
        SlackConfig config = new SlackConfig();
        config.setMethodsEndpointUrlPrefix(url);
        config.setStatsEnabled(false);
        stopMetrics(config);
        config.setPrettyResponseLoggingEnabled(false);
        config.setFailOnUnknownProperties(false);
        int millis = (int) timeout.toMillis();
        config.setHttpClientReadTimeoutMillis(millis);
        config.setHttpClientWriteTimeoutMillis(millis);
        config.setHttpClientCallTimeoutMillis(millis);
        OkHttpClient http = SlackHttpClient.buildOkHttpClient(config).newBuilder()
                .socketFactory(egress.socketFactory())
                .proxy(Proxy.NO_PROXY)
                .followRedirects(false)
                .followSslRedirects(false)
                .build();
        SlackHttpClient client = new SlackHttpClient(http);
        client.setConfig(config);
        Slack slack = Slack.getInstance(config, client);
        return new SlackClients(url, botToken, client, slack, slack.methods(botToken));
    }

    /**
     * Each of the SDK's API configs (methods, audit, SCIM, SCIM 2) has an in-memory metrics store that starts a
     * thread at construction, which wakes every second although stats are off: this config's four, and those of the
     * SDK's static defaults (built when its classes load, never used here), eight more.
     */
    private static void stopMetrics(SlackConfig config) {
        if (STATIC_DEFAULTS_STOPPED.compareAndSet(false, true)) {
            stopMetricsOf(SlackConfig.DEFAULT);
            stopMetrics(MethodsConfig.DEFAULT_SINGLETON.getMetricsDatastore());
            stopMetrics(AuditConfig.DEFAULT_SINGLETON.getMetricsDatastore());
            stopMetrics(SCIMConfig.DEFAULT_SINGLETON.getMetricsDatastore());
            stopMetrics(SCIM2Config.DEFAULT_SINGLETON.getMetricsDatastore());
        }
        stopMetricsOf(config);
    }

    private static void stopMetricsOf(SlackConfig config) {
        stopMetrics(config.getMethodsConfig().getMetricsDatastore());
        stopMetrics(config.getAuditConfig().getMetricsDatastore());
        stopMetrics(config.getSCIMConfig().getMetricsDatastore());
        stopMetrics(config.getSCIM2Config().getMetricsDatastore());
    }

    private static void stopMetrics(AutoCloseable datastore) {
        try {
            if (datastore != null) {
                datastore.close();
            }
        } catch (Exception e) {
            // not fatal: only an idle thread stays
        }
    }

    /** The Web API methods, authenticated with the bot token. */
    public MethodsClient methods() {
        return methods;
    }

    /** The base URL in use, with its trailing slash. */
    public String apiUrl() {
        return apiUrl;
    }

    @Override
    public void close() {
        try {
            slack.close();
        } catch (Exception e) {
            // the SDK's executors only; nothing to tell the caller
        }
    }
}

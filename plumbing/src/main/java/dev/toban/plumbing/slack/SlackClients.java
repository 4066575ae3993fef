package dev.toban.plumbing.slack;

import com.slack.api.Slack;
import com.slack.api.SlackConfig;
import com.slack.api.methods.MethodsClient;
import com.slack.api.util.http.SlackHttpClient;
import dev.toban.plumbing.egress.EgressPolicy;
import java.net.Proxy;
import java.time.Duration;
import java.util.Objects;
import okhttp3.OkHttpClient;

/**
 * The Slack SDK's Web API client for one base URL and bot token. Every connection is vetted by the egress policy
 * as it opens (the SDK's OkHttp client gets {@link EgressPolicy#socketFactory()}; no proxy, no redirects), so an
 * API URL pointing inside is refused like any webhook. The base URL is configurable so that tests talk to a fake
 * Slack and {@code bin/toban up} to notify-service's Slack sandbox.
 *
 * <p>A plain class, not a CDI bean: each service builds one from its own settings and closes it. slack-api-client
 * is an optional dependency of toban-plumbing; a service that uses this class declares it itself.
 */
public final class SlackClients implements AutoCloseable {

    private final String apiUrl;
    private final Slack slack;
    private final MethodsClient methods;

    private SlackClients(String apiUrl, Slack slack, MethodsClient methods) {
        this.apiUrl = apiUrl;
        this.slack = slack;
        this.methods = methods;
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
        Slack slack = Slack.getInstance(config, new SlackHttpClient(http));
        return new SlackClients(url, slack, slack.methods(botToken));
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

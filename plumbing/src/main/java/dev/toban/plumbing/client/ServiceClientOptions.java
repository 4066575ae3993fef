package dev.toban.plumbing.client;

import io.vertx.core.http.HttpClientOptions;
import jakarta.ws.rs.ext.ContextResolver;

/**
 * The Vert.x HTTP client options of every REST client from one Toban service to another: each {@code *Api}
 * interface registers it ({@code @RegisterProvider(ServiceClientOptions.class)}); timeouts stay in
 * {@code quarkus.rest-client.*}. Vert.x looks for expired keep-alive connections in a client's pool every second
 * by default, which wakes an idle service's event loop once a second per client; connections are kept for
 * 60 s, so a look every {@value #POOL_CLEANER_PERIOD_MILLIS} ms is enough.
 */
public class ServiceClientOptions implements ContextResolver<HttpClientOptions> {

    static final int POOL_CLEANER_PERIOD_MILLIS = 15_000;

    @Override
    public HttpClientOptions getContext(Class<?> type) {
        return new HttpClientOptions().setPoolCleanerPeriod(POOL_CLEANER_PERIOD_MILLIS);
    }
}

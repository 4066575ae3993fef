package dev.toban.plumbing.egress;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.SocketAddress;
import io.vertx.core.net.TrustOptions;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import org.jboss.logging.Logger;

/**
 * The one HTTP client for calls out of Toban (webhooks, backlog exports, future providers). Every
 * call goes through the {@link EgressPolicy}: the host is resolved once, every address vetted, and the
 * connection pinned to the vetted address ({@code RequestOptions.setServer}) while the Host header,
 * TLS SNI and certificate check keep the name from the URL. Redirects are never followed, the
 * answer is read up to a cap, and every call has a connect timeout and an overall timeout.
 *
 * <p>Blocking: call it from a worker thread, never from an event loop.
 */
@Singleton
public class EgressClient {

    private static final Logger LOG = Logger.getLogger(EgressClient.class);

    private final EgressPolicy policy;
    private final HttpClient http;
    private final Duration connectTimeout;
    private final Duration timeout;
    private final int maxResponseBytes;

    @Inject
    public EgressClient(Vertx vertx, EgressPolicy policy, EgressConfig config) {
        this(vertx, policy, config.connectTimeout(), config.timeout(), config.maxResponseBytes(), null);
    }

    /** {@code trust}: certificates to trust instead of the JDK's (tests); null for the JDK's. */
    EgressClient(Vertx vertx, EgressPolicy policy, Duration connectTimeout, Duration timeout, int maxResponseBytes,
                 TrustOptions trust) {
        this.policy = policy;
        this.connectTimeout = connectTimeout;
        this.timeout = timeout;
        this.maxResponseBytes = maxResponseBytes;
        HttpClientOptions options = new HttpClientOptions()
                .setName("toban-egress")
                .setVerifyHost(true)
                .setTrustAll(false)
                .setTryUseCompression(false)
                .setKeepAliveTimeout(30);
        if (trust != null) {
            options.setTrustOptions(trust);
        }
        this.http = vertx.httpClientBuilder().with(options).with(new PoolOptions().setHttp1MaxSize(16))
                // a receiver's broken answer fails its call; it is not an error of this service to log
                .withConnectHandler(connection -> connection.exceptionHandler(e ->
                        LOG.debugf("egress connection to %s: %s", connection.remoteAddress(), e.toString())))
                .build();
    }

    @PreDestroy
    void close() {
        http.close();
    }

    /** The policy every call goes through (to vet a URL before queueing work for it). */
    public EgressPolicy policy() {
        return policy;
    }

    /**
     * Sends one request and reads the answer (any status; redirects are answers too).
     *
     * @throws EgressRefusedException when the policy refuses the destination; nothing was sent
     * @throws ConnectException       when no connection could be opened; nothing was sent
     * @throws IOException            for any other transport failure (timeout, broken answer), after which
     *                                the request may have arrived
     */
    public EgressResponse send(EgressRequest request) throws IOException {
        if (Context.isOnEventLoopThread()) {
            throw new IllegalStateException("EgressClient blocks: call it from a worker thread, not an event loop");
        }
        EgressPolicy.Target target = policy.vet(request.uri());
        long total = Math.max(1, (request.timeout() != null ? request.timeout() : timeout).toMillis());
        int cap = request.maxResponseBytes() > 0 ? request.maxResponseBytes() : maxResponseBytes;
        RequestOptions options = new RequestOptions()
                .setMethod(HttpMethod.valueOf(request.method().toUpperCase(Locale.ROOT)))
                // the connection goes to the vetted address; Host, SNI and certificate checks use the name
                .setServer(SocketAddress.inetSocketAddress(target.port(), target.address().getHostAddress()))
                .setHost(target.host())
                .setPort(target.port())
                .setSsl(target.tls())
                .setURI(target.requestUri())
                .setFollowRedirects(false)
                .setConnectTimeout(Math.min(connectTimeout.toMillis(), total))
                .setIdleTimeout(total);
        request.headers().forEach(options::putHeader);
        if (target.host().contains(":")) {
            // an IPv6 literal: Vert.x would write it into Host without brackets
            boolean defaultPort = target.port() == (target.tls() ? 443 : 80);
            options.putHeader("Host", "[" + target.host() + "]" + (defaultPort ? "" : ":" + target.port()));
        }
        AtomicReference<HttpClientRequest> inFlight = new AtomicReference<>();
        Future<EgressResponse> call = http.request(options).compose(sending -> {
            inFlight.set(sending);
            Future<HttpClientResponse> answer = request.body() == null ? sending.send()
                    : sending.send(Buffer.buffer(request.body()));
            return answer.compose(response -> read(response, cap));
        });
        try {
            return call.toCompletionStage().toCompletableFuture().get(total, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            reset(inFlight);
            throw new SocketTimeoutException("no answer from " + target.host() + " within " + total + " ms");
        } catch (ExecutionException e) {
            throw failure(e.getCause());
        } catch (InterruptedException e) {
            reset(inFlight);
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while calling " + target.host());
        }
    }

    /** Reads at most {@code cap} bytes; a longer answer is cut off and its connection closed. */
    private static Future<EgressResponse> read(HttpClientResponse response, int cap) {
        Promise<EgressResponse> done = Promise.promise();
        Buffer body = Buffer.buffer();
        boolean[] truncated = {false};
        response.exceptionHandler(done::tryFail);
        response.handler(chunk -> {
            if (truncated[0]) {
                return;
            }
            int room = cap - body.length();
            if (chunk.length() <= room) {
                body.appendBuffer(chunk);
                return;
            }
            body.appendBuffer(chunk, 0, room);
            truncated[0] = true;
            done.tryComplete(answer(response, body, true));
            response.request().reset();
        });
        response.endHandler(v -> done.tryComplete(answer(response, body, false)));
        return done.future();
    }

    private static EgressResponse answer(HttpClientResponse response, Buffer body, boolean truncated) {
        Map<String, List<String>> headers = new LinkedHashMap<>();
        response.headers().forEach(h -> headers.computeIfAbsent(h.getKey().toLowerCase(Locale.ROOT),
                k -> new ArrayList<>()).add(h.getValue()));
        headers.replaceAll((k, v) -> List.copyOf(v));
        return new EgressResponse(response.statusCode(), Map.copyOf(headers), body.getBytes(), truncated);
    }

    private static void reset(AtomicReference<HttpClientRequest> inFlight) {
        HttpClientRequest request = inFlight.get();
        if (request != null) {
            request.reset();
        }
    }

    private static IOException failure(Throwable cause) {
        String what = cause.getClass().getSimpleName() + (cause.getMessage() == null ? "" : ": " + cause.getMessage());
        if (cause instanceof ConnectException) {
            ConnectException e = new ConnectException(what);
            e.initCause(cause);
            return e;
        }
        if (cause instanceof TimeoutException) {
            SocketTimeoutException e = new SocketTimeoutException(what);
            e.initCause(cause);
            return e;
        }
        if (cause instanceof IOException io) {
            return io;
        }
        return new IOException(what, cause);
    }
}

package dev.toban.notify.testing;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/** A webhook endpoint on localhost that records every call and can answer with a chosen status. */
public final class WebhookReceiver implements AutoCloseable {

    /** One call: headers (lower-case names) and the raw body. */
    public record Received(String path, Map<String, String> headers, String body) {
        public String header(String name) {
            return headers.get(name.toLowerCase());
        }
    }

    private final HttpServer server;
    private final List<Received> received = new CopyOnWriteArrayList<>();
    private final AtomicInteger failuresLeft = new AtomicInteger();
    private final Map<String, String> redirects = new java.util.concurrent.ConcurrentHashMap<>();
    private volatile int failureStatus = 503;

    public WebhookReceiver() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 50);
        server.createContext("/", exchange -> {
            try (exchange) {
                String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
                Map<String, String> headers = new java.util.HashMap<>();
                exchange.getRequestHeaders().forEach((k, v) -> headers.put(k.toLowerCase(), v.get(0)));
                int status = 204;
                String location = redirects.get(exchange.getRequestURI().getPath());
                if (location != null) {
                    received.add(new Received(exchange.getRequestURI().getPath(), headers, body));
                    exchange.getResponseHeaders().add("Location", location);
                    status = 307;
                } else if (failuresLeft.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                    status = failureStatus;
                } else {
                    received.add(new Received(exchange.getRequestURI().getPath(), headers, body));
                }
                exchange.sendResponseHeaders(status, -1);
            }
        });
        server.start();
    }

    public String url(String path) {
        return "http://127.0.0.1:" + port() + path;
    }

    public int port() {
        return server.getAddress().getPort();
    }

    /** Calls to {@code path} are answered 307 to {@code location}. */
    public void redirect(String path, String location) {
        redirects.put(path, location);
    }

    /** The next {@code count} calls get {@code status}. */
    public void failNext(int count, int status) {
        failureStatus = status;
        failuresLeft.set(count);
    }

    public List<Received> received(String path) {
        return received.stream().filter(r -> r.path().equals(path)).toList();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}

package dev.toban.plumbing.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;

/**
 * A fake generic SMS gateway: {@code POST /send} with a JSON body; it checks the body is JSON and, when set,
 * an auth header, records the post and answers 200 (or the status it was told to fail with).
 */
public final class FakeSmsGateway implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** One accepted post: the parsed body and the headers by lower-case name. */
    public record Post(JsonNode body, Map<String, String> headers) {
    }

    private final HttpServer server;
    private final List<Post> posts = new CopyOnWriteArrayList<>();
    private volatile int failWith;
    private volatile String authHeader;
    private volatile String authValue;

    public FakeSmsGateway() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 50);
        server.createContext("/send", this::handle);
        server.setExecutor(Executors.newFixedThreadPool(2));
        server.start();
    }

    public int port() {
        return server.getAddress().getPort();
    }

    public String url() {
        return "http://127.0.0.1:" + port() + "/send";
    }

    /** Requires this header (401 without it). */
    public FakeSmsGateway requireAuth(String header, String value) {
        this.authHeader = header;
        this.authValue = value;
        return this;
    }

    /** Answers {@code status} to every post (0: accept again). */
    public void failWith(int status) {
        this.failWith = status;
    }

    public List<Post> posts() {
        return List.copyOf(posts);
    }

    public List<Post> postsTo(String to) {
        return posts.stream().filter(p -> to.equals(p.body().path("to").asText())).toList();
    }

    @Override
    public void close() {
        server.stop(0);
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            if (failWith > 0) {
                send(exchange, failWith, "{\"error\":\"failing on demand\"}");
                return;
            }
            if (authHeader != null && !authValue.equals(exchange.getRequestHeaders().getFirst(authHeader))) {
                send(exchange, 401, "{\"error\":\"unauthorized\"}");
                return;
            }
            JsonNode body;
            try {
                body = JSON.readTree(exchange.getRequestBody().readAllBytes());
            } catch (IOException e) {
                send(exchange, 400, "{\"error\":\"not JSON\"}");
                return;
            }
            Map<String, String> headers = new LinkedHashMap<>();
            exchange.getRequestHeaders().forEach((k, v) -> headers.put(k.toLowerCase(Locale.ROOT), v.get(0)));
            posts.add(new Post(body, headers));
            send(exchange, 200, "{\"ok\":true}");
        }
    }

    private static void send(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }
}

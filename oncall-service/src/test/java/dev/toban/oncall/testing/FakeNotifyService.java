package dev.toban.oncall.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.toban.plumbing.testing.LocalStack;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Stands in for notify-service's {@code GET /api/templates/handoff.notice/rendered?locale=} (the contract
 * of docs/architecture.md): answers the JSON the test set per locale, 503 while {@link #down} is set.
 */
public class FakeNotifyService implements QuarkusTestResourceLifecycleManager {

    /** A request as it arrived. */
    public record Request(String query, String authorization) {
    }

    private static final Map<String, String> ANSWERS = new ConcurrentHashMap<>();
    private static final List<Request> REQUESTS = new CopyOnWriteArrayList<>();
    private static volatile boolean down;
    private static HttpServer server;

    @Override
    public Map<String, String> start() {
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        server.createContext("/api/templates/handoff.notice/rendered", FakeNotifyService::handle);
        server.start();
        return Map.of(
                "quarkus.rest-client.notify.url", "http://127.0.0.1:" + server.getAddress().getPort(),
                "quarkus.oidc-client.credentials.secret", LocalStack.get("TOBAN_SERVICE_CLIENT_SECRET", ""));
    }

    @Override
    public void stop() {
        if (server != null) {
            server.stop(0);
        }
    }

    /** notify-service's rendered notice for {@code locale}, as raw JSON. */
    public static void notice(String locale, String json) {
        ANSWERS.put("locale=" + locale, json);
    }

    public static void down(boolean value) {
        down = value;
    }

    public static List<Request> requests() {
        return List.copyOf(REQUESTS);
    }

    private static void handle(HttpExchange exchange) throws IOException {
        String query = exchange.getRequestURI().getQuery();
        REQUESTS.add(new Request(query, exchange.getRequestHeaders().getFirst("Authorization")));
        String answer = ANSWERS.get(query);
        if (down || answer == null) {
            answer(exchange, 503, "{\"title\":\"Service unavailable\",\"status\":503}");
        } else {
            answer(exchange, 200, answer);
        }
    }

    private static void answer(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }
}

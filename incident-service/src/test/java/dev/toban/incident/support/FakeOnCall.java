package dev.toban.incident.support;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Pattern;
import org.eclipse.microprofile.config.ConfigProvider;

/**
 * Stands in for oncall-service in the whole suite (a plain HTTP server on localhost):
 * <ul>
 * <li>{@code /api/escalation-policies/{id}/targets} answers 503, so every IC lookup takes the documented
 * fallback (the cached answer), as with oncall-service down;</li>
 * <li>{@code /api/escalation-policies/{id}} answers an active policy for any id;</li>
 * <li>{@code /api/teams/{id}} answers 404, except for teams a test announced with {@link #answer}.</li>
 * </ul>
 * Tests change an answer per path through a control endpoint ({@code PUT /_fake/<path>?status=}), since
 * the server lives in this JVM but maybe in another class loader than the tests.
 */
@WithTestResource(value = FakeOnCall.class, scope = TestResourceScope.GLOBAL)
public class FakeOnCall implements QuarkusTestResourceLifecycleManager {

    private static final Pattern POLICY = Pattern.compile("/api/escalation-policies/([0-9a-f-]{36})");
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private record Answer(int status, String body) {
    }

    private HttpServer server;
    private final Map<String, Answer> answers = new ConcurrentHashMap<>();
    /** "METHOD path authorization-scheme" of every call, for tests that check what was asked. */
    private final List<String> calls = new CopyOnWriteArrayList<>();

    @Override
    public Map<String, String> start() {
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        server.createContext("/", this::handle);
        server.start();
        return Map.of("quarkus.rest-client.oncall-service.url", "http://127.0.0.1:" + server.getAddress().getPort());
    }

    @Override
    public void stop() {
        if (server != null) {
            server.stop(0);
        }
    }

    private void handle(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getPath();
        String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        if (path.startsWith("/_fake/")) {
            control(exchange, path.substring("/_fake".length()), body);
            return;
        }
        String auth = exchange.getRequestHeaders().getFirst("Authorization");
        calls.add(exchange.getRequestMethod() + " " + path + " " + (auth == null ? "-" : auth.split(" ")[0]));
        Answer answer = answers.get(path);
        if (answer == null) {
            var policy = POLICY.matcher(path);
            if (policy.matches()) {
                answer = new Answer(200, """
                        {"id":"%s","name":"Policy %s","levels":[],"repeatCount":0,"archivedAt":null,"version":1}"""
                        .formatted(policy.group(1), policy.group(1).substring(0, 8)));
            } else if (path.endsWith("/targets")) {
                answer = new Answer(503, "{\"title\":\"oncall-service is down in this suite\"}");
            } else {
                answer = new Answer(404, "{\"type\":\"about:blank\",\"title\":\"Not found\",\"status\":404}");
            }
        }
        send(exchange, answer.status(), answer.body());
    }

    private void control(HttpExchange exchange, String path, String body) throws IOException {
        if ("GET".equals(exchange.getRequestMethod()) && "/calls".equals(path)) {
            send(exchange, 200, String.join("\n", calls));
            return;
        }
        String query = exchange.getRequestURI().getQuery();
        int status = query != null && query.startsWith("status=") ? Integer.parseInt(query.substring(7)) : 200;
        answers.put(path, new Answer(status, body));
        send(exchange, 204, "");
    }

    private static void send(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, status == 204 ? -1 : bytes.length);
        if (status != 204) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        }
        exchange.close();
    }

    // ------------------------------------------------------------------ for tests

    /** Where the fake listens (the URL the service under test was given). */
    public static String url() {
        return ConfigProvider.getConfig().getValue("quarkus.rest-client.oncall-service.url", String.class);
    }

    /** From now on, {@code path} answers {@code status} with {@code body}. */
    public static void answer(String path, int status, String body) {
        try {
            HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(url() + "/_fake" + path
                            + "?status=" + status)).PUT(HttpRequest.BodyPublishers.ofString(body)).build(),
                    HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 204) {
                throw new IllegalStateException("the fake oncall-service refused " + path + ": " + response.statusCode());
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** A team oncall-service knows (its event has not reached incident-service); {@code archivedAt} may be null. */
    public static void team(UUID id, String name, String archivedAt) {
        answer("/api/teams/" + id, 200, """
                {"id":"%s","name":"%s","slackChannel":"#team-x","timeZone":"Asia/Tokyo","members":[],"memberIds":[],
                 "archivedAt":%s,"updatedAt":"2026-11-25T09:00:00Z","version":3}"""
                .formatted(id, name, archivedAt == null ? "null" : "\"" + archivedAt + "\""));
    }

    /** Every call the service made so far: "METHOD path scheme", scheme being the Authorization's ("Bearer") or "-". */
    public static List<String> calls() {
        try {
            String body = HTTP.send(HttpRequest.newBuilder(URI.create(url() + "/_fake/calls")).GET().build(),
                    HttpResponse.BodyHandlers.ofString()).body();
            return body.isEmpty() ? List.of() : List.of(body.split("\n"));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}

package dev.toban.incident.support;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.toban.plumbing.testing.FakeSlack;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The Slack app's outside world for the whole suite: a fake Slack Web API (plumbing's {@link FakeSlack}: views.open,
 * users.info, chat.postEphemeral and response_urls), which the egress policy allows exactly, and a fake
 * postmortem-service that records the decisions it is sent ({@link #postmortemCalls}) and answers 200 unless a test
 * scripts another answer ({@link #postmortemAnswer}).
 */
@WithTestResource(value = SlackAppFakes.class, scope = TestResourceScope.GLOBAL)
public class SlackAppFakes implements QuarkusTestResourceLifecycleManager {

    public static final String TOKEN = "xoxb-incident-test";

    /** One call to the fake postmortem-service. */
    public record Call(String method, String path, String authorization, String body) {
    }

    private record Answer(int status, String body) {
    }

    private static final List<Call> CALLS = new CopyOnWriteArrayList<>();
    private static final Map<String, Answer> ANSWERS = new ConcurrentHashMap<>();

    private FakeSlack slack;
    private HttpServer postmortem;

    @Override
    public Map<String, String> start() {
        try {
            slack = new FakeSlack(0, TOKEN);
            postmortem = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        } catch (IOException e) {
            throw new IllegalStateException("cannot start the Slack app's fakes", e);
        }
        postmortem.createContext("/", SlackAppFakes::handle);
        postmortem.start();
        return Map.of(
                "toban.incident.slack.api-url", slack.apiUrl(),
                "toban.incident.slack.bot-token", TOKEN,
                // the egress policy refuses loopback: allow exactly the fake Slack (its API and response_urls)
                "toban.egress.allow", "127.0.0.1:" + slack.port(),
                "quarkus.rest-client.postmortem-service.url", "http://127.0.0.1:" + postmortem.getAddress().getPort());
    }

    @Override
    public void stop() {
        if (slack != null) {
            slack.close();
        }
        if (postmortem != null) {
            postmortem.stop(0);
        }
    }

    public static FakeSlack slack() {
        return FakeSlack.current();
    }

    /** Calls the fake postmortem-service received whose path contains {@code part}. */
    public static List<Call> postmortemCalls(String part) {
        return CALLS.stream().filter(c -> c.path().contains(part)).toList();
    }

    /** From now on {@code path} answers {@code status} with {@code body}. */
    public static void postmortemAnswer(String path, int status, String body) {
        ANSWERS.put(path, new Answer(status, body));
    }

    private static void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getPath();
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            CALLS.add(new Call(exchange.getRequestMethod(), path,
                    exchange.getRequestHeaders().getFirst("Authorization"), body));
            Answer answer = ANSWERS.getOrDefault(path, new Answer(200, """
                    {"id":"%s","state":"scheduled","decision":"hold","version":2}""".formatted(
                    path.replaceAll(".*/postmortems/([^/]+)/.*", "$1"))));
            byte[] bytes = answer.body().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type",
                    answer.status() >= 400 ? "application/problem+json" : "application/json");
            exchange.sendResponseHeaders(answer.status(), bytes.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        }
    }
}

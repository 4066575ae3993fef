package dev.toban.notify.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.function.Function;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The other side of the Slack sandbox in its tests: a Slack app (what incident-service is) receiving the
 * sandbox's interactions and slash commands, checking each signature as a receiver computes it (its own
 * HMAC, not the sandbox's code), and answering as the test scripts it; and oncall-service's people list.
 */
public final class FakeSlackApp implements AutoCloseable {

    public static final String SECRET = "sandbox-test-signing-secret";
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One request the app received, with what its signature check said. */
    public record Received(String path, String timestamp, String signature, String body, Map<String, String> form,
                           JsonNode payload, boolean signatureValid, long ageSeconds) {
    }

    /** The app's answer: status, content type and body. */
    public record Reply(int status, String contentType, String body) {
        public static Reply ack() {
            return new Reply(200, "text/plain", "");
        }

        public static Reply json(String body) {
            return new Reply(200, "application/json", body);
        }
    }

    private final HttpServer server;
    private final List<Received> received = new CopyOnWriteArrayList<>();
    private volatile Function<Received, Reply> script = r -> Reply.ack();
    private volatile String people = "[]";
    private volatile String onCallNow = "[]";
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    public FakeSlackApp() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 50);
        server.createContext("/interactions", this::app);
        server.createContext("/commands", this::app);
        server.createContext("/api/people", this::people);
        server.createContext("/api/oncall/now", this::onCallNow);
        server.setExecutor(Executors.newFixedThreadPool(4));
        server.start();
    }

    public int port() {
        return server.getAddress().getPort();
    }

    @Override
    public void close() {
        server.stop(0);
    }

    /** How the app answers from now on. */
    public void script(Function<Received, Reply> answer) {
        this.script = answer;
    }

    /** oncall-service's {@code GET /api/oncall/now}. */
    public void onCallNow(String json) {
        this.onCallNow = json;
    }

    /** oncall-service's {@code GET /api/people}. */
    public void people(String json) {
        this.people = json;
    }

    public List<Received> received() {
        return List.copyOf(received);
    }

    public void clear() {
        received.clear();
    }

    /** A Slack Web API call to the sandbox with its bot token, as the app makes it (form arguments). */
    public JsonNode api(String apiUrl, String method, Map<String, String> args) {
        StringBuilder body = new StringBuilder();
        args.forEach((k, v) -> body.append(body.isEmpty() ? "" : "&").append(URLEncoder.encode(k, StandardCharsets.UTF_8))
                .append('=').append(URLEncoder.encode(v, StandardCharsets.UTF_8)));
        return post(apiUrl + method, "application/x-www-form-urlencoded", body.toString(), "xoxb-sandbox");
    }

    /** A post to a response_url (JSON), as the app answers later. */
    public JsonNode respond(String responseUrl, String json) {
        return post(responseUrl, "application/json", json, null);
    }

    private JsonNode post(String url, String type, String body, String token) {
        try {
            HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).header("Content-Type", type)
                    .POST(HttpRequest.BodyPublishers.ofString(body));
            if (token != null) {
                b.header("Authorization", "Bearer " + token);
            }
            HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
            return JSON.readTree(r.body().isBlank() ? "{}" : r.body());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private void app(HttpExchange exchange) throws IOException {
        try (exchange) {
            byte[] raw = exchange.getRequestBody().readAllBytes();
            String body = new String(raw, StandardCharsets.UTF_8);
            String timestamp = exchange.getRequestHeaders().getFirst("X-Slack-Request-Timestamp");
            String signature = exchange.getRequestHeaders().getFirst("X-Slack-Signature");
            boolean valid = false;
            long age = Long.MAX_VALUE;
            if (timestamp != null && signature != null) {
                String expected = "v0=" + hmac(SECRET, "v0:" + timestamp + ":" + body);
                valid = MessageDigest.isEqual(expected.getBytes(StandardCharsets.UTF_8),
                        signature.getBytes(StandardCharsets.UTF_8));
                age = Math.abs(Instant.now().getEpochSecond() - Long.parseLong(timestamp));
            }
            Map<String, String> form = form(body);
            JsonNode payload = form.containsKey("payload") ? JSON.readTree(form.get("payload")) : null;
            Received r = new Received(exchange.getRequestURI().getPath(), timestamp, signature, body, form, payload, valid, age);
            received.add(r);
            Reply reply = valid ? script.apply(r) : new Reply(401, "text/plain", "bad signature");
            byte[] out = reply.body().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", reply.contentType());
            exchange.sendResponseHeaders(reply.status(), out.length == 0 ? -1 : out.length);
            if (out.length > 0) {
                try (OutputStream o = exchange.getResponseBody()) {
                    o.write(out);
                }
            }
        } catch (RuntimeException e) {
            exchange.sendResponseHeaders(500, -1);
        }
    }

    private void onCallNow(HttpExchange exchange) throws IOException {
        json(exchange, onCallNow);
    }

    private void people(HttpExchange exchange) throws IOException {
        json(exchange, people);
    }

    private static void json(HttpExchange exchange, String body) throws IOException {
        try (exchange) {
            byte[] out = body.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, out.length);
            try (OutputStream o = exchange.getResponseBody()) {
                o.write(out);
            }
        }
    }

    static String hmac(String secret, String data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal(data.getBytes(StandardCharsets.UTF_8)));
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    static Map<String, String> form(String body) {
        Map<String, String> values = new LinkedHashMap<>();
        for (String pair : body.split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0) {
                values.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                        URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        return values;
    }
}

package dev.toban.plumbing.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A fake ntfy server on localhost speaking the publish API: {@code POST /<topic>} with the message as the body
 * and the options as headers (Title, Priority, Tags, Click, Actions; RFC 2047 encoded words decoded as ntfy
 * does), answering the message as JSON. With {@link #requireToken} it refuses publishes without that bearer
 * token (403), like a server with access control. A test can "tap" a notification's {@code http} action: the
 * fake sends the request the ntfy app would send.
 */
public final class FakeNtfy implements AutoCloseable {

    private static final Pattern ENCODED_WORD = Pattern.compile("=\\?UTF-8\\?B\\?([A-Za-z0-9+/=]*)\\?=", Pattern.CASE_INSENSITIVE);

    /** One published message, headers by lower-case name, decoded. */
    public record Publish(String id, String topic, String message, Map<String, String> headers) {
        public String title() {
            return headers.get("title");
        }

        public String priority() {
            return headers.get("priority");
        }

        public String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }

        /** The actions as ntfy parses the short header format: each "type, label, url, key=value...". */
        public List<List<String>> actions() {
            List<List<String>> all = new ArrayList<>();
            String h = headers.get("actions");
            if (h == null || h.isBlank()) {
                return all;
            }
            for (String action : h.split(";")) {
                List<String> parts = new ArrayList<>();
                for (String p : action.split(",")) {
                    parts.add(p.strip());
                }
                all.add(parts);
            }
            return all;
        }
    }

    private final HttpServer server;
    private final List<Publish> published = new CopyOnWriteArrayList<>();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private volatile String token;
    private volatile boolean down;
    private volatile String publicBase;
    private volatile String realBase;

    public FakeNtfy() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 50);
        server.createContext("/", this::handle);
        server.setExecutor(Executors.newFixedThreadPool(4));
        server.start();
    }

    public int port() {
        return server.getAddress().getPort();
    }

    /** The URL of a topic on this server: what a person enters as their push contact method. */
    public String topicUrl(String topic) {
        return "http://127.0.0.1:" + port() + "/" + topic;
    }

    /** Publishes need {@code Authorization: Bearer <token>} (null: open server). */
    public FakeNtfy requireToken(String value) {
        this.token = value;
        return this;
    }

    /** Answers 503 while down. */
    public void down(boolean value) {
        this.down = value;
    }

    /** Action URLs under {@code publicBase} go to {@code realBase} (the phone reaches the service by its public URL). */
    public FakeNtfy reach(String publicBase, String realBase) {
        this.publicBase = publicBase;
        this.realBase = realBase;
        return this;
    }

    public List<Publish> published(String topic) {
        return published.stream().filter(p -> p.topic().equals(topic)).toList();
    }

    public List<Publish> published() {
        return List.copyOf(published);
    }

    /** Taps the action labelled {@code label}: the request ntfy's app makes (http actions; POST by default). */
    public int tap(Publish p, String label) {
        for (List<String> a : p.actions()) {
            if (a.size() >= 3 && a.get(1).equals(label) && a.get(0).equals("http")) {
                String method = "POST";
                for (String kv : a.subList(3, a.size())) {
                    if (kv.startsWith("method=")) {
                        method = kv.substring("method=".length()).toUpperCase(Locale.ROOT);
                    }
                }
                String url = a.get(2);
                String target = publicBase != null && url.startsWith(publicBase) ? realBase + url.substring(publicBase.length()) : url;
                try {
                    return http.send(HttpRequest.newBuilder(URI.create(target)).timeout(Duration.ofSeconds(10))
                            .method(method, HttpRequest.BodyPublishers.noBody()).build(),
                            HttpResponse.BodyHandlers.discarding()).statusCode();
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException(e);
                }
            }
        }
        throw new AssertionError("no http action labelled " + label + " in " + p.headers());
    }

    @Override
    public void close() {
        server.stop(0);
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String topic = exchange.getRequestURI().getPath().substring(1);
            if (!"POST".equals(exchange.getRequestMethod()) && !"PUT".equals(exchange.getRequestMethod())
                    || !topic.matches("[-_A-Za-z0-9]{1,64}")) {
                send(exchange, 404, "{\"code\":40401,\"http\":404,\"error\":\"page not found\"}");
                return;
            }
            if (down) {
                send(exchange, 503, "{\"code\":50301,\"http\":503,\"error\":\"service unavailable\"}");
                return;
            }
            if (token != null && !("Bearer " + token).equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
                send(exchange, 403, "{\"code\":40301,\"http\":403,\"error\":\"forbidden\"}");
                return;
            }
            String message = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            Map<String, String> headers = new LinkedHashMap<>();
            exchange.getRequestHeaders().forEach((k, v) -> headers.put(k.toLowerCase(Locale.ROOT), decode(v.get(0))));
            String id = UUID.randomUUID().toString().replace("-", "").substring(0, 12);
            published.add(new Publish(id, topic, message, headers));
            send(exchange, 200, "{\"id\":\"" + id + "\",\"time\":" + (System.currentTimeMillis() / 1000)
                    + ",\"event\":\"message\",\"topic\":\"" + topic + "\"}");
        }
    }

    /** RFC 2047 encoded words (UTF-8, base64), as ntfy accepts them in headers. */
    static String decode(String value) {
        Matcher m = ENCODED_WORD.matcher(value);
        StringBuilder b = new StringBuilder();
        while (m.find()) {
            m.appendReplacement(b, Matcher.quoteReplacement(
                    new String(Base64.getDecoder().decode(m.group(1)), StandardCharsets.UTF_8)));
        }
        m.appendTail(b);
        return b.toString();
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

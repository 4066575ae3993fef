package dev.toban.plumbing.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;

/**
 * A fake Slack Web API on localhost, strict about what the real one checks: the bearer token, the
 * form fields of each method, JSON in {@code blocks} and {@code metadata}, and that {@code thread_ts}
 * and {@code chat.update}'s {@code ts} name a message that exists. It issues increasing {@code ts}
 * values, keeps messages with their metadata (for conversations.history / .replies) and can be
 * scripted per channel to answer 429 with Retry-After, 5xx, or a Slack error. For the Slack app it also opens and
 * updates modals ({@code views.open} needs a trigger_id and a modal), answers {@code users.info} for the users a test
 * names, keeps {@code chat.postEphemeral} calls, and serves response_urls ({@code /responses/<id>}) keeping what is
 * posted to them.
 *
 * <p>Also a tiny main for the benchmark: {@code java -cp ... FakeSlack <port> <token>}; it serves
 * {@code GET /_fake/messages} with every post and its arrival time.
 */
public final class FakeSlack implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static volatile FakeSlack current;

    /** One accepted call. */
    public record Call(String method, Map<String, String> params, long receivedAtMillis, long receivedAtNanos, int status) {
        public String channel() {
            return params.get("channel");
        }
    }

    /** A message as Slack keeps it. */
    public static final class Posted {
        public final String channelId;
        public final String channelName;
        public final String ts;
        public final String threadTs;
        public volatile String text;
        public volatile JsonNode blocks;
        public final JsonNode metadata;
        public final long receivedAtMillis;
        public final long receivedAtNanos;
        public final List<String> edits = new CopyOnWriteArrayList<>();

        Posted(String channelId, String channelName, String ts, String threadTs, String text, JsonNode blocks,
               JsonNode metadata) {
            this.channelId = channelId;
            this.channelName = channelName;
            this.ts = ts;
            this.threadTs = threadTs;
            this.text = text;
            this.blocks = blocks;
            this.metadata = metadata;
            this.receivedAtMillis = System.currentTimeMillis();
            this.receivedAtNanos = System.nanoTime();
        }

        public String deliveryId() {
            return metadata == null ? null : metadata.path("event_payload").path("delivery_id").asText(null);
        }

        public String incidentId() {
            return metadata == null ? null : metadata.path("event_payload").path("incident_id").asText(null);
        }
    }

    /** A scripted answer: an HTTP status with an optional Retry-After, or a Slack error with HTTP 200. */
    public record Scripted(int status, Integer retryAfterSeconds, String slackError, boolean takeIt) {
        public static Scripted rateLimited(int seconds) {
            return new Scripted(429, seconds, null, false);
        }

        public static Scripted serverError(int status) {
            return new Scripted(status, null, null, false);
        }

        public static Scripted error(String slackError) {
            return new Scripted(200, null, slackError, false);
        }

        /** Posts the message, then answers {@code status} as if the answer got lost on the way back. */
        public static Scripted lostAnswer(int status) {
            return new Scripted(status, null, null, true);
        }
    }

    private final HttpServer server;
    private final String token;
    private final AtomicLong tsCounter = new AtomicLong();
    private final List<Call> calls = new CopyOnWriteArrayList<>();
    private final List<Posted> messages = new CopyOnWriteArrayList<>();
    private final Map<String, Deque<Scripted>> scripts = new ConcurrentHashMap<>();
    private final Map<String, Scripted> outages = new ConcurrentHashMap<>();
    private final Map<String, String> permanentErrors = new ConcurrentHashMap<>();
    private final List<String> violations = new CopyOnWriteArrayList<>();
    private final Map<String, Long> latencyMillis = new ConcurrentHashMap<>();
    /** The Slack app's side (views, users, ephemeral messages, response_url posts): see the last section. */
    private final List<View> views = new CopyOnWriteArrayList<>();
    private final Map<String, SlackUser> users = new ConcurrentHashMap<>();
    private final List<Ephemeral> ephemerals = new CopyOnWriteArrayList<>();
    private final Map<String, List<JsonNode>> responses = new ConcurrentHashMap<>();
    private final Map<String, String> methodErrors = new ConcurrentHashMap<>();
    private final AtomicLong viewCounter = new AtomicLong();
    /** chat.postMessage calls being answered, and the most at once, per channel id and per "id/standalone". */
    private final Map<String, AtomicInteger> inFlight = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> mostInFlight = new ConcurrentHashMap<>();

    public FakeSlack(int port, String token) throws IOException {
        this.token = token;
        this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 200);
        server.createContext("/api/", this::handle);
        server.createContext("/_fake/messages", this::dump);
        server.createContext("/responses/", this::response);
        server.setExecutor(Executors.newFixedThreadPool(8));
        server.start();
        current = this;
    }

    /** The fake the test resource started. */
    public static FakeSlack current() {
        return Objects.requireNonNull(current, "the fake Slack is not running");
    }

    public int port() {
        return server.getAddress().getPort();
    }

    public String apiUrl() {
        return "http://127.0.0.1:" + port() + "/api/";
    }

    @Override
    public void close() {
        server.stop(0);
    }

    // ------------------------------------------------------------------ scripting and inspection

    /** Answers the next posts (chat.postMessage) to {@code channel} (name or id) with these, in order, then normally. */
    public void script(String channel, Scripted... answers) {
        scripts.computeIfAbsent(channelId(channel), k -> new ArrayDeque<>()).addAll(List.of(answers));
    }

    /** Every call for {@code channel} gets {@code answer} until {@link #recover}. */
    public void outage(String channel, Scripted answer) {
        outages.put(channelId(channel), answer);
    }

    public void recover(String channel) {
        outages.remove(channelId(channel));
    }

    /** Every call for {@code channel} fails with this Slack error (for example channel_not_found). */
    public void failAlways(String channel, String slackError) {
        permanentErrors.put(channelId(channel), slackError);
    }

    public void stopFailing(String channel) {
        permanentErrors.remove(channelId(channel));
    }

    /** Every call for {@code channel} takes this long to answer, as a slow Slack would. */
    public void latency(String channel, Duration delay) {
        latencyMillis.put(channelId(channel), delay.toMillis());
    }

    /**
     * The most chat.postMessage calls for {@code channel} answered at the same time; with
     * {@code standaloneOnly}, counting only posts outside incident threads (no thread_ts and no
     * incident id in the metadata).
     */
    public int mostInFlight(String channel, boolean standaloneOnly) {
        var most = mostInFlight.get(channelId(channel) + (standaloneOnly ? "/standalone" : ""));
        return most == null ? 0 : most.get();
    }

    public List<Call> calls() {
        return List.copyOf(calls);
    }

    public List<Call> calls(String method, String channel) {
        String id = channelId(channel);
        return calls.stream().filter(c -> c.method().equals(method)
                && (Objects.equals(c.channel(), channel) || Objects.equals(c.channel(), id))).toList();
    }

    /** Messages in a channel (name, user id or channel id), in posting order. */
    public List<Posted> messages(String channel) {
        String id = channelId(channel);
        return messages.stream().filter(m -> m.channelId.equals(id)).toList();
    }

    public List<Posted> messages(Predicate<Posted> filter) {
        return messages.stream().filter(filter).toList();
    }

    /** Top-level messages of a channel (not thread replies). */
    public List<Posted> parents(String channel) {
        return messages(channel).stream().filter(m -> m.threadTs == null).toList();
    }

    public List<Posted> replies(String channel, String threadTs) {
        return messages(channel).stream().filter(m -> threadTs.equals(m.threadTs)).toList();
    }

    /** Request-shape problems the fake saw (a wrong token, a missing field, bad JSON): a test asserts this is empty. */
    public List<String> violations() {
        return List.copyOf(violations);
    }

    /** The id Slack gives a channel name; a user id becomes their DM channel. */
    public static String channelId(String channel) {
        if (channel == null) {
            return null;
        }
        if (channel.startsWith("#")) {
            String name = channel.substring(1);
            return "C" + Integer.toHexString(name.hashCode()).toUpperCase();
        }
        if (channel.startsWith("U") || channel.startsWith("W")) {
            return "D" + channel.substring(1);
        }
        return channel;
    }

    // ------------------------------------------------------------------ the API

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String method = exchange.getRequestURI().getPath().substring("/api/".length());
            Map<String, String> params = params(exchange);
            String auth = exchange.getRequestHeaders().getFirst("Authorization");
            if (!("Bearer " + token).equals(auth)) {
                violations.add(method + ": bad Authorization header " + auth);
                respond(exchange, 200, error("invalid_auth"), null);
                return;
            }
            if (!"POST".equals(exchange.getRequestMethod())) {
                violations.add(method + ": " + exchange.getRequestMethod() + " instead of POST");
            }
            String channel = params.get("channel");
            String id = channelId(channel);
            Scripted scripted = null;
            if (id != null) {
                scripted = outages.get(id);
                // scripted answers are for posts: a chat.update of the thread's parent must not take them
                if (scripted == null && "chat.postMessage".equals(method)) {
                    Deque<Scripted> queue = scripts.get(id);
                    if (queue != null) {
                        synchronized (queue) {
                            scripted = queue.poll();
                        }
                    }
                }
                if (scripted == null && permanentErrors.containsKey(id)) {
                    scripted = Scripted.error(permanentErrors.get(id));
                }
            }
            List<String> counted = List.of();
            if (id != null && "chat.postMessage".equals(method)) {
                counted = standalone(params) ? List.of(id, id + "/standalone") : List.of(id);
                for (String key : counted) {
                    int now = inFlight.computeIfAbsent(key, k -> new AtomicInteger()).incrementAndGet();
                    mostInFlight.computeIfAbsent(key, k -> new AtomicInteger()).accumulateAndGet(now, Math::max);
                }
            }
            try {
                Long delay = id == null ? null : latencyMillis.get(id);
                if (delay != null) {
                    Thread.sleep(delay); // the fake's own answer time (a slow Slack), not a test waiting
                }
                answer(exchange, method, params, scripted);
            } finally {
                counted.forEach(key -> inFlight.get(key).decrementAndGet());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            violations.add("fake failed: " + e);
        }
    }

    private static boolean standalone(Map<String, String> params) {
        String threadTs = params.get("thread_ts");
        String metadata = params.get("metadata");
        return (threadTs == null || threadTs.isBlank()) && (metadata == null || !metadata.contains("incident_id"));
    }

    private void answer(HttpExchange exchange, String method, Map<String, String> params, Scripted scripted)
            throws IOException {
        long millis = System.currentTimeMillis();
        long nanos = System.nanoTime();
        if (scripted != null && scripted.takeIt() && "chat.postMessage".equals(method)) {
            postMessage(params);
        }
        if (scripted != null && scripted.status() != 200) {
            calls.add(new Call(method, params, millis, nanos, scripted.status()));
            respond(exchange, scripted.status(), "{\"ok\":false,\"error\":\"ratelimited\"}",
                    scripted.retryAfterSeconds() == null ? null : scripted.retryAfterSeconds().toString());
            return;
        }
        calls.add(new Call(method, params, millis, nanos, 200));
        String methodError = methodErrors.get(method);
        if (scripted == null && methodError != null) {
            scripted = Scripted.error(methodError);
        }
        if (scripted != null) {
            respond(exchange, 200, error(scripted.slackError()), null);
            return;
        }
        String body = switch (method) {
            case "chat.postMessage" -> postMessage(params);
            case "chat.update" -> update(params);
            case "chat.getPermalink" -> permalink(params);
            case "conversations.replies" -> replies(params);
            case "conversations.history" -> history(params);
            case "auth.test" -> "{\"ok\":true,\"team_id\":\"T0TOBAN\",\"user_id\":\"UBOT\",\"bot_id\":\"BTOBAN\"}";
            case "views.open" -> viewsOpen(params);
            case "views.update" -> viewsUpdate(params);
            case "users.info" -> usersInfo(params);
            case "chat.postEphemeral" -> postEphemeral(params);
            default -> {
                violations.add("unexpected method " + method);
                yield error("unknown_method");
            }
        };
        respond(exchange, 200, body, null);
    }

    private String postMessage(Map<String, String> p) {
        String channel = p.get("channel");
        if (channel == null || channel.isBlank()) {
            violations.add("chat.postMessage without channel");
            return error("channel_not_found");
        }
        String text = p.get("text");
        JsonNode blocks = json(p, "blocks", "chat.postMessage");
        JsonNode metadata = json(p, "metadata", "chat.postMessage");
        if ((text == null || text.isBlank()) && blocks == null) {
            violations.add("chat.postMessage without text or blocks");
            return error("no_text");
        }
        if (metadata != null && (!metadata.hasNonNull("event_type") || !metadata.path("event_payload").isObject())) {
            violations.add("chat.postMessage metadata lacks event_type or event_payload: " + metadata);
            return error("invalid_metadata_format");
        }
        if (blocks != null && !blocks.isArray()) {
            violations.add("blocks is not an array");
            return error("invalid_blocks");
        }
        String id = channelId(channel);
        String requested = p.get("thread_ts");
        String threadTs = requested == null || requested.isBlank() ? null : requested;
        if (threadTs != null && messages.stream().noneMatch(m -> m.channelId.equals(id) && m.ts.equals(threadTs)
                && m.threadTs == null)) {
            violations.add("thread_ts " + threadTs + " is not a message in " + channel);
            return error("thread_not_found");
        }
        Posted posted;
        synchronized (this) {
            posted = new Posted(id, channel, nextTs(), threadTs, text, blocks, metadata);
            messages.add(posted);
        }
        ObjectNode answer = JSON.createObjectNode().put("ok", true).put("channel", id).put("ts", posted.ts);
        ObjectNode message = answer.putObject("message");
        message.put("text", text);
        message.put("ts", posted.ts);
        return answer.toString();
    }

    private String update(Map<String, String> p) {
        String id = p.get("channel");
        String ts = p.get("ts");
        JsonNode blocks = json(p, "blocks", "chat.update");
        json(p, "metadata", "chat.update");
        if (id == null || !(id.startsWith("C") || id.startsWith("D"))) {
            violations.add("chat.update needs a channel id, got " + id);
            return error("channel_not_found");
        }
        Posted target = messages.stream().filter(m -> m.channelId.equals(id) && m.ts.equals(ts)).findFirst().orElse(null);
        if (target == null) {
            violations.add("chat.update of unknown message " + id + "/" + ts);
            return error("message_not_found");
        }
        target.text = p.get("text");
        target.blocks = blocks;
        target.edits.add(p.get("text"));
        return JSON.createObjectNode().put("ok", true).put("channel", id).put("ts", ts).put("text", p.get("text")).toString();
    }

    private String permalink(Map<String, String> p) {
        String id = p.get("channel");
        String ts = p.get("message_ts");
        if (id == null || ts == null) {
            violations.add("chat.getPermalink without channel or message_ts");
            return error("invalid_arguments");
        }
        return JSON.createObjectNode().put("ok", true).put("channel", id)
                .put("permalink", "https://toban-fake.slack.com/archives/" + id + "/p" + ts.replace(".", "")).toString();
    }

    private String replies(Map<String, String> p) {
        String id = p.get("channel");
        String ts = p.get("ts");
        ArrayNode list = JSON.createArrayNode();
        messages.stream().filter(m -> m.channelId.equals(id) && (ts.equals(m.ts) || ts.equals(m.threadTs)))
                .forEach(m -> list.add(view(m, truthy(p.get("include_all_metadata")))));
        ObjectNode answer = JSON.createObjectNode().put("ok", true);
        answer.set("messages", list);
        return answer.toString();
    }

    private String history(Map<String, String> p) {
        String id = p.get("channel");
        ArrayNode list = JSON.createArrayNode();
        List<Posted> top = new ArrayList<>(messages.stream().filter(m -> m.channelId.equals(id) && m.threadTs == null).toList());
        java.util.Collections.reverse(top); // newest first, like Slack
        top.forEach(m -> list.add(view(m, truthy(p.get("include_all_metadata")))));
        ObjectNode answer = JSON.createObjectNode().put("ok", true);
        answer.set("messages", list);
        return answer.toString();
    }

    /** Slack reads booleans in forms as true/false or 1/0. */
    private static boolean truthy(String value) {
        return "true".equals(value) || "1".equals(value);
    }

    private static ObjectNode view(Posted m, boolean metadata) {
        ObjectNode n = JSON.createObjectNode().put("type", "message").put("ts", m.ts).put("text", m.text);
        if (m.threadTs != null) {
            n.put("thread_ts", m.threadTs);
        }
        if (metadata && m.metadata != null) {
            n.set("metadata", m.metadata);
        }
        return n;
    }

    private String nextTs() {
        long seconds = System.currentTimeMillis() / 1000;
        return seconds + "." + String.format("%06d", tsCounter.incrementAndGet() % 1_000_000);
    }

    private JsonNode json(Map<String, String> p, String field, String method) {
        String value = p.get(field);
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return JSON.readTree(value);
        } catch (IOException e) {
            violations.add(method + ": " + field + " is not JSON: " + e.getMessage());
            return null;
        }
    }

    private static String error(String error) {
        return "{\"ok\":false,\"error\":\"" + error + "\"}";
    }

    private static Map<String, String> params(HttpExchange exchange) throws IOException {
        String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        Map<String, String> params = new LinkedHashMap<>();
        String type = String.valueOf(exchange.getRequestHeaders().getFirst("Content-Type"));
        if (type.startsWith("application/json")) {
            JSON.readTree(body).fields().forEachRemaining(e -> params.put(e.getKey(),
                    e.getValue().isTextual() ? e.getValue().asText() : e.getValue().toString()));
            return params;
        }
        for (String pair : body.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String key = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            params.put(key, value);
        }
        return params;
    }

    private static void respond(HttpExchange exchange, int status, String body, String retryAfter) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json; charset=utf-8");
        if (retryAfter != null) {
            exchange.getResponseHeaders().set("Retry-After", retryAfter);
        }
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    /** {@code GET /_fake/messages}: every post with its arrival time, for the benchmark. */
    private void dump(HttpExchange exchange) throws IOException {
        try (exchange) {
            ArrayNode list = JSON.createArrayNode();
            for (Posted m : messages) {
                ObjectNode n = view(m, true);
                n.put("channel", m.channelId);
                n.put("receivedAtMillis", m.receivedAtMillis);
                list.add(n);
            }
            respond(exchange, 200, list.toString(), null);
        }
    }

    // ------------------------------------------------------------------ the Slack app's side (issue 17)

    /** A modal as views.open (or views.update) received it. */
    public record View(String id, String triggerId, JsonNode view, boolean update) {
        public String callbackId() {
            return view.path("callback_id").asText(null);
        }

        public String privateMetadata() {
            return view.path("private_metadata").asText(null);
        }

        /** The input (or section) block with this block_id, or a missing node. */
        public JsonNode block(String blockId) {
            for (JsonNode block : view.path("blocks")) {
                if (blockId.equals(block.path("block_id").asText())) {
                    return block;
                }
            }
            return com.fasterxml.jackson.databind.node.MissingNode.getInstance();
        }
    }

    /** A Slack user as users.info answers them. */
    public record SlackUser(String id, String email, String locale, boolean deleted) {
    }

    /** A chat.postEphemeral call. */
    public record Ephemeral(String channel, String user, String text) {
    }

    /** users.info answers this user (others: user_not_found). */
    public void user(String id, String email, String locale) {
        users.put(id, new SlackUser(id, email, locale, false));
    }

    /** Every call of {@code method} answers the Slack error {@code error} (null: normally again). */
    public void failMethod(String method, String error) {
        if (error == null) {
            methodErrors.remove(method);
        } else {
            methodErrors.put(method, error);
        }
    }

    /** Modals opened and updated, in order. */
    public List<View> views() {
        return List.copyOf(views);
    }

    /** The modal views.open got for this trigger_id, if any. */
    public java.util.Optional<View> openedFor(String triggerId) {
        return views.stream().filter(v -> !v.update() && triggerId.equals(v.triggerId())).findFirst();
    }

    /** views.update calls for this view id, in order. */
    public List<View> updatesOf(String viewId) {
        return views.stream().filter(v -> v.update() && viewId.equals(v.id())).toList();
    }

    public List<Ephemeral> ephemerals() {
        return List.copyOf(ephemerals);
    }

    /** A response_url of this fake: what is posted to it is kept under {@code id}. */
    public String responseUrl(String id) {
        return "http://127.0.0.1:" + port() + "/responses/" + id;
    }

    /** The JSON bodies posted to {@link #responseUrl}({@code id}), in order. */
    public List<JsonNode> responses(String id) {
        return List.copyOf(responses.getOrDefault(id, List.of()));
    }

    private String viewsOpen(Map<String, String> p) {
        String trigger = p.get("trigger_id");
        JsonNode view = json(p, "view", "views.open");
        if (trigger == null || trigger.isBlank()) {
            violations.add("views.open without trigger_id");
            return error("invalid_trigger_id");
        }
        if (view == null || !"modal".equals(view.path("type").asText()) || !view.path("title").isObject()
                || !view.path("blocks").isArray()) {
            violations.add("views.open without a modal view (type, title, blocks): " + view);
            return error("invalid_arguments");
        }
        String id = "V" + String.format("%08d", viewCounter.incrementAndGet());
        views.add(new View(id, trigger, view, false));
        ObjectNode answer = JSON.createObjectNode().put("ok", true);
        answer.putObject("view").put("id", id).put("hash", "h" + id);
        return answer.toString();
    }

    private String viewsUpdate(Map<String, String> p) {
        String id = p.get("view_id");
        JsonNode view = json(p, "view", "views.update");
        if (id == null || views.stream().noneMatch(v -> id.equals(v.id()))) {
            violations.add("views.update of unknown view " + id);
            return error("not_found");
        }
        if (view == null || !"modal".equals(view.path("type").asText())) {
            violations.add("views.update without a modal view: " + view);
            return error("invalid_arguments");
        }
        views.add(new View(id, null, view, true));
        ObjectNode answer = JSON.createObjectNode().put("ok", true);
        answer.putObject("view").put("id", id);
        return answer.toString();
    }

    private String usersInfo(Map<String, String> p) {
        SlackUser user = p.get("user") == null ? null : users.get(p.get("user"));
        if (user == null) {
            return error("user_not_found");
        }
        ObjectNode answer = JSON.createObjectNode().put("ok", true);
        ObjectNode u = answer.putObject("user").put("id", user.id()).put("deleted", user.deleted());
        if (user.locale() != null) {
            u.put("locale", user.locale());
        }
        ObjectNode profile = u.putObject("profile");
        if (user.email() != null) {
            profile.put("email", user.email());
        }
        return answer.toString();
    }

    private String postEphemeral(Map<String, String> p) {
        String channel = p.get("channel");
        String user = p.get("user");
        if (channel == null || user == null || (p.get("text") == null && p.get("blocks") == null)) {
            violations.add("chat.postEphemeral without channel, user or text: " + p);
            return error("invalid_arguments");
        }
        ephemerals.add(new Ephemeral(channel, user, p.get("text")));
        return JSON.createObjectNode().put("ok", true).put("message_ts", nextTs()).toString();
    }

    /** {@code POST /responses/<id>}: an interaction's response_url. */
    private void response(HttpExchange exchange) throws IOException {
        try (exchange) {
            String id = exchange.getRequestURI().getPath().substring("/responses/".length());
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            JsonNode message;
            try {
                message = JSON.readTree(body);
            } catch (IOException e) {
                violations.add("response_url " + id + ": not JSON: " + body);
                respond(exchange, 400, "invalid_payload", null);
                return;
            }
            if (!"POST".equals(exchange.getRequestMethod()) || !message.hasNonNull("text")) {
                violations.add("response_url " + id + ": " + exchange.getRequestMethod() + " " + body);
            }
            responses.computeIfAbsent(id, k -> new CopyOnWriteArrayList<>()).add(message);
            respond(exchange, 200, "ok", null);
        }
    }

    /** Runs the fake alone (benchmark): {@code FakeSlack <port> <token>}. */
    public static void main(String[] args) throws Exception {
        int port = args.length > 0 ? Integer.parseInt(args[0]) : 0;
        String token = args.length > 1 ? args[1] : "xoxb-bench";
        FakeSlack slack = new FakeSlack(port, token);
        System.out.println("fake Slack listening on " + slack.apiUrl());
        Thread.currentThread().join();
    }
}

package dev.toban.system;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.toban.plumbing.testing.KeycloakTokens;
import dev.toban.plumbing.testing.LocalStack;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.StreamSupport;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * Property-based bad input against every public endpoint of the four running services: the
 * operations come from each service's own OpenAPI document, plus the ingestion endpoints (Events
 * API v2, Alertmanager, Slack commands with bad or stale signatures). Malformed, truncated,
 * oversize, wrong-type and wrong-encoding bodies, text with control characters or lone surrogates,
 * out-of-range instants and nonsense parameters must all get a 4xx, never a 5xx, and leave no state behind.
 */
class BadInputFuzzIT {

    static final ObjectMapper JSON = new ObjectMapper();
    static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();
    static final AtomicInteger CASES = new AtomicInteger();
    static final Map<String, Integer> STATUSES = new ConcurrentHashMap<>();
    static TobanSystem toban;
    static List<Operation> operations;
    static Map<String, Long> rowsBefore;

    /** One documented operation of one service. */
    record Operation(String baseUrl, String method, String path, List<QueryParam> queryParams, boolean hasBody,
                     boolean bodyRequired, JsonNode bodySchema) {
        Operation(String baseUrl, String method, String path, List<QueryParam> queryParams, boolean hasBody) {
            this(baseUrl, method, path, queryParams, hasBody, true, JSON.createObjectNode());
        }
    }

    /** A typed query parameter: only typed ones have values that are wrong (a free-text filter has none). */
    record QueryParam(String name, String kind) {
    }

    /** One request to send. */
    record Case(Operation operation, String pathValue, String query, String contentType, byte[] body) {
    }

    @BeforeContainer
    static void start() throws Exception {
        toban = TobanSystem.start();
        operations = new ArrayList<>();
        for (ServiceProcess service : List.of(toban.oncall, toban.incident, toban.notify, toban.postmortem)) {
            operations.addAll(operationsOf(service.url()));
        }
        rowsBefore = rowCounts();
    }

    @AfterContainer
    static void stop() throws Exception {
        if (toban == null) {
            return; // the start failed: its error is the one to read
        }
        try {
            Map<String, Long> rowsAfter = rowCounts();
            Reliability.report(new Reliability.Row("Bad input (fuzz)", CASES.get() + " requests over "
                    + operations.size() + " operations + ingestion", "malformed, truncated, oversize, wrong-type, "
                    + "wrong-encoding bodies, bad or stale Slack signatures; statuses " + new TreeMap<>(STATUSES),
                    CASES.get(), CASES.get(), 0, 0, "n/a"));
            assertEquals(rowsBefore, rowsAfter, "bad input left no state behind");
        } finally {
            toban.close();
        }
    }

    /** The fuzzing covers the APIs the services document, not a hand-kept list. */
    @net.jqwik.api.Example
    void apiOperationsAreDocumented() {
        assertTrue(operations.size() > 40, "OpenAPI documents list the operations: " + operations.size());
    }

    @Property(tries = 1000)
    void restApisAnswerBadInputWith4xx(@ForAll("cases") Case c) throws Exception {
        HttpResponse<String> response = send(c, KeycloakTokens.of(KeycloakTokens.ADMIN));
        assertTrue(response.statusCode() >= 400 && response.statusCode() < 500,
                c.operation().method() + " " + c.pathValue() + c.query() + " [" + c.contentType() + "] "
                        + abbreviate(new String(c.body(), StandardCharsets.UTF_8)) + " answered "
                        + response.statusCode() + ": " + abbreviate(response.body()));
    }

    @Property(tries = 300)
    void ingestionAnswersBadInputWith4xx(@ForAll("ingestion") Case c) throws Exception {
        HttpResponse<String> response = send(c, null);
        assertTrue(response.statusCode() >= 400 && response.statusCode() < 500,
                c.operation().method() + " " + c.pathValue() + " answered " + response.statusCode() + ": "
                        + abbreviate(response.body()));
    }

    @Property(tries = 150)
    void slackCommandsWithBadOrStaleSignaturesAreRefused(@ForAll("slackForgeries") Map.Entry<Map<String, String>, String> forged)
            throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(toban.incident.url() + "/integrations/slack/commands"))
                .timeout(Duration.ofSeconds(10)).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(forged.getValue()));
        forged.getKey().forEach(request::header);
        HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
        count(response.statusCode());
        assertTrue(response.statusCode() == 401 || response.statusCode() == 400 || response.statusCode() == 403,
                "forged Slack command answered " + response.statusCode() + ": " + abbreviate(response.body()));
    }

    // ------------------------------------------------------------------ generators

    @Provide
    Arbitrary<Case> cases() {
        Arbitrary<Operation> operation = Arbitraries.of(operations);
        return operation.flatMap(op -> Combinators.combine(pathValues(op), query(op), body(op))
                .as((path, query, body) -> new Case(op, path, query, body.getKey(), body.getValue())));
    }

    @Provide
    Arbitrary<Case> ingestion() {
        String key = TobanSystem.demoIntegrationKey();
        Operation enqueue = new Operation(toban.incident.url(), "POST", "/v2/enqueue", List.of(), true);
        Operation change = new Operation(toban.incident.url(), "POST", "/v2/change/enqueue", List.of(), true);
        Operation alertmanager = new Operation(toban.incident.url(), "POST", "/integrations/alertmanager/" + key, List.of(), true);
        Operation unknownKey = new Operation(toban.incident.url(), "POST", "/integrations/alertmanager/not-a-key", List.of(), true);
        return Arbitraries.oneOf(
                Arbitraries.of(enqueue, change, alertmanager, unknownKey).flatMap(op -> body(op)
                        .map(body -> new Case(op, op.path(), "", body.getKey(), body.getValue()))),
                eventsApiMutations(key, EVENT_FIELDS).map(body -> new Case(enqueue, enqueue.path(), "", body.getKey(), body.getValue())),
                eventsApiMutations(key, CHANGE_FIELDS).map(body -> new Case(change, change.path(), "", body.getKey(), body.getValue())));
    }

    /** Fields an Events API trigger must get right; change events have no action, dedup key or severity. */
    static final List<String> EVENT_FIELDS = List.of("routing_key", "event_action", "dedup_key", "payload",
            "payload.summary", "payload.severity", "payload.source", "payload.timestamp", "links", "images");
    static final List<String> CHANGE_FIELDS = List.of("routing_key", "payload", "payload.summary", "payload.timestamp", "links");

    /** Events API bodies that are JSON but break one rule each: missing, wrong-typed or out-of-range fields. */
    Arbitrary<Map.Entry<String, byte[]>> eventsApiMutations(String key, List<String> fields) {
        Arbitrary<String> field = Arbitraries.of(fields);
        Arbitrary<Object> value = Arbitraries.of("", "bogus", 42, -1, true, List.of(1, 2), Map.of("x", List.of()),
                "x".repeat(2000), "2026-13-45T99:99:99Z");
        return Combinators.combine(field, value, Arbitraries.of(true, false)).as((f, v, remove) -> {
            Map<String, Object> payload = new java.util.HashMap<>(Map.of("summary", "fuzz", "source", "fuzz",
                    "severity", "critical"));
            Map<String, Object> event = new java.util.HashMap<>(Map.of("routing_key", key, "event_action", "trigger",
                    "payload", payload));
            // a wrong value for a required field, or the field removed
            if (f.startsWith("payload.")) {
                String name = f.substring("payload.".length());
                if (remove && !name.equals("timestamp")) {
                    payload.remove(name);
                } else {
                    payload.put(name, v instanceof String s && !name.equals("timestamp") && !name.equals("severity")
                            ? Map.of("not", s) : v);
                }
            } else if (remove && !f.equals("dedup_key") && !f.equals("links") && !f.equals("images")) {
                event.remove(f);
            } else {
                event.put(f, v instanceof String s && (f.equals("routing_key") || f.equals("dedup_key"))
                        ? Map.of("not", s) : f.equals("event_action") ? "explode" : v);
            }
            try {
                return Map.entry("application/json", JSON.writeValueAsBytes(event));
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
    }

    @Provide
    Arbitrary<Map.Entry<Map<String, String>, String>> slackForgeries() {
        String secret = LocalStack.get("TOBAN_SLACK_SIGNING_SECRET", "");
        Arbitrary<String> text = Arbitraries.strings().ofMaxLength(80);
        Arbitrary<Integer> kind = Arbitraries.integers().between(0, 4);
        return Combinators.combine(text, kind).as((t, k) -> {
            String body = "command=%2Fsos&text=" + java.net.URLEncoder.encode(t, StandardCharsets.UTF_8)
                    + "&user_id=U123&user_name=fuzz&team_id=T1&channel_id=C1&response_url=http%3A%2F%2Flocalhost%2Fx";
            long now = Instant.now().getEpochSecond();
            Map<String, String> headers = switch (k) {
                case 0 -> Map.of(); // no signature at all
                case 1 -> Map.of("X-Slack-Request-Timestamp", String.valueOf(now), "X-Slack-Signature", "v0=" + "0".repeat(64));
                case 2 -> Map.of("X-Slack-Request-Timestamp", String.valueOf(now - 600), // stale but correctly signed
                        "X-Slack-Signature", sign(secret, now - 600, body));
                case 3 -> Map.of("X-Slack-Request-Timestamp", "yesterday", "X-Slack-Signature", sign(secret, now, body));
                default -> Map.of("X-Slack-Request-Timestamp", String.valueOf(now), // signed for another body
                        "X-Slack-Signature", sign(secret, now, body + "&tampered=1"));
            };
            return Map.entry(headers, body);
        });
    }

    static String sign(String secret, long timestamp, String body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            byte[] digest = mac.doFinal(("v0:" + timestamp + ":" + body).getBytes(StandardCharsets.UTF_8));
            StringBuilder hex = new StringBuilder("v0=");
            for (byte b : digest) {
                hex.append(String.format("%02x", b));
            }
            return hex.toString();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** A path with its parameters filled in: random ids that exist nowhere, or nonsense. */
    static Arbitrary<String> pathValues(Operation op) {
        Arbitrary<String> value = Arbitraries.oneOf(
                Arbitraries.create(() -> java.util.UUID.randomUUID().toString()),
                Arbitraries.of("not-a-uuid", "0", "%00", "..%2F..", "x".repeat(300), "-1"));
        return value.list().ofSize(8).map(values -> {
            Iterator<String> it = values.iterator();
            return java.util.regex.Pattern.compile("\\{[^}]+}").matcher(op.path()).replaceAll(m -> it.next());
        });
    }

    static Arbitrary<String> query(Operation op) {
        if (op.queryParams().isEmpty()) {
            return Arbitraries.just("");
        }
        return Arbitraries.of(op.queryParams()).flatMap(param -> wrongValueFor(param.kind())
                .map(v -> "?" + param.name() + "=" + v));
    }

    /** Values that cannot be read as the parameter's type. */
    static Arbitrary<String> wrongValueFor(String kind) {
        return switch (kind) {
            case "uuid" -> Arbitraries.of("not-a-uuid", "1234", "%E3%81%82", "00000000-0000-0000-0000");
            case "date-time" -> Arbitraries.of("2026-02-30T25:00:00Z", "yesterday", "1732529730", "2026-11-25");
            case "date" -> Arbitraries.of("2026-02-30", "tomorrow", "25/11/2026");
            case "integer" -> Arbitraries.of("bogus", "1e309", "9999999999999999999", "1.5");
            case "boolean" -> Arbitraries.of("maybe", "2");
            default -> Arbitraries.of("SEV9", "bogus", "%E3%81%82"); // an enum
        };
    }

    /** A JSON value of another type than the schema asks for (Jackson turns numbers into strings, not objects). */
    static Object wrongTypeFor(JsonNode schema) {
        String type = schema.path("type").asText("");
        return switch (type) {
            case "string" -> Map.of("not", List.of("a string"));
            case "integer", "number" -> Map.of("not", "a number");
            case "boolean" -> List.of("not a boolean");
            case "array" -> Map.of("not", "an array");
            default -> schema.has("enum") ? Map.of("not", "an enum") : "not an object";
        };
    }

    /** The operation's body schema with every declared field given a value of the wrong type. */
    static byte[] everyFieldWrong(JsonNode schema) {
        Map<String, Object> body = new java.util.LinkedHashMap<>();
        schema.path("properties").fields().forEachRemaining(f -> body.put(f.getKey(), wrongTypeFor(f.getValue())));
        try {
            return JSON.writeValueAsBytes(body);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * The body schema with every string field holding text PostgreSQL cannot store or Toban must not
     * accept (a NUL, another control character, a lone surrogate) and every date-time out of range.
     */
    static Arbitrary<Map.Entry<String, byte[]>> badText(JsonNode schema) {
        Arbitrary<String> text = Arbitraries.of("nul\\u0000byte", "escape\\u001b[31m", "lone \\ud800 surrogate",
                "trailing \\udc00", "c1\\u0085control");
        return text.map(t -> {
            StringBuilder body = new StringBuilder("{");
            schema.path("properties").fields().forEachRemaining(f -> {
                String type = f.getValue().path("type").asText("");
                String format = f.getValue().path("format").asText("");
                if (type.equals("string") && !f.getValue().has("enum")) {
                    body.append(body.length() > 1 ? "," : "").append('"').append(f.getKey()).append("\":")
                            .append(format.equals("date-time") ? "\"+999999999-12-31T23:59:59Z\"" : "\"" + t + "\"");
                }
            });
            return Map.entry("application/json", body.append('}').toString().getBytes(StandardCharsets.UTF_8));
        });
    }

    /** Bodies that are wrong in one of the ways the issue names. */
    static Arbitrary<Map.Entry<String, byte[]>> body(Operation op) {
        boolean hasBody = op.hasBody();
        Arbitrary<Map.Entry<String, byte[]>> malformed = Arbitraries.of("{", "{\"a\":", "[1,2", "{\"x\":\"unterminated",
                "nul", "{}}", "{\"a\":1,}", "<xml/>").map(s -> Map.entry("application/json", s.getBytes(StandardCharsets.UTF_8)));
        Arbitrary<Map.Entry<String, byte[]>> truncated = Arbitraries.integers().between(1, 60).map(n -> {
            String full = "{\"name\":\"Server\",\"timeZone\":\"Asia/Tokyo\",\"title\":\"t\",\"severity\":\"SEV1\",\"decision\":\"hold\"}";
            return Map.entry("application/json", full.substring(0, Math.min(n, full.length() - 1)).getBytes(StandardCharsets.UTF_8));
        });
        // not "null": JSON null is how a client says "no body", which an optional body allows
        Arbitrary<Map.Entry<String, byte[]>> wrongTop = Arbitraries.of("[]", "42", "\"text\"", "true")
                .map(s -> Map.entry("application/json", s.getBytes(StandardCharsets.UTF_8)));
        Arbitrary<Map.Entry<String, byte[]>> wrongFields = op.bodySchema().path("properties").size() == 0 ? wrongTop
                : Arbitraries.just(Map.entry("application/json", everyFieldWrong(op.bodySchema())));
        Arbitrary<Map.Entry<String, byte[]>> wrongType = Arbitraries.oneOf(wrongTop, wrongFields);
        Arbitrary<Map.Entry<String, byte[]>> wrongEncoding = Arbitraries.bytes().array(byte[].class).ofMinSize(1).ofMaxSize(64)
                .map(bytes -> {
                    byte[] body = new byte[bytes.length + 2];
                    body[0] = (byte) 0xC3; // a lone UTF-8 lead byte, then arbitrary bytes
                    body[1] = (byte) 0x28;
                    System.arraycopy(bytes, 0, body, 2, bytes.length);
                    return Map.entry("application/json", body);
                });
        Arbitrary<Map.Entry<String, byte[]>> oversize = Arbitraries.just(Map.entry("application/json",
                ("{\"name\":\"" + "x".repeat(600 * 1024) + "\"}").getBytes(StandardCharsets.UTF_8)));
        Arbitrary<Map.Entry<String, byte[]>> wrongMediaType = Arbitraries.of("text/plain", "application/xml",
                "application/x-www-form-urlencoded").map(ct -> Map.entry(ct, "name=x&title=y".getBytes(StandardCharsets.UTF_8)));
        if (!hasBody) {
            // no body is expected: only the path and the parameters can be wrong
            return Arbitraries.just(Map.entry("application/json", new byte[0]));
        }
        Arbitrary<Map.Entry<String, byte[]>> empty = Arbitraries.just(Map.entry("application/json", new byte[0]));
        boolean hasText = StreamSupport.stream(op.bodySchema().path("properties").spliterator(), false)
                .anyMatch(f -> "string".equals(f.path("type").asText()));
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(3, malformed), net.jqwik.api.Tuple.of(3, truncated),
                net.jqwik.api.Tuple.of(4, wrongType), net.jqwik.api.Tuple.of(2, wrongEncoding),
                net.jqwik.api.Tuple.of(1, oversize), net.jqwik.api.Tuple.of(2, wrongMediaType),
                net.jqwik.api.Tuple.of(op.bodyRequired() ? 1 : 0, empty),
                net.jqwik.api.Tuple.of(hasText ? 3 : 0, hasText ? badText(op.bodySchema()) : empty));
    }

    // ------------------------------------------------------------------ plumbing of the test

    static HttpResponse<String> send(Case c, String token) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(c.operation().baseUrl() + c.pathValue() + c.query()))
                .timeout(Duration.ofSeconds(15))
                .header("Content-Type", c.contentType())
                .method(c.operation().method(), HttpRequest.BodyPublishers.ofByteArray(c.body()));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
        count(response.statusCode());
        return response;
    }

    static void count(int status) {
        CASES.incrementAndGet();
        STATUSES.merge(String.valueOf(status), 1, Integer::sum);
    }

    /** Operations with a body or parameters from /q/openapi; pages, ingestion and Slack are handled apart. */
    static List<Operation> operationsOf(String baseUrl) throws Exception {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(baseUrl + "/q/openapi?format=json"))
                .build(), HttpResponse.BodyHandlers.ofString());
        JsonNode document = JSON.readTree(response.body());
        JsonNode paths = document.path("paths");
        List<Operation> found = new ArrayList<>();
        paths.fields().forEachRemaining(path -> path.getValue().fields().forEachRemaining(method -> {
            String verb = method.getKey().toUpperCase();
            String p = path.getKey();
            if (!p.startsWith("/api/") || !List.of("POST", "PUT", "PATCH", "DELETE", "GET").contains(verb)) {
                return;
            }
            List<QueryParam> query = new ArrayList<>();
            method.getValue().path("parameters").forEach(param -> {
                if ("query".equals(param.path("in").asText())) {
                    JsonNode schema = param.path("schema");
                    String kind = schema.has("enum") ? "enum"
                            : schema.has("format") && List.of("uuid", "date-time", "date").contains(schema.path("format").asText())
                            ? schema.path("format").asText()
                            : List.of("integer", "boolean").contains(schema.path("type").asText()) ? schema.path("type").asText()
                            : null;
                    if (kind != null) {
                        query.add(new QueryParam(param.path("name").asText(), kind));
                    }
                }
            });
            JsonNode requestBody = method.getValue().path("requestBody");
            boolean hasBody = !requestBody.isMissingNode();
            JsonNode schema = requestBody.path("content").path("application/json").path("schema");
            if (schema.has("$ref")) {
                String ref = schema.path("$ref").asText();
                schema = document.at(ref.substring(1)); // "#/components/schemas/X" -> /components/schemas/X
            }
            if (query.isEmpty() && !p.contains("{") && !hasBody) {
                return; // no parameters and no body: nothing a client can get wrong
            }
            if (!p.contains("{") && query.isEmpty() && hasBody && !requestBody.path("required").asBoolean(false)
                    && schema.path("properties").size() == 0) {
                return; // an optional body with nothing typed in it: nothing a client can get wrong
            }
            found.add(new Operation(baseUrl, verb, p, query, hasBody, requestBody.path("required").asBoolean(false), schema));
        }));
        return found;
    }

    /** Rows per table of the four _it databases, leaving out what background jobs write by themselves. */
    static Map<String, Long> rowCounts() {
        Map<String, Long> counts = new TreeMap<>();
        List<String> background = List.of("flyway_schema_history", "outbox_event", "inbox_event", "open_shift",
                "shift_notice", "handoff_clock", "config_version", "reminder_occurrence", "reminder_sent",
                "delivery", "delivery_attempt", "delivery_lane", "policy_targets_cache", "commander_job");
        for (String service : List.of("oncall", "incident", "notify", "postmortem")) {
            for (String table : Database.strings(service,
                    "select table_name from information_schema.tables where table_schema = 'public' and table_type = 'BASE TABLE'")) {
                if (!background.contains(table)) {
                    counts.put(service + "." + table, Database.count(service, "select count(*) from " + table));
                }
            }
        }
        return counts;
    }

    static String abbreviate(String body) {
        return body == null ? "" : body.length() > 300 ? body.substring(0, 300) + "..." : body;
    }
}

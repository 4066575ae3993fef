package dev.toban.plumbing.testing;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
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
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * A fake Twilio REST API on localhost, speaking the documented Messages and Calls resources
 * ({@code POST /2010-04-01/Accounts/{AccountSid}/Messages.json} and {@code Calls.json}, form-encoded, Basic auth
 * AccountSid:AuthToken, 201 with the resource's {@code sid}), and calling back like Twilio does, every request
 * signed with {@code X-Twilio-Signature} (base64 HMAC-SHA1 with the auth token over the URL and the sorted POST
 * parameters): a call fetches its TwiML {@code Url} and "presses" digits by POSTing the Gather action; an
 * inbound SMS posts to the number's messaging webhook; status callbacks post to StatusCallback.
 *
 * <p>The URLs the service gives Twilio are its public ones; {@link #reach(String, String)} maps that public
 * base to where the service really listens (as a reverse proxy would), and the signature is computed over the
 * public URL, as Twilio computes it over the URL it was given.
 */
public final class FakeTwilio implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern ACCOUNT_PATH = Pattern.compile("^/2010-04-01/Accounts/([^/]+)/(Messages|Calls)\\.json$");
    private static final Pattern GATHER_ACTION = Pattern.compile("<Gather[^>]*\\baction=\"([^\"]+)\"");

    /** One accepted message. */
    public record Message(String sid, String to, String from, String body, String statusCallback) {
    }

    /** One accepted call. */
    public record Call(String sid, String to, String from, String url, String method, String statusCallback) {
    }

    /** What the service answered to one of the fake's callbacks. */
    public record Answer(int status, String body) {
    }

    private final String accountSid;
    private final String authToken;
    private final String number;
    private final HttpServer server;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final List<Message> messages = new CopyOnWriteArrayList<>();
    private final List<Call> calls = new CopyOnWriteArrayList<>();
    private final AtomicInteger requests = new AtomicInteger();
    private final AtomicInteger failing = new AtomicInteger();
    private volatile String publicBase;
    private volatile String realBase;

    /** @param number Toban's Twilio number: the From of messages and calls, the To of inbound SMS */
    public FakeTwilio(String accountSid, String authToken, String number) throws IOException {
        this.accountSid = accountSid;
        this.authToken = authToken;
        this.number = number;
        this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 50);
        server.createContext("/2010-04-01/", this::handle);
        server.setExecutor(Executors.newFixedThreadPool(4));
        server.start();
    }

    public int port() {
        return server.getAddress().getPort();
    }

    /** The API base URL (what {@code https://api.twilio.com} is in production). */
    public String apiUrl() {
        return "http://127.0.0.1:" + port();
    }

    public String accountSid() {
        return accountSid;
    }

    public String authToken() {
        return authToken;
    }

    public String number() {
        return number;
    }

    /** Callbacks to URLs under {@code publicBase} go to {@code realBase} instead (signed over the public URL). */
    public FakeTwilio reach(String publicBase, String realBase) {
        this.publicBase = publicBase;
        this.realBase = realBase;
        return this;
    }

    /** Every API request answers 503 while {@code true}: Twilio is down. */
    public void down(boolean down) {
        failing.set(down ? Integer.MAX_VALUE : 0);
    }

    /** API requests that reached the fake (accepted or not). */
    public int requests() {
        return requests.get();
    }

    public List<Message> messages() {
        return List.copyOf(messages);
    }

    public List<Message> messagesTo(String to) {
        return messages.stream().filter(m -> m.to().equals(to)).toList();
    }

    public List<Call> calls() {
        return List.copyOf(calls);
    }

    public List<Call> callsTo(String to) {
        return calls.stream().filter(c -> c.to().equals(to)).toList();
    }

    @Override
    public void close() {
        server.stop(0);
    }

    // ------------------------------------------------------------------ the REST API

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            requests.incrementAndGet();
            Matcher path = ACCOUNT_PATH.matcher(exchange.getRequestURI().getPath());
            if (!"POST".equals(exchange.getRequestMethod()) || !path.matches()) {
                error(exchange, 404, 20404, "The requested resource was not found");
                return;
            }
            String expected = "Basic " + Base64.getEncoder().encodeToString(
                    (accountSid + ":" + authToken).getBytes(StandardCharsets.UTF_8));
            if (!expected.equals(exchange.getRequestHeaders().getFirst("Authorization"))
                    || !accountSid.equals(path.group(1))) {
                error(exchange, 401, 20003, "Authenticate");
                return;
            }
            if (failing.get() > 0) {
                error(exchange, 503, 20500, "Service Unavailable");
                return;
            }
            Map<String, String> form = form(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            String to = form.get("To");
            if (to == null || !to.matches("\\+[1-9][0-9]{6,14}")) {
                error(exchange, 400, 21211, "The 'To' number " + to + " is not a valid phone number.");
                return;
            }
            if (!number.equals(form.get("From"))) {
                error(exchange, 400, 21606, "The 'From' phone number provided is not a valid message-capable Twilio phone number");
                return;
            }
            ObjectNode answer = JSON.createObjectNode();
            answer.put("account_sid", accountSid);
            answer.put("to", to);
            answer.put("from", number);
            answer.put("status", "queued");
            if ("Messages".equals(path.group(2))) {
                String body = form.get("Body");
                if (body == null || body.isEmpty()) {
                    error(exchange, 400, 21602, "Message body is required.");
                    return;
                }
                String sid = "SM" + hex();
                messages.add(new Message(sid, to, number, body, form.get("StatusCallback")));
                answer.put("sid", sid);
                answer.put("body", body);
            } else {
                String url = form.get("Url");
                if (url == null || url.isBlank()) {
                    error(exchange, 400, 21205, "Url parameter is required.");
                    return;
                }
                String sid = "CA" + hex();
                calls.add(new Call(sid, to, number, url, form.getOrDefault("Method", "POST"), form.get("StatusCallback")));
                answer.put("sid", sid);
            }
            send(exchange, 201, answer.toString());
        }
    }

    private static void error(HttpExchange exchange, int status, int code, String message) throws IOException {
        ObjectNode e = JSON.createObjectNode();
        e.put("code", code);
        e.put("message", message);
        e.put("more_info", "https://www.twilio.com/docs/errors/" + code);
        e.put("status", status);
        send(exchange, status, e.toString());
    }

    private static void send(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    // ------------------------------------------------------------------ calling back like Twilio

    /** The call is answered: Twilio fetches its TwiML (Url, with the call's parameters). */
    public Answer answer(Call call) {
        return callback(call.url(), callParams(call, "in-progress"), null);
    }

    /**
     * The callee presses {@code digits}: the TwiML is fetched, and its Gather action is posted with Digits.
     * Fails when the TwiML has no Gather.
     */
    public Answer press(Call call, String digits) {
        Answer twiml = answer(call);
        Matcher action = GATHER_ACTION.matcher(twiml.body());
        if (twiml.status() != 200 || !action.find()) {
            throw new AssertionError("the call's TwiML has no Gather: " + twiml);
        }
        Map<String, String> params = callParams(call, "in-progress");
        params.put("Digits", digits);
        params.put("FinishedOnKey", "");
        return callback(action.group(1).replace("&amp;", "&"), params, null);
    }

    /** An SMS from {@code from} to Toban's number, posted to the number's messaging webhook. */
    public Answer inboundSms(String webhookUrl, String from, String body) {
        return inboundSms(webhookUrl, from, body, null);
    }

    /** The same with a chosen signature (a forgery, when it is not Twilio's). */
    public Answer inboundSms(String webhookUrl, String from, String body, String signature) {
        Map<String, String> params = new LinkedHashMap<>();
        params.put("MessageSid", "SM" + hex());
        params.put("AccountSid", accountSid);
        params.put("From", from);
        params.put("To", number);
        params.put("Body", body);
        params.put("NumMedia", "0");
        return callback(webhookUrl, params, signature);
    }

    /** A status callback of a message (MessageStatus: sent, delivered, undelivered, failed). */
    public Answer status(Message m, String status) {
        Map<String, String> params = new LinkedHashMap<>();
        params.put("MessageSid", m.sid());
        params.put("AccountSid", accountSid);
        params.put("From", m.from());
        params.put("To", m.to());
        params.put("MessageStatus", status);
        return callback(m.statusCallback(), params, null);
    }

    /** A status callback of a call (CallStatus: ringing, in-progress, completed, busy, no-answer, failed). */
    public Answer status(Call c, String status) {
        return callback(c.statusCallback(), callParams(c, status), null);
    }

    private Map<String, String> callParams(Call call, String status) {
        Map<String, String> params = new LinkedHashMap<>();
        params.put("CallSid", call.sid());
        params.put("AccountSid", accountSid);
        params.put("From", call.from());
        params.put("To", call.to());
        params.put("CallStatus", status);
        params.put("Direction", "outbound-api");
        return params;
    }

    /** POSTs form params to a public URL of the service, signed as Twilio signs (or with {@code signature}). */
    public Answer callback(String publicUrl, Map<String, String> params, String signature) {
        String sig = signature != null ? signature : sign(authToken, publicUrl, params);
        String target = publicBase != null && publicUrl.startsWith(publicBase)
                ? realBase + publicUrl.substring(publicBase.length()) : publicUrl;
        String body = params.entrySet().stream()
                .map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
                        + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
        try {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(target))
                    .timeout(Duration.ofSeconds(10))
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .header("X-Twilio-Signature", sig)
                    .header("User-Agent", "TwilioProxy/1.1")
                    .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
            return new Answer(r.statusCode(), r.body());
        } catch (IOException e) {
            throw new IllegalStateException("callback to " + target + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Twilio's algorithm: base64(HMAC-SHA1(token, url + sorted name+value pairs)). */
    public static String sign(String authToken, String url, Map<String, String> params) {
        List<Map.Entry<String, String>> sorted = new ArrayList<>();
        params.forEach((k, v) -> sorted.add(new AbstractMap.SimpleEntry<>(k, v)));
        sorted.sort(Map.Entry.comparingByKey());
        StringBuilder data = new StringBuilder(url);
        sorted.forEach(e -> data.append(e.getKey()).append(e.getValue()));
        try {
            Mac mac = Mac.getInstance("HmacSHA1");
            mac.init(new SecretKeySpec(authToken.getBytes(StandardCharsets.UTF_8), "HmacSHA1"));
            return Base64.getEncoder().encodeToString(mac.doFinal(data.toString().getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Map<String, String> form(String body) {
        Map<String, String> form = new LinkedHashMap<>();
        for (String part : body.split("&")) {
            if (part.isEmpty()) {
                continue;
            }
            int eq = part.indexOf('=');
            form.put(URLDecoder.decode(eq < 0 ? part : part.substring(0, eq), StandardCharsets.UTF_8),
                    eq < 0 ? "" : URLDecoder.decode(part.substring(eq + 1), StandardCharsets.UTF_8));
        }
        return form;
    }

    private static String hex() {
        return UUID.randomUUID().toString().replace("-", "");
    }
}

package dev.toban.notify.service.channel;

import dev.toban.notify.config.WebhookSettings;
import dev.toban.notify.model.Webhook;
import dev.toban.notify.model.WebhookRepository;
import dev.toban.notify.service.NewDelivery;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.UUID;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Outgoing webhooks: POSTs the documented JSON payload, signed with
 * {@code X-Toban-Signature: sha256=<hex HMAC-SHA256(secret, timestamp + "." + body)>} and
 * {@code X-Toban-Timestamp} (Unix seconds). The target is a configured webhook's id, or a person's
 * webhook contact method (its URL is in the message, signed with {@code toban.webhooks.person-secret}).
 */
@ApplicationScoped
public class WebhookChannel implements NotificationChannel {

    public static final String SIGNATURE = "X-Toban-Signature";
    public static final String TIMESTAMP = "X-Toban-Timestamp";

    private final WebhookRepository webhooks;
    private final WebhookSettings settings;
    private final HttpClient http;

    public WebhookChannel(WebhookRepository webhooks, WebhookSettings settings) {
        this.webhooks = webhooks;
        this.settings = settings;
        this.http = HttpClient.newBuilder()
                .connectTimeout(settings.timeout())
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
    }

    @Override
    public String name() {
        return NewDelivery.WEBHOOK;
    }

    @Override
    public boolean enabled() {
        return true;
    }

    @Override
    public SendResult send(Outgoing o) {
        String url;
        String secret;
        if (o.message().url() != null) {
            url = o.message().url();
            secret = settings.personSecret().orElse(null);
        } else {
            Webhook hook = QuarkusTransaction.requiringNew().call(() -> webhooks.findById(UUID.fromString(o.target())));
            if (hook == null) {
                return SendResult.failed("the webhook was deleted");
            }
            if (!hook.enabled) {
                return SendResult.failed("the webhook is disabled");
            }
            url = hook.url;
            secret = hook.secret;
        }
        String body = o.message().body().toString();
        String timestamp = Long.toString(Instant.now().getEpochSecond());
        HttpRequest.Builder request;
        try {
            request = HttpRequest.newBuilder(URI.create(url));
        } catch (IllegalArgumentException e) {
            return SendResult.failed("invalid webhook URL: " + e.getMessage());
        }
        request.timeout(settings.timeout())
                .header("Content-Type", "application/json; charset=utf-8")
                .header("User-Agent", "Toban-Webhooks/1.0")
                .header("X-Toban-Event", o.eventType())
                .header("X-Toban-Delivery", o.deliveryId().toString())
                .header(TIMESTAMP, timestamp)
                .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
        if (secret != null && !secret.isBlank()) {
            request.header(SIGNATURE, "sha256=" + sign(secret, timestamp, body));
        }
        try {
            HttpResponse<Void> response = http.send(request.build(), HttpResponse.BodyHandlers.discarding());
            int status = response.statusCode();
            if (status >= 200 && status < 300) {
                return SendResult.sent("HTTP " + status, null, null);
            }
            if (status == 429) {
                Duration wait = response.headers().firstValue("Retry-After").flatMap(WebhookChannel::seconds)
                        .orElse(Duration.ofSeconds(5));
                return SendResult.rateLimited(wait, "HTTP 429");
            }
            if (status >= 500 || status == 408 || status == 425) {
                return SendResult.retry("HTTP " + status);
            }
            return SendResult.failed("HTTP " + status);
        } catch (IOException e) {
            return SendResult.retry(e.getClass().getSimpleName() + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return SendResult.retry("interrupted");
        }
    }

    /** Hex HMAC-SHA256 of {@code timestamp + "." + body}: what receivers recompute to verify a call. */
    public static String sign(String secret, String timestamp, String body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal((timestamp + "." + body).getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("HMAC-SHA256 unavailable", e);
        }
    }

    private static java.util.Optional<Duration> seconds(String header) {
        try {
            return java.util.Optional.of(Duration.ofSeconds(Math.max(0, Long.parseLong(header.strip()))));
        } catch (NumberFormatException e) {
            return java.util.Optional.empty();
        }
    }
}

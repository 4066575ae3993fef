package dev.toban.notify.dispatch.channel;

import dev.toban.notify.config.WebhookSettings;
import dev.toban.notify.dispatch.NewDelivery;
import dev.toban.notify.model.Webhook;
import dev.toban.notify.model.WebhookRepository;
import dev.toban.plumbing.egress.EgressClient;
import dev.toban.plumbing.egress.EgressRefusedException;
import dev.toban.plumbing.egress.EgressRequest;
import dev.toban.plumbing.egress.EgressResponse;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Optional;
import java.util.UUID;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Outgoing webhooks: POSTs the documented JSON payload, signed with
 * {@code X-Toban-Signature: sha256=<hex HMAC-SHA256(secret, timestamp + "." + body)>} and
 * {@code X-Toban-Timestamp} (Unix seconds). The target is a configured webhook's id, or a person's
 * webhook contact method (its URL is in the message, signed with {@code toban.webhooks.person-secret}).
 * Calls go through the egress policy ({@link EgressClient}): a refused destination is a final failure.
 */
@ApplicationScoped
public class WebhookChannel implements NotificationChannel {

    public static final String SIGNATURE = "X-Toban-Signature";
    public static final String TIMESTAMP = "X-Toban-Timestamp";

    /** What is read of a receiver's answer: only its status matters. */
    private static final int ANSWER_BYTES = 4096;

    private final WebhookRepository webhooks;
    private final WebhookSettings settings;
    private final EgressClient egress;

    public WebhookChannel(WebhookRepository webhooks, WebhookSettings settings, EgressClient egress) {
        this.webhooks = webhooks;
        this.settings = settings;
        this.egress = egress;
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
        URI uri;
        try {
            uri = new URI(url.strip());
        } catch (URISyntaxException e) {
            return SendResult.failed("invalid webhook URL: " + e.getMessage());
        }
        EgressRequest request = EgressRequest.post(uri, body)
                .timeout(settings.timeout())
                .maxResponseBytes(ANSWER_BYTES)
                .header("Content-Type", "application/json; charset=utf-8")
                .header("User-Agent", "Toban-Webhooks/1.0")
                .header("X-Toban-Event", o.eventType())
                .header("X-Toban-Delivery", o.deliveryId().toString())
                .header(TIMESTAMP, timestamp);
        if (secret != null && !secret.isBlank()) {
            request = request.header(SIGNATURE, "sha256=" + sign(secret, timestamp, body));
        }
        try {
            EgressResponse response = egress.send(request);
            int status = response.status();
            if (status >= 200 && status < 300) {
                return SendResult.sent("HTTP " + status, null, null);
            }
            if (status == 429) {
                Duration wait = Optional.ofNullable(response.header("Retry-After")).flatMap(WebhookChannel::seconds)
                        .orElse(Duration.ofSeconds(5));
                return SendResult.rateLimited(wait, "HTTP 429");
            }
            if (status >= 500 || status == 408 || status == 425) {
                return SendResult.retry("HTTP " + status);
            }
            return SendResult.failed("HTTP " + status);
        } catch (EgressRefusedException e) {
            return SendResult.failed(e.getMessage()); // retrying never helps
        } catch (ConnectException e) {
            return SendResult.retry("cannot connect: " + e.getMessage());
        } catch (IOException e) {
            return SendResult.retry(e.getClass().getSimpleName() + ": " + e.getMessage());
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

    private static Optional<Duration> seconds(String header) {
        try {
            return Optional.of(Duration.ofSeconds(Math.max(0, Long.parseLong(header.strip()))));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }
}

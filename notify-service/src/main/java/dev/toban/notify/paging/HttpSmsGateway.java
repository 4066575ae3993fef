package dev.toban.notify.paging;

import dev.toban.notify.config.PagingSettings;
import dev.toban.notify.dispatch.channel.Outgoing;
import dev.toban.notify.dispatch.channel.SendResult;
import dev.toban.plumbing.egress.EgressClient;
import dev.toban.plumbing.egress.EgressRequest;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.URI;
import java.util.Optional;

/**
 * A generic SMS gateway (provider {@code http}): one POST of a configured JSON template with {@code {to}} and
 * {@code {body}} replaced by the JSON-escaped number and text, and an optional auth header from the
 * environment. Any 2xx answer counts as sent.
 */
@ApplicationScoped
public class HttpSmsGateway implements Provider {

    private final EgressClient egress;
    private final PagingSettings.SmsHttp config;
    private final String url;

    public HttpSmsGateway(EgressClient egress, PagingSettings settings) {
        this.egress = egress;
        this.config = settings.smsHttp();
        this.url = config.url().map(String::strip).filter(s -> !s.isEmpty()).orElse(null);
    }

    @Override
    public String name() {
        return "http";
    }

    @Override
    public boolean enabled() {
        return url != null;
    }

    @Override
    public SendResult send(Outgoing o) {
        String body = config.bodyTemplate().replace("{to}", jsonEscape(o.target()))
                .replace("{body}", jsonEscape(o.message().text()));
        URI uri;
        try {
            uri = URI.create(url);
        } catch (IllegalArgumentException e) {
            return SendResult.failed("invalid SMS gateway URL (toban.notify.paging.sms-http.url)");
        }
        EgressRequest request = EgressRequest.post(uri, body)
                .timeout(config.timeout())
                .maxResponseBytes(4096)
                .header("Content-Type", "application/json; charset=utf-8")
                .header("User-Agent", "Toban-SMS/1.0")
                .header("X-Toban-Delivery", o.deliveryId().toString());
        Optional<String> header = config.authHeader().map(String::strip).filter(s -> !s.isEmpty());
        Optional<String> value = config.authValue().map(String::strip).filter(s -> !s.isEmpty());
        if (header.isPresent() && value.isPresent()) {
            request = request.header(header.get(), value.get());
        }
        return HttpOutcome.send(egress, request, "SMS gateway", r -> SendResult.sent("HTTP " + r.status(), "http", null));
    }

    /** The text as the inside of a JSON string. */
    static String jsonEscape(String s) {
        if (s == null) {
            return "";
        }
        StringBuilder b = new StringBuilder(s.length() + 16);
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                default -> {
                    if (c < 0x20 || c == '\u2028' || c == '\u2029') {
                        b.append(String.format("\\u%04x", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        return b.toString();
    }
}

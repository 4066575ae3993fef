package dev.toban.notify.paging;

import com.fasterxml.jackson.databind.JsonNode;
import dev.toban.notify.config.PagingSettings;
import dev.toban.notify.dispatch.NewDelivery;
import dev.toban.notify.dispatch.channel.Outgoing;
import dev.toban.notify.dispatch.channel.SendResult;
import dev.toban.notify.response.AckTokens;
import dev.toban.plumbing.egress.EgressClient;
import dev.toban.plumbing.egress.EgressRequest;
import jakarta.inject.Singleton;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * Push through ntfy's HTTP publish API: a POST of the message to the person's topic URL with Title,
 * Priority (5 for a high-urgency page), Tags, Click (the incident page) and an {@code http} action
 * "Acknowledge" that POSTs to the page's signed single-use ack link. The topic URL is vetted by the
 * egress policy like any webhook: a ntfy server inside the network needs the allowlist
 * ({@code TOBAN_EGRESS_ALLOW}). Headers that are not ASCII are sent RFC 2047-encoded, which ntfy decodes.
 */
@Singleton
public class PushChannel extends FallbackChannel {

    public PushChannel(PagingSettings settings, EgressClient egress, AckTokens acks) {
        super(settings.ntfy().enabled() ? java.util.List.of("ntfy") : java.util.List.of(),
                java.util.List.of(new Ntfy(settings.ntfy(), egress, acks)));
    }

    @Override
    public String name() {
        return NewDelivery.PUSH;
    }

    @Override
    public String disabledReason() {
        return "push is off (toban.notify.paging.ntfy.enabled=false)";
    }

    static final class Ntfy implements Provider {
        private final PagingSettings.Ntfy config;
        private final EgressClient egress;
        private final AckTokens acks;

        Ntfy(PagingSettings.Ntfy config, EgressClient egress, AckTokens acks) {
            this.config = config;
            this.egress = egress;
            this.acks = acks;
        }

        @Override
        public String name() {
            return "ntfy";
        }

        @Override
        public boolean enabled() {
            return config.enabled();
        }

        @Override
        public SendResult send(Outgoing o) {
            URI topic;
            try {
                topic = URI.create(o.target().strip());
            } catch (IllegalArgumentException e) {
                return SendResult.failed("invalid ntfy topic URL");
            }
            JsonNode extra = o.message().body();
            int priority = extra == null ? 3 : extra.path("priority").asInt(3);
            EgressRequest request = EgressRequest.post(topic, o.message().text() == null ? "" : o.message().text())
                    .timeout(config.timeout())
                    .maxResponseBytes(8192)
                    .header("Content-Type", "text/plain; charset=utf-8")
                    .header("Title", header(o.message().subject() == null ? "Toban" : o.message().subject()))
                    .header("Priority", Integer.toString(priority));
            if (extra != null && extra.hasNonNull("tags")) {
                request = request.header("Tags", header(extra.path("tags").asText()));
            }
            if (o.message().url() != null) {
                request = request.header("Click", o.message().url());
            }
            if (extra != null && extra.path("ack").asBoolean(false) && acks.enabled()) {
                String label = extra.path("ackLabel").asText("Acknowledge");
                request = request.header("Actions", header("http, " + label + ", " + acks.link(o.deliveryId())
                        + ", method=POST, clear=true"));
            }
            String token = config.token().map(String::strip).filter(s -> !s.isEmpty()).orElse(null);
            if (token != null) {
                request = request.header("Authorization", "Bearer " + token);
            }
            return HttpOutcome.send(egress, request, "ntfy", r -> SendResult.sent(messageId(r.text()), "ntfy", null));
        }

        /** ntfy answers with the message as JSON; its id names it in the log. */
        private static String messageId(String answer) {
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("\"id\"\\s*:\\s*\"([^\"]{1,64})\"")
                    .matcher(answer == null ? "" : answer);
            return m.find() ? m.group(1) : "published";
        }
    }

    /** A header value: ASCII as it is, anything else as an RFC 2047 encoded word. */
    static String header(String value) {
        String v = value.replaceAll("[\\r\\n]+", " ");
        if (v.chars().allMatch(c -> c >= 0x20 && c < 0x7f)) {
            return v;
        }
        return "=?UTF-8?B?" + Base64.getEncoder().encodeToString(v.getBytes(StandardCharsets.UTF_8)) + "?=";
    }
}

package dev.toban.notify.paging;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.toban.notify.config.PagingSettings;
import dev.toban.notify.dispatch.channel.SendResult;
import dev.toban.plumbing.egress.EgressClient;
import dev.toban.plumbing.egress.EgressRequest;
import dev.toban.plumbing.web.WebConfig;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Collectors;
import org.jboss.logging.Logger;

/**
 * Twilio's REST API (Messages and Calls) and the URLs of notify's Twilio webhooks. Every call goes
 * through the egress policy; the webhooks are under notify's public base URL ({@code toban.web.links.notifications},
 * env {@code TOBAN_NOTIFY_PUBLIC_URL}), which is also what their signatures are checked against.
 */
@ApplicationScoped
public class Twilio {

    private static final Logger LOG = Logger.getLogger(Twilio.class);
    /** Webhook paths, excluded from sign-in (the signature is the credential). */
    public static final String BASE_PATH = "/integrations/twilio";

    private final EgressClient egress;
    private final ObjectMapper mapper;
    private final PagingSettings.Twilio config;
    private final String publicBase;
    private final String sid;
    private final String token;
    private final String from;

    public Twilio(EgressClient egress, ObjectMapper mapper, PagingSettings settings, WebConfig web) {
        this.egress = egress;
        this.mapper = mapper;
        this.config = settings.twilio();
        this.publicBase = strip(web.links().notifications());
        this.sid = nonBlank(config.accountSid());
        this.token = nonBlank(config.authToken());
        this.from = nonBlank(config.fromNumber());
        if (enabled()) {
            LOG.infof("Twilio is on (account %s…, from %s, API %s)", sid.substring(0, Math.min(6, sid.length())), from,
                    config.apiUrl());
        } else {
            LOG.info("Twilio is off: TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN and TWILIO_FROM_NUMBER are not all set");
        }
    }

    public boolean enabled() {
        return sid != null && token != null && from != null;
    }

    /** The auth token: it signs Twilio's webhooks (X-Twilio-Signature). */
    public Optional<String> authToken() {
        return Optional.ofNullable(token);
    }

    /** The public URL of a webhook path (for the signature check and for what Twilio is told to call). */
    public String publicUrl(String path) {
        return publicBase + path;
    }

    public String statusCallback(UUID deliveryId) {
        return publicUrl(BASE_PATH + "/status/" + deliveryId);
    }

    public String voiceUrl(UUID deliveryId) {
        return publicUrl(BASE_PATH + "/voice/" + deliveryId);
    }

    public String gatherUrl(UUID deliveryId) {
        return publicUrl(BASE_PATH + "/voice/" + deliveryId + "/gather");
    }

    /** POST .../Messages.json: one SMS. */
    public SendResult sms(UUID deliveryId, String to, String body) {
        Map<String, String> form = new LinkedHashMap<>();
        form.put("To", to);
        form.put("From", from);
        form.put("Body", body);
        form.put("StatusCallback", statusCallback(deliveryId));
        return post("Messages.json", form);
    }

    /** POST .../Calls.json: a call that fetches its TwiML from notify. */
    public SendResult call(UUID deliveryId, String to) {
        Map<String, String> form = new LinkedHashMap<>();
        form.put("To", to);
        form.put("From", from);
        form.put("Url", voiceUrl(deliveryId));
        form.put("Method", "POST");
        form.put("StatusCallback", statusCallback(deliveryId));
        form.put("StatusCallbackMethod", "POST");
        return post("Calls.json", form);
    }

    private SendResult post(String resource, Map<String, String> form) {
        if (!enabled()) {
            return SendResult.failed("Twilio is not configured");
        }
        URI uri = URI.create(strip(config.apiUrl()) + "/2010-04-01/Accounts/"
                + URLEncoder.encode(sid, StandardCharsets.UTF_8) + "/" + resource);
        String body = form.entrySet().stream()
                .map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
                        + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
        String basic = Base64.getEncoder().encodeToString((sid + ":" + token).getBytes(StandardCharsets.UTF_8));
        EgressRequest request = EgressRequest.post(uri, body)
                .timeout(config.timeout())
                .maxResponseBytes(16 * 1024)
                .header("Content-Type", "application/x-www-form-urlencoded; charset=utf-8")
                .header("Accept", "application/json")
                .header("Authorization", "Basic " + basic);
        return HttpOutcome.send(egress, request, "Twilio", response -> {
            try {
                JsonNode answer = mapper.readTree(response.text());
                String messageSid = answer.path("sid").asText(null);
                return messageSid == null ? SendResult.retryUnknown("Twilio answered without a sid")
                        : SendResult.sent(messageSid, "twilio", null);
            } catch (java.io.IOException e) {
                return SendResult.retryUnknown("Twilio answered something that is not JSON");
            }
        });
    }

    private static String nonBlank(Optional<String> value) {
        return value.map(String::strip).filter(s -> !s.isEmpty()).orElse(null);
    }

    private static String strip(String url) {
        String s = url == null ? "" : url.strip();
        while (s.endsWith("/")) {
            s = s.substring(0, s.length() - 1);
        }
        return s;
    }
}

package dev.toban.notify.webhook;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.toban.notify.dispatch.DeliveryService;
import dev.toban.notify.dispatch.EventRef;
import dev.toban.notify.dispatch.Message;
import dev.toban.notify.dispatch.NewDelivery;
import dev.toban.notify.model.Webhook;
import dev.toban.notify.model.WebhookRepository;
import dev.toban.plumbing.egress.EgressPolicy;
import dev.toban.plumbing.egress.EgressRefusedException;
import dev.toban.plumbing.problem.Problem;
import dev.toban.plumbing.problem.ProblemException;
import dev.toban.plumbing.security.RandomTokens;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.Size;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.regex.Pattern;

/** Admins' outgoing webhooks: where to POST which events, and the secret that signs them. */
@ApplicationScoped
public class WebhookService {

    private static final Pattern EVENT_PATTERN = Pattern.compile("^([a-z0-9_]+|\\*|#)(\\.([a-z0-9_]+|\\*|#))*$");

    private final WebhookRepository webhooks;
    private final DeliveryService deliveries;
    private final WebhookFanout fanout;
    private final ObjectMapper mapper;
    private final EgressPolicy egress;

    public WebhookService(WebhookRepository webhooks, DeliveryService deliveries, WebhookFanout fanout,
                          ObjectMapper mapper, EgressPolicy egress) {
        this.webhooks = webhooks;
        this.deliveries = deliveries;
        this.fanout = fanout;
        this.mapper = mapper;
        this.egress = egress;
    }

    /**
     * @param secret     HMAC key, at least 16 characters; omitted on create: one is generated and returned once;
     *                   omitted on update: the current one stays
     * @param eventTypes patterns such as {@code toban.incident.*}, {@code toban.postmortem.#} or exact types
     */
    public record WebhookRequest(
            @NotBlank @Size(max = 100) String name,
            @NotBlank @Size(max = 2000) String url,
            @Size(min = 16, max = 200) String secret,
            @NotEmpty @Size(max = 50) List<@NotBlank @Size(max = 200) String> eventTypes,
            Boolean enabled) {
    }

    /** A webhook as the API shows it: the secret only as its last four characters. */
    public record WebhookView(UUID id, String name, String url, List<String> eventTypes, boolean enabled,
                              String secretHint, Instant createdAt, Instant updatedAt, long version) {
        static WebhookView of(Webhook w) {
            String hint = w.secret.length() <= 4 ? "****" : "…" + w.secret.substring(w.secret.length() - 4);
            return new WebhookView(w.id, w.name, w.url, w.eventTypeList(), w.enabled, hint, w.createdAt, w.updatedAt,
                    w.version);
        }
    }

    /** The answer to a create: the only time the full secret is shown. */
    public record WebhookCreated(WebhookView webhook, String secret) {
    }

    public List<WebhookView> list() {
        return webhooks.listAll(io.quarkus.panache.common.Sort.by("name")).stream().map(WebhookView::of).toList();
    }

    public WebhookView get(UUID id) {
        return WebhookView.of(find(id));
    }

    @Transactional
    public WebhookCreated create(WebhookRequest request) {
        validate(request);
        webhooks.findByName(request.name()).ifPresent(w -> {
            throw ProblemException.conflict("name", "a webhook named '" + request.name() + "' already exists");
        });
        Webhook w = new Webhook();
        w.id = UUID.randomUUID();
        w.createdAt = Instant.now();
        w.secret = request.secret() != null ? request.secret() : generateSecret();
        apply(w, request);
        webhooks.persistAndFlush(w);
        fanout.invalidate();
        return new WebhookCreated(WebhookView.of(w), w.secret);
    }

    @Transactional
    public WebhookView update(UUID id, WebhookRequest request) {
        validate(request);
        Webhook w = find(id);
        webhooks.findByName(request.name()).filter(other -> !other.id.equals(id)).ifPresent(other -> {
            throw ProblemException.conflict("name", "a webhook named '" + request.name() + "' already exists");
        });
        if (request.secret() != null) {
            w.secret = request.secret();
        }
        apply(w, request);
        webhooks.flush();
        fanout.invalidate();
        return WebhookView.of(w);
    }

    @Transactional
    public void delete(UUID id) {
        webhooks.delete(find(id));
        fanout.invalidate();
    }

    /**
     * Queues a signed test call ({@code toban.notify.webhook.test}) to check the receiver. Its URL is
     * vetted first, name lookup included (outside any transaction): a destination the egress policy
     * refuses is a 409 saying so, rather than a dead delivery to look up.
     */
    public DeliveryService.DeliveryView test(UUID id) {
        String url = QuarkusTransaction.joiningExisting().call(() -> find(id).url);
        try {
            egress.vet(new URI(url.strip()));
        } catch (EgressRefusedException e) {
            throw new ProblemException(409, "Refused by egress policy", e.getMessage(),
                    List.of(new Problem.FieldError("url", e.getMessage())));
        } catch (URISyntaxException e) {
            throw ProblemException.conflict("url", "is not a valid URL");
        } catch (UnknownHostException e) {
            // the name does not resolve now: the test call will say so in the delivery log
        }
        return QuarkusTransaction.requiringNew().call(() -> queueTest(id));
    }

    private DeliveryService.DeliveryView queueTest(UUID id) {
        Webhook w = find(id);
        Instant now = Instant.now();
        String eventId = UUID.randomUUID().toString();
        ObjectNode body = mapper.createObjectNode();
        body.put("specversion", "1.0");
        body.put("id", eventId);
        body.put("source", "/toban/notify-service");
        body.put("type", "toban.notify.webhook.test");
        body.put("time", now.toString());
        body.put("subject", w.id.toString());
        body.put("datacontenttype", "application/json");
        body.putObject("data").put("webhookId", w.id.toString()).put("name", w.name);
        body.put("text", "Toban: test call to webhook " + w.name);
        EventRef ref = new EventRef(eventId, "toban.notify.webhook.test", now, w.id.toString());
        return deliveries.create(NewDelivery.webhook(ref, "webhook", w.id.toString(), "webhook:" + w.id,
                        Message.webhook(body, null)))
                .map(d -> deliveries.view(d, false, true))
                .orElseThrow();
    }

    private Webhook find(UUID id) {
        return webhooks.findByIdOptional(id).orElseThrow(() -> ProblemException.notFound("Webhook", id));
    }

    private static void apply(Webhook w, WebhookRequest request) {
        w.name = request.name().strip();
        w.url = request.url().strip();
        w.eventTypes = String.join(",", request.eventTypes().stream().map(String::strip).toList());
        w.enabled = request.enabled() == null || request.enabled();
        w.updatedAt = Instant.now();
    }

    private void validate(WebhookRequest request) {
        List<Problem.FieldError> errors = new ArrayList<>();
        try {
            URI uri = new URI(request.url().strip());
            if (uri.getScheme() == null || !(uri.getScheme().equals("https") || uri.getScheme().equals("http"))
                    || uri.getHost() == null) {
                errors.add(new Problem.FieldError("url", "must be an absolute http or https URL"));
            } else {
                // an address the policy refuses is told now; a host name is vetted when called
                egress.refusalWithoutLookup(uri).ifPresent(why -> errors.add(new Problem.FieldError("url", why)));
            }
        } catch (URISyntaxException e) {
            errors.add(new Problem.FieldError("url", "must be an absolute http or https URL"));
        }
        for (int i = 0; i < request.eventTypes().size(); i++) {
            String p = request.eventTypes().get(i).strip();
            if (!EVENT_PATTERN.matcher(p).matches()) {
                errors.add(new Problem.FieldError("eventTypes[" + i + "]",
                        "must be an event type or a pattern such as toban.incident.* or toban.postmortem.#"));
            }
        }
        if (!errors.isEmpty()) {
            throw ProblemException.invalid(errors);
        }
    }

    private static String generateSecret() {
        return "whsec_" + RandomTokens.hex(24);
    }
}

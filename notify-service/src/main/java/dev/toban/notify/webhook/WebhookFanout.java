package dev.toban.notify.webhook;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.toban.notify.dispatch.DeliveryService;
import dev.toban.notify.dispatch.EventRef;
import dev.toban.notify.dispatch.Message;
import dev.toban.notify.dispatch.NewDelivery;
import dev.toban.notify.model.WebhookRepository;
import dev.toban.notify.template.Composer;
import dev.toban.notify.template.Links;
import dev.toban.notify.template.Models;
import dev.toban.notify.template.TemplateCatalog;
import dev.toban.notify.thread.IncidentNotifier;
import dev.toban.plumbing.events.CloudEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Every consumed event whose type a configured webhook asks for becomes a webhook delivery. The body
 * is the CloudEvent as received plus a {@code text} extension attribute: a ready-to-post summary
 * for chat bridges (see docs/operations.md).
 */
@ApplicationScoped
public class WebhookFanout {

    private final WebhookRepository webhooks;
    private final DeliveryService deliveries;
    private final Composer composer;
    private final ObjectMapper mapper;
    private final Links links;
    /** Enabled webhooks as last read; changes on this instance clear it, other replicas see them within the TTL. */
    private volatile Snapshot snapshot;
    static final long TTL_MILLIS = 2000;

    /** What fan-out needs of a webhook. */
    record Target(java.util.UUID id, List<String> patterns) {
    }

    private record Snapshot(List<Target> targets, long loadedAt) {
    }

    public WebhookFanout(WebhookRepository webhooks, DeliveryService deliveries, Composer composer, ObjectMapper mapper,
                         Links links) {
        this.webhooks = webhooks;
        this.deliveries = deliveries;
        this.composer = composer;
        this.mapper = mapper;
        this.links = links;
    }

    @Transactional(Transactional.TxType.MANDATORY)
    public void apply(CloudEvent event) {
        List<Target> matching = targets().stream()
                .filter(w -> w.patterns().stream().anyMatch(p -> matches(p, event.type())))
                .toList();
        if (matching.isEmpty()) {
            return;
        }
        JsonNode body = body(event);
        EventRef ref = EventRef.of(event);
        for (Target hook : matching) {
            NewDelivery nd = NewDelivery.webhook(ref, "webhook", hook.id().toString(), "webhook:" + hook.id(),
                    Message.webhook(body, null));
            String incident = event.data() == null ? null : event.data().path("incident").path("id").asText(null);
            deliveries.create(IncidentNotifier.uuid(incident).map(nd::withIncident).orElse(nd));
        }
    }

    /** Forgets the cached webhooks (after an admin changed one). */
    public void invalidate() {
        snapshot = null;
    }

    private List<Target> targets() {
        Snapshot current = snapshot;
        long now = System.currentTimeMillis();
        if (current == null || now - current.loadedAt() > TTL_MILLIS) {
            List<Target> loaded = webhooks.enabled().stream().map(w -> new Target(w.id, w.eventTypeList())).toList();
            current = new Snapshot(loaded, now);
            snapshot = current;
        }
        return current.targets();
    }

    /**
     * The documented payload: the CloudEvent, with {@code text} added and the links it carries (an incident's or
     * a postmortem's {@code url}) set to the pages under the configured public base URLs.
     */
    JsonNode body(CloudEvent event) {
        ObjectNode body = mapper.valueToTree(event);
        if (body.has("data")) {
            body.set("data", links.eventData(body.get("data")));
        }
        body.put("text", summary(event));
        return body;
    }

    /** A one-message summary in the default locale, from the event's own template when it has one. */
    String summary(CloudEvent event) {
        String locale = composer.defaultLocale();
        Optional<String> key = templateKey(event.type());
        JsonNode data = event.data();
        if (key.isEmpty() || data == null || !data.isObject()) {
            return event.type() + (event.subject() == null ? "" : " " + event.subject());
        }
        Map<String, Object> model = new LinkedHashMap<>();
        for (String f : List.of("incident", "actor", "note", "reason", "message", "level", "repeat", "targets", "team",
                "role", "person", "previous", "change", "lastUpdateAt", "cadenceMinutes", "alert", "page", "shiftId",
                "schedule", "start", "end", "onCallWith", "escalationPolicies", "id", "requester", "target",
                "acceptedBy", "overrideId", "status", "postmortem", "decision", "meeting", "markdownUrl",
                "decisionDueAt", "actionItem", "externalUrl", "recipient", "lastUpdate", "postmortemDecision")) {
            model.put(f, null);
        }
        model.put("onCallWith", List.of());
        model.put("escalationPolicies", List.of());
        model.putAll(Models.map(data, Models.Flavor.PLAIN));
        if (key.get().startsWith("postmortem.")) {
            Map<String, Object> incident = new LinkedHashMap<>();
            incident.put("id", data.path("postmortem").path("incidentId").asText(null));
            incident.put("number", data.path("postmortem").path("incidentNumber").isNumber()
                    ? data.path("postmortem").path("incidentNumber").asLong() : null);
            incident.put("title", null);
            incident.put("commander", null);
            model.put("incident", incident);
        }
        String tz = composer.zone(null);
        return composer.plain(key.get(), locale, composer.with(model, locale, tz));
    }

    /** The template that describes an event type, if any. */
    static Optional<String> templateKey(String type) {
        if (type.equals("toban.incident.triggered")) {
            return Optional.of("incident.parent");
        }
        String key = switch (type) {
            case "toban.oncall.shift.started" -> "handoff.channel";
            case "toban.oncall.shift.upcoming" -> "handoff.upcoming";
            case "toban.oncall.shift.ended" -> "handoff.ended";
            default -> type.startsWith("toban.") ? type.substring("toban.".length()).replace("oncall.cover.", "cover.") : type;
        };
        return TemplateCatalog.find(key).map(TemplateCatalog.Entry::key);
    }

    /**
     * AMQP-style pattern: segments split on dots, {@code *} matches one segment, {@code #} zero or
     * more; a lone {@code *} or {@code #} matches everything.
     */
    public static boolean matches(String pattern, String type) {
        String p = pattern.strip();
        if (p.equals("*") || p.equals("#")) {
            return true;
        }
        return match(p.split("\\."), 0, type.split("\\."), 0);
    }

    private static boolean match(String[] p, int i, String[] t, int j) {
        if (i == p.length) {
            return j == t.length;
        }
        if (p[i].equals("#")) {
            for (int k = j; k <= t.length; k++) {
                if (match(p, i + 1, t, k)) {
                    return true;
                }
            }
            return false;
        }
        if (j == t.length) {
            return false;
        }
        return (p[i].equals("*") || p[i].equals(t[j])) && match(p, i + 1, t, j + 1);
    }
}

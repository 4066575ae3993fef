package dev.toban.notify.thread;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.toban.notify.config.NotifyConfig;
import dev.toban.notify.dispatch.DeliveryService;
import dev.toban.notify.dispatch.EventRef;
import dev.toban.notify.dispatch.Message;
import dev.toban.notify.dispatch.NewDelivery;
import dev.toban.notify.model.Delivery;
import dev.toban.notify.model.DeliveryRepository;
import dev.toban.notify.model.IncidentThread;
import dev.toban.notify.slack.BlockKit;
import dev.toban.notify.slack.IncidentActions;
import dev.toban.notify.template.Composer;
import dev.toban.notify.template.Links;
import dev.toban.notify.template.Markup;
import dev.toban.notify.template.Models;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The parent message of an incident's Slack thread, which always shows the incident as it is now: the
 * {@code incident.parent} template (state, severity, IC, team, war room, last status update) and the
 * buttons the state allows ({@link IncidentActions}). Every change an event brings (a newer incident
 * version, a status update, a postmortem decision) renders it again as the thread's next revision; a
 * chat.update not sent yet takes the newest rendering instead of queueing another, and the update lane
 * is held for {@code toban.slack.update-interval} after each update, so a burst of events becomes at
 * most one update per interval and Slack always ends on the newest state.
 */
@ApplicationScoped
public class IncidentParent {

    /** Longest status update text shown in the parent; the whole text is in the thread. */
    static final int LAST_UPDATE_SHOWN = 500;

    private final Composer composer;
    private final DeliveryService deliveries;
    private final DeliveryRepository deliveryRepository;
    private final NotifyConfig config;
    private final ObjectMapper mapper;
    private final Links links;

    public IncidentParent(Composer composer, DeliveryService deliveries, DeliveryRepository deliveryRepository,
                          NotifyConfig config, ObjectMapper mapper, Links links) {
        this.composer = composer;
        this.deliveries = deliveries;
        this.deliveryRepository = deliveryRepository;
        this.config = config;
        this.mapper = mapper;
        this.links = links;
    }

    /**
     * Records what an incident event changes in the parent (the snapshot when newer, the last status
     * update). Returns whether the parent shows something else now.
     */
    boolean remember(IncidentThread thread, String suffix, JsonNode incident, JsonNode data, EventRef ref, long version) {
        boolean changed = false;
        if (thread.snapshot == null || version > thread.snapshotVersion) {
            thread.snapshot = json(incident);
            thread.snapshotVersion = version;
            changed = true;
        }
        if ("status_updated".equals(suffix) && version > thread.lastUpdateVersion) {
            String message = Composer.text(data, "message");
            if (message != null) {
                thread.lastUpdateMessage = message;
                thread.lastUpdateAt = ref.time();
                JsonNode actor = data.path("actor");
                String by = Composer.text(actor, "name");
                thread.lastUpdateBy = BlockKit.cut(by != null ? by : Composer.text(actor, "username"), 200);
                thread.lastUpdateVersion = version;
                changed = true;
            }
        }
        return changed;
    }

    /**
     * Records the postmortem decision a postmortem event carries, unless an older postmortem version.
     * Returns whether it changed.
     */
    boolean rememberPostmortem(IncidentThread thread, JsonNode postmortem) {
        long version = postmortem.path("version").asLong(0);
        if (thread.postmortemVersion != null && version < thread.postmortemVersion) {
            return false;
        }
        String decision = Composer.text(postmortem, "decision");
        boolean changed = !Objects.equals(decision, thread.postmortemDecision);
        thread.postmortemVersion = version;
        thread.postmortemDecision = decision;
        return changed;
    }

    /** The first rendering, for the parent post itself (revision 1). */
    Message first(IncidentThread thread, JsonNode incident, long version) {
        thread.snapshot = json(incident);
        thread.snapshotVersion = version;
        thread.parentRevision = 1;
        return render(thread, incident, version, 1);
    }

    /**
     * Queues a chat.update showing the thread as it is now, or puts it into the update still waiting.
     * Nothing when there is no parent to update (not posted, nor adopted from incident-service). In the
     * caller's transaction, with the thread row locked.
     */
    void refresh(EventRef ref, IncidentThread thread) {
        if (thread.snapshot == null || thread.parentDeliveryId == null && thread.ts == null) {
            return;
        }
        JsonNode incident = read(thread.snapshot);
        long revision = ++thread.parentRevision;
        Message message = render(thread, incident, thread.snapshotVersion, revision);
        String locale = config.defaultLocale();
        Optional<Delivery> pending = deliveryRepository.pendingParentUpdate(thread.incidentId);
        if (pending.isPresent() && deliveryRepository.foldIntoPendingUpdate(pending.get().id,
                deliveries.write(message), ref.id(), ref.type(), ref.time(), ref.subject())) {
            return;
        }
        // none waiting, or a worker took it in the meantime: queue a fresh update behind it
        deliveries.create(NewDelivery.slackPost(ref, "thread", thread.channel, "incident.parent", locale, message)
                .asParentUpdate(thread.incidentId, thread.parentDeliveryId)
                .withIncident(thread.incidentId));
    }

    /** The parent: the rendered template as the text and a section, the state's buttons, and the incident number. */
    Message render(IncidentThread thread, JsonNode incident, long version, long revision) {
        String locale = config.defaultLocale();
        Map<String, Object> model = new LinkedHashMap<>();
        // what an event-specific model has, as null: an admin's template may test them
        IncidentNotifier.OPTIONAL_FIELDS.forEach(f -> model.put(f, null));
        model.put("actor", null);
        model.put("incident", Models.map(incident, Models.Flavor.SLACK));
        model.put("lastUpdate", lastUpdate(thread));
        model.put("postmortemDecision", thread.postmortemDecision);
        String tz = composer.zone(incident.path("owningTeam").path("timeZone").asText(null));
        String text = composer.rendered("incident.parent", locale, composer.with(model, locale, tz)).mrkdwn();

        ArrayNode blocks = mapper.createArrayNode();
        blocks.add(BlockKit.section(text));
        String id = incident.path("id").asText();
        ObjectNode actions = IncidentActions.block(
                IncidentActions.verbs(incident.path("state").asText(null), thread.postmortemDecision != null),
                id, links.incident(id), locale);
        if (actions != null) {
            blocks.add(actions);
        }
        boolean ja = "ja".equals(locale);
        blocks.add(BlockKit.context((ja ? "Toban インシデント #" : "Toban incident #")
                + Markup.escapeSlack(incident.path("number").asText("?")) + " · v" + version));
        return Message.parent(text, blocks, version, revision);
    }

    /** The page DM's blocks: the message, Acknowledge while the incident waits for it, and the link to the console. */
    Message page(Message rendered, JsonNode incident, String locale) {
        ArrayNode blocks = mapper.createArrayNode();
        blocks.add(BlockKit.section(rendered.text()));
        String id = incident.path("id").asText();
        boolean waiting = "triggered".equals(incident.path("state").asText());
        ObjectNode actions = IncidentActions.block(waiting ? List.of("ack") : List.of(), id,
                links.incident(id), locale);
        if (actions != null) {
            blocks.add(actions);
        }
        return Message.slack(rendered.text(), blocks, null);
    }

    private static Map<String, Object> lastUpdate(IncidentThread thread) {
        if (thread.lastUpdateMessage == null) {
            return null;
        }
        Map<String, Object> update = new LinkedHashMap<>();
        update.put("message", BlockKit.cut(thread.lastUpdateMessage.strip(), LAST_UPDATE_SHOWN));
        update.put("at", thread.lastUpdateAt == null ? null : thread.lastUpdateAt.toString());
        update.put("by", thread.lastUpdateBy);
        return update;
    }

    private String json(JsonNode node) {
        try {
            return mapper.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise an incident snapshot", e);
        }
    }

    private JsonNode read(String json) {
        try {
            return mapper.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot read a stored incident snapshot", e);
        }
    }
}

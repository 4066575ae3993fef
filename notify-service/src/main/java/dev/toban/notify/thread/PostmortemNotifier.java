package dev.toban.notify.thread;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.toban.contracts.postmortem.PostmortemContracts.Held;
import dev.toban.contracts.postmortem.PostmortemEventData;
import dev.toban.contracts.postmortem.PostmortemSnapshot;
import dev.toban.notify.config.SlackSettings;
import dev.toban.notify.dispatch.DeliveryService;
import dev.toban.notify.dispatch.EventRef;
import dev.toban.notify.dispatch.Message;
import dev.toban.notify.dispatch.NewDelivery;
import dev.toban.notify.model.IncidentThread;
import dev.toban.notify.model.IncidentThreadRepository;
import dev.toban.notify.template.Composer;
import dev.toban.notify.template.Models;
import dev.toban.plumbing.events.CloudEvent;
import dev.toban.plumbing.inbox.PoisonEventException;
import io.quarkus.qute.RawString;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;
import org.jboss.logging.Logger;

/**
 * postmortem-service's events (障害撲滅委員会): replies in the incident's thread, and DMs to the
 * owners of action items.
 */
@ApplicationScoped
public class PostmortemNotifier {

    private static final Logger LOG = Logger.getLogger(PostmortemNotifier.class);
    static final String PREFIX = "toban.postmortem.";
    private static final Set<String> THREAD_EVENTS = Set.of("opened", "decided", "scheduled", "rescheduled", "cancelled",
            "held", "published", "skipped", "reopened", "decision_overdue", "action_item.updated");
    private static final List<String> OPTIONAL_FIELDS = List.of("actor", "decision", "reason", "meeting", "previous",
            "markdownUrl", "decisionDueAt", "actionItem", "externalUrl");

    private final IncidentThreadRepository threads;
    private final DeliveryService deliveries;
    private final Composer composer;
    private final SlackSettings slack;
    private final IncidentParent parents;

    private final ObjectMapper mapper;

    public PostmortemNotifier(IncidentThreadRepository threads, DeliveryService deliveries, Composer composer,
                              SlackSettings slack, IncidentParent parents, ObjectMapper mapper) {
        this.mapper = mapper;
        this.threads = threads;
        this.parents = parents;
        this.deliveries = deliveries;
        this.composer = composer;
        this.slack = slack;
    }

    @Transactional(Transactional.TxType.MANDATORY)
    public void apply(CloudEvent event) {
        if (!event.type().startsWith(PREFIX)) {
            return;
        }
        String suffix = event.type().substring(PREFIX.length());
        // the data as its contract's record (a type this build does not know: as any postmortem event)
        Object typed = event.contractData(mapper).orElseGet(() -> event.dataAs(mapper, Held.class));
        PostmortemSnapshot snapshot = typed instanceof PostmortemEventData d ? d.postmortem() : null;
        if (snapshot == null) {
            throw new PoisonEventException(event.type() + " has no postmortem snapshot");
        }
        // templates render the record's JSON: the contract's fields, whatever else a newer producer added is not shown
        JsonNode data = mapper.valueToTree(typed);
        JsonNode pm = data.get("postmortem");
        EventRef ref = EventRef.of(event);
        Optional<UUID> incidentId = Optional.ofNullable(snapshot.incidentId());
        IncidentThread thread = incidentId.flatMap(id -> thread(id, pm)).orElse(null);
        String key = "postmortem." + suffix;
        if (THREAD_EVENTS.contains(suffix)) {
            toThread(ref, thread, incidentId.orElse(null), pm, key, model(data, thread));
        } else if ("action_item.created".equals(suffix) || "action_item.overdue".equals(suffix)) {
            JsonNode owner = data.path("actionItem").path("owner");
            composer.toPerson(ref, "postmortem", key, owner, model(data, thread)).ifPresentOrElse(deliveries::create,
                    () -> toThread(ref, thread, incidentId.orElse(null), pm, key, model(data, thread)));
        } else {
            LOG.debugf("No message for %s", event.type());
        }
        // a closed incident's parent offers the postmortem decision until one is recorded
        if (thread != null && parents.rememberPostmortem(thread, pm)) {
            parents.refresh(ref, thread);
        }
    }

    /** The incident's thread; adopts the one the postmortem names when this service has none. */
    private Optional<IncidentThread> thread(UUID incidentId, JsonNode pm) {
        Optional<IncidentThread> existing = threads.findForUpdate(incidentId);
        if (existing.isPresent()) {
            return existing;
        }
        JsonNode known = pm.path("slackThread");
        if (known.isObject() && known.hasNonNull("ts") && known.hasNonNull("channel")) {
            IncidentThread thread = new IncidentThread();
            thread.incidentId = incidentId;
            thread.channel = known.path("channel").asText();
            thread.channelId = thread.channel;
            thread.ts = known.path("ts").asText();
            thread.number = pm.hasNonNull("incidentNumber") ? pm.path("incidentNumber").asLong() : null;
            thread.createdAt = Instant.now();
            thread.updatedAt = thread.createdAt;
            threads.persist(thread);
            return Optional.of(thread);
        }
        return Optional.empty();
    }

    private void toThread(EventRef ref, IncidentThread thread, UUID incidentId, JsonNode pm, String key,
                          Function<Models.Flavor, Map<String, Object>> model) {
        String locale = composer.defaultLocale();
        String tz = pm.path("owningTeam").path("timeZone").asText(null);
        if (thread != null) {
            Message message = composer.slack(key, locale, composer.with(model.apply(Models.Flavor.SLACK), locale, composer.zone(tz)));
            deliveries.create(NewDelivery.slackPost(ref, "postmortem", thread.channel, key, locale, message)
                    .inThread(NewDelivery.SLACK_REPLY, incidentId, thread.latestVersion, thread.parentDeliveryId, (short) 1)
                    .withIncident(incidentId));
            return;
        }
        String channel = Composer.text(pm.path("owningTeam"), "slackChannel");
        NewDelivery nd = composer.toChannel(ref, "postmortem", channel != null ? channel : slack.defaultChannel(), key, tz, model);
        deliveries.create(incidentId == null ? nd : nd.withIncident(incidentId));
    }

    /** The event data, with what this service knows of the incident (number, title, IC) as {@code incident}. */
    private static Function<Models.Flavor, Map<String, Object>> model(JsonNode data, IncidentThread thread) {
        return flavor -> {
            Map<String, Object> model = new LinkedHashMap<>();
            OPTIONAL_FIELDS.forEach(f -> model.put(f, null));
            model.putAll(Models.map(data, flavor));
            JsonNode pm = data.path("postmortem");
            Map<String, Object> incident = new LinkedHashMap<>();
            incident.put("id", pm.path("incidentId").asText(null));
            incident.put("number", thread != null && thread.number != null ? thread.number
                    : pm.hasNonNull("incidentNumber") ? pm.path("incidentNumber").asLong() : null);
            incident.put("title", thread != null ? thread.title : null);
            Map<String, Object> commander = null;
            if (thread != null && thread.commanderName != null) {
                commander = new LinkedHashMap<>();
                commander.put("name", thread.commanderName);
                commander.put("slackUserId", thread.commanderSlackUserId);
                Object mention = Models.mention(thread.commanderName, thread.commanderSlackUserId, flavor);
                commander.put("mention", mention instanceof RawString r ? r : mention);
            }
            incident.put("commander", commander);
            model.put("incident", incident);
            return model;
        };
    }
}

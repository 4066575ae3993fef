package dev.toban.notify.thread;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.toban.contracts.incident.IncidentContracts.Acknowledged;
import dev.toban.contracts.incident.IncidentContracts;
import dev.toban.contracts.incident.IncidentContracts.ChangeReceived;
import dev.toban.contracts.incident.IncidentEventData;
import dev.toban.contracts.incident.IncidentSnapshot;
import dev.toban.contracts.incident.IncidentState;
import dev.toban.notify.client.PersonContactsCache;
import dev.toban.notify.client.PersonDetails;
import dev.toban.notify.config.NotifyConfig;
import dev.toban.notify.config.SlackSettings;
import dev.toban.notify.dispatch.DeliveryService;
import dev.toban.notify.dispatch.EventRef;
import dev.toban.notify.dispatch.Message;
import dev.toban.notify.dispatch.NewDelivery;
import dev.toban.notify.dispatch.PersonRef;
import dev.toban.notify.model.IncidentThread;
import dev.toban.notify.model.IncidentThreadRepository;
import dev.toban.notify.paging.PagePlanner;
import dev.toban.notify.paging.PagingMessages;
import dev.toban.notify.paging.SmsReplyCodes;
import dev.toban.notify.response.AckTokens;
import dev.toban.notify.template.Composer;
import dev.toban.notify.template.Links;
import dev.toban.notify.template.Models;
import dev.toban.plumbing.events.CloudEvent;
import dev.toban.plumbing.inbox.PoisonEventException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;
import org.jboss.logging.Logger;

/**
 * incident-service's events become the incident's Slack thread (parent message, replies, parent
 * updates) and pages to people. Runs inside the event's inbox transaction: it only records deliveries.
 */
@ApplicationScoped
public class IncidentNotifier {

    private static final Logger LOG = Logger.getLogger(IncidentNotifier.class);
    static final String PREFIX = "toban.incident.";
    /** Incident events that become a reply in the thread (and a refresh of the parent). */
    static final Set<String> THREAD_EVENTS = Set.of("acknowledged", "escalated", "assigned", "role_changed",
            "status_updated", "mitigated", "resolved", "closed", "reopened",
            // alert grouping (incident-service): a roll-up at most once a minute, and "every alert resolved"
            "alerts_grouped", "alerts_resolved");
    /** Optional event fields that templates may test; present (maybe null) in every model. */
    static final List<String> OPTIONAL_FIELDS = List.of("note", "reason", "message", "level", "repeat",
            "targets", "team", "role", "person", "previous", "change", "lastUpdateAt", "cadenceMinutes", "alert", "page", "alerts",
            // what the parent message shows (IncidentParent); in the sample, so any incident template may test them
            "lastUpdate", "postmortemDecision");

    private final IncidentThreadRepository threads;
    private final IncidentParent parents;
    private final DeliveryService deliveries;
    private final Composer composer;
    private final PersonContactsCache oncall;
    private final NotifyConfig config;
    private final SlackSettings slack;
    private final ObjectMapper mapper;
    private final Links links;
    private final PagingMessages paging;
    private final SmsReplyCodes replyCodes;
    private final AckTokens acks;

    public IncidentNotifier(IncidentThreadRepository threads, IncidentParent parents,
                            DeliveryService deliveries, Composer composer, PersonContactsCache oncall,
                            NotifyConfig config, SlackSettings slack, ObjectMapper mapper, Links links,
                            PagingMessages paging, SmsReplyCodes replyCodes, AckTokens acks) {
        this.threads = threads;
        this.parents = parents;
        this.deliveries = deliveries;
        this.composer = composer;
        this.oncall = oncall;
        this.config = config;
        this.slack = slack;
        this.mapper = mapper;
        this.links = links;
        this.paging = paging;
        this.replyCodes = replyCodes;
        this.acks = acks;
    }

    /**
     * How to reach each person the event pages (its targets), asked of oncall-service before the inbox transaction:
     * never a remote call while that transaction holds the thread's row lock. A person oncall-service cannot answer
     * for is missing, and is paged with the event's PersonRef.
     */
    public Map<UUID, PersonDetails> contacts(CloudEvent event) {
        if (!event.type().startsWith(PREFIX)) {
            return Map.of();
        }
        Object typed;
        try {
            typed = event.contractData(mapper).orElse(null);
        } catch (RuntimeException e) {
            return Map.of(); // apply() dead-letters what does not fit its contract
        }
        List<dev.toban.contracts.PersonRef> targets = typed instanceof IncidentContracts.Triggered t && t.page() != null ? t.page().targets()
                : typed instanceof IncidentContracts.Escalated e ? e.targets() : null;
        if (targets == null || targets.isEmpty()) {
            return Map.of();
        }
        Map<UUID, PersonDetails> found = new HashMap<>();
        for (dev.toban.contracts.PersonRef target : targets) {
            if (target != null && target.id() != null && !found.containsKey(target.id())) {
                PersonDetails details = details(target.id());
                if (details != null) {
                    found.put(target.id(), details);
                }
            }
        }
        return found;
    }

    @Transactional(Transactional.TxType.MANDATORY)
    public void apply(CloudEvent event, Map<UUID, PersonDetails> contacts) {
        if (!event.type().startsWith(PREFIX)) {
            return;
        }
        String suffix = event.type().substring(PREFIX.length());
        // the data as its contract's record (a type this build does not know: as any incident event, incident + actor)
        Object typed = event.contractData(mapper).orElseGet(() -> event.dataAs(mapper, Acknowledged.class));
        if (typed instanceof ChangeReceived) {
            return; // a change is not about an incident; only webhooks see it
        }
        IncidentSnapshot snapshot = typed instanceof IncidentEventData d ? d.incident() : null;
        if (snapshot == null) {
            throw new PoisonEventException(event.type() + " has no incident snapshot");
        }
        if (snapshot.id() == null) {
            throw new PoisonEventException(event.type() + " has no incident id");
        }
        UUID incidentId = snapshot.id();
        long version = snapshot.version();
        // templates render the record's JSON: the contract's fields, whatever else a newer producer added is not shown
        JsonNode data = mapper.valueToTree(typed);
        JsonNode incident = data.get("incident");
        EventRef ref = EventRef.of(event);

        Optional<IncidentThread> existing = threads.findForUpdate(incidentId);
        IncidentThread thread = existing.orElseGet(() -> thread(ref, incidentId, incident, version));
        switch (suffix) {
            case "triggered" -> page(ref, incidentId, incident, data, data.path("page").path("targets"), "triggered",
                    contacts);
            case "escalated" -> {
                reply(ref, thread, incidentId, incident, data, "incident.escalated", version);
                page(ref, incidentId, incident, data, data.path("targets"), "escalated", contacts);
            }
            case "update_overdue" -> reply(ref, thread, incidentId, incident, data, "incident.update_overdue", version);
            default -> {
                if (THREAD_EVENTS.contains(suffix)) {
                    reply(ref, thread, incidentId, incident, data, "incident." + suffix, version);
                } else {
                    LOG.debugf("No thread message for %s", event.type());
                }
            }
        }
        // every change the event brings is shown in the parent (a new thread's post shows it already)
        boolean changed = parents.remember(thread, suffix, incident, data, ref, version);
        if (existing.isPresent() && changed || existing.isEmpty() && thread.parentDeliveryId == null) {
            parents.refresh(ref, thread);
        }
        if (snapshot.state() != null && snapshot.state() != IncidentState.TRIGGERED) {
            deliveries.cancelPages(incidentId, "the incident is " + snapshot.state().wire() + " (" + event.type() + ")");
        }
        remember(thread, incident, version);
    }

    // ------------------------------------------------------------------ thread

    /**
     * The incident's thread, for its first event: with its parent message, or adopting the thread
     * incident-service already has (this database was reset), whose parent the caller then updates.
     */
    private IncidentThread thread(EventRef ref, UUID incidentId, JsonNode incident, long version) {
        Instant now = Instant.now();
        IncidentThread thread = new IncidentThread();
        thread.incidentId = incidentId;
        thread.channel = route(incident);
        thread.createdAt = now;
        thread.updatedAt = now;
        JsonNode known = incident.path("slackThread");
        if (known.isObject() && known.hasNonNull("ts") && known.hasNonNull("channel")) {
            thread.channel = known.path("channel").asText();
            thread.channelId = known.path("channel").asText();
            thread.ts = known.path("ts").asText();
            threads.persist(thread);
            return thread;
        }
        String locale = config.defaultLocale();
        Message parent = parents.first(thread, incident, version);
        NewDelivery nd = NewDelivery.slackPost(ref, "thread", thread.channel, "incident.parent", locale, parent)
                .inThread(NewDelivery.SLACK_PARENT, incidentId, version, null, (short) 0)
                .withIncident(incidentId);
        // the parent delivery first: the thread row refers to it
        deliveries.create(nd).ifPresent(d -> thread.parentDeliveryId = d.id);
        threads.persist(thread);
        return thread;
    }

    /** The service's channel, else the owning team's, else the default incident channel. */
    String route(JsonNode incident) {
        String service = Composer.text(incident.path("service"), "slackChannel");
        if (service != null) {
            return service;
        }
        String team = Composer.text(incident.path("owningTeam"), "slackChannel");
        return team != null ? team : slack.defaultChannel();
    }

    private void reply(EventRef ref, IncidentThread thread, UUID incidentId, JsonNode incident, JsonNode data,
                       String key, long version) {
        String locale = config.defaultLocale();
        Map<String, Object> model = model(incident, data, Models.Flavor.SLACK, locale);
        Message message = composer.slack(key, locale, model);
        NewDelivery nd = NewDelivery.slackPost(ref, "thread", thread.channel, key, locale, message)
                .inThread(NewDelivery.SLACK_REPLY, incidentId, version, thread.parentDeliveryId, (short) 1)
                .withIncident(incidentId);
        if (thread.latestVersion > 0 && version > thread.latestVersion + 1) {
            // an earlier version has not arrived yet (events consumed out of order): give it a moment
            nd = nd.dueAt(Instant.now().plus(config.delivery().reorderWindow()));
        }
        deliveries.create(nd);
    }

    private void remember(IncidentThread thread, JsonNode incident, long version) {
        thread.latestVersion = Math.max(thread.latestVersion, version);
        if (version >= thread.latestVersion) {
            thread.number = incident.hasNonNull("number") ? incident.path("number").asLong() : thread.number;
            thread.title = Composer.text(incident, "title") != null ? Composer.text(incident, "title") : thread.title;
            JsonNode ic = incident.path("commander");
            thread.commanderName = Composer.text(ic, "name");
            thread.commanderSlackUserId = Composer.text(ic, "slackUserId");
        }
        thread.updatedAt = Instant.now();
    }

    /** Template model of an incident event: the event data plus the optional fields as null when absent. */
    Map<String, Object> model(JsonNode incident, JsonNode data, Models.Flavor flavor, String locale) {
        Map<String, Object> model = new LinkedHashMap<>();
        OPTIONAL_FIELDS.forEach(f -> model.put(f, null));
        model.put("actor", null);
        if (data != null && data.isObject()) {
            model.putAll(Models.map(data, flavor));
        }
        model.put("incident", Models.map(incident, flavor));
        String tz = composer.zone(incident.path("owningTeam").path("timeZone").asText(null));
        return composer.with(model, locale, tz);
    }

    // ------------------------------------------------------------------ pages

    /**
     * Pages each target by their notification rules (from oncall-service), each step due at the
     * event time plus its delay. Only while the incident is still triggered.
     */
    private void page(EventRef ref, UUID incidentId, JsonNode incident, JsonNode data, JsonNode targets, String why,
                      Map<UUID, PersonDetails> contacts) {
        if (!targets.isArray() || !"triggered".equals(incident.path("state").asText("triggered"))) {
            return;
        }
        Duration fallbackDelay = config.pages().fallbackEmailDelay();
        String urgency = config.pages().highUrgencySeverities().contains(incident.path("severity").asText(""))
                ? PagePlanner.HIGH : PagePlanner.LOW;
        for (JsonNode target : targets) {
            Optional<UUID> personId = uuid(target.path("id").asText(null));
            PersonDetails details = personId.map(contacts::get).orElse(null);
            PagePlanner.Ref person = new PagePlanner.Ref(personId.orElse(null), target.path("name").asText(null),
                    Composer.text(target, "email"), Composer.text(target, "slackUserId"));
            List<PagePlanner.Step> steps = PagePlanner.plan(person, details, fallbackDelay,
                    deliveries.enabled(NewDelivery.SLACK), urgency);
            if (steps.isEmpty()) {
                LOG.warnf("Cannot page %s for incident %s: no contact method, Slack user id or email",
                        target.path("name").asText("?"), incidentId);
                continue;
            }
            String locale = composer.locale(details != null && details.locale() != null
                    ? mapper.createObjectNode().put("locale", details.locale()) : target);
            String tz = composer.zone(details != null && details.timeZone() != null ? details.timeZone()
                    : target.path("timeZone").asText(null));
            for (PagePlanner.Step step : steps) {
                String key = "page:" + target.path("id").asText(person.name()) + ":" + step.step();
                Instant due = ref.time().plus(step.delay());
                if (NewDelivery.WAKING.contains(step.channel())) {
                    wake(ref, incidentId, incident, data, target, step, key, locale, due, PagePlanner.HIGH.equals(urgency));
                    continue;
                }
                // the DM and the email are rendered only if they may go (a storm folds most of them as they are made);
                // the email once its id is known, as it carries an ack link signed for it
                NewDelivery nd = switch (step.channel()) {
                    case NewDelivery.SLACK -> NewDelivery.slackPost(ref, "page", step.address(), key, locale, null);
                    case NewDelivery.EMAIL -> NewDelivery.email(ref, "page", step.address(), key, locale, null);
                    default -> NewDelivery.webhook(ref, "page", step.address(), key,
                            Message.webhook(pageWebhookBody(ref, incident, target, why, locale, tz, data), step.address()));
                };
                Function<UUID, Message> render = switch (step.channel()) {
                    case NewDelivery.SLACK -> id -> parents.page(composer.slack("page", locale,
                            pageModel(incident, data, target, why, Models.Flavor.SLACK, locale, tz)), incident, locale);
                    case NewDelivery.EMAIL -> id -> composer.email("page", locale, withAck(
                            pageModel(incident, data, target, why, Models.Flavor.PLAIN, locale, tz), id));
                    default -> null;
                };
                deliveries.create(nd.withIncident(incidentId).dueAt(due).forPerson(PersonRef.of(target)), render);
            }
        }
    }

    /** A page step by SMS (with its reply code), call or push: short, in the person's language. */
    private void wake(EventRef ref, UUID incidentId, JsonNode incident, JsonNode data, JsonNode target,
                      PagePlanner.Step step, String key, String locale, Instant due, boolean high) {
        String summary = Composer.text(data.path("alert"), "summary");
        PagingMessages.Incident about = new PagingMessages.Incident(incident.path("number").asLong(),
                incident.path("severity").asText(""), incident.path("title").asText(""),
                summary != null ? summary : Composer.text(incident, "impact"), links.incident(incidentId.toString()), high);
        Integer code = NewDelivery.SMS.equals(step.channel()) ? replyCodes.next(step.address()) : null;
        NewDelivery nd = NewDelivery.waking(ref, "page", step.channel(), step.address(), key, locale,
                paging.page(step.channel(), locale, about, code));
        deliveries.create(nd.withIncident(incidentId).dueAt(due).forPerson(PersonRef.of(target)))
                .ifPresent(d -> {
                    if (code != null) {
                        replyCodes.bind(step.address(), code, d.id);
                    }
                });
    }

    private PersonDetails details(UUID id) {
        try {
            return oncall.person(id);
        } catch (RuntimeException e) {
            LOG.warnf("oncall-service could not say how to reach person %s (%s); paging with the event's data", id, e.toString());
            return null;
        }
    }

    private Map<String, Object> pageModel(JsonNode incident, JsonNode data, JsonNode target, String why,
                                          Models.Flavor flavor, String locale, String tz) {
        Map<String, Object> model = model(incident, data, flavor, locale);
        model.put("person", Models.map(target, flavor));
        model.put("why", why);
        // only the IC is asked to lead; everyone else paged with them is a responder
        model.put("isCommander", isCommander(incident, target));
        model.put("tz", tz);
        model.put("ackUrl", null); // only a page's email has one (withAck)
        return model;
    }

    /** The model with the signed acknowledgement link of delivery {@code id}, when links are configured. */
    private Map<String, Object> withAck(Map<String, Object> model, UUID id) {
        if (acks.enabled()) {
            model.put("ackUrl", acks.link(id));
        }
        return model;
    }

    /** Whether the paged person is the incident's IC (the event's {@code incident.commander}). */
    static boolean isCommander(JsonNode incident, JsonNode person) {
        String ic = incident.path("commander").path("id").asText(null);
        return ic != null && ic.equals(person.path("id").asText(null));
    }

    private JsonNode pageWebhookBody(EventRef ref, JsonNode incident, JsonNode target, String why, String locale,
                                     String tz, JsonNode data) {
        ObjectNode body = mapper.createObjectNode();
        body.put("specversion", "1.0");
        body.put("id", ref.id());
        body.put("source", "/toban/notify-service");
        body.put("type", "toban.notify.page");
        body.put("time", ref.time().toString());
        body.put("subject", incident.path("id").asText());
        body.put("text", composer.plain("page", locale, pageModel(incident, data, target, why, Models.Flavor.PLAIN, locale, tz)));
        ObjectNode payload = body.putObject("data");
        payload.set("incident", links.incident(incident));
        payload.set("person", target);
        payload.put("reason", why);
        return body;
    }

    public static Optional<UUID> uuid(String value) {
        try {
            return value == null ? Optional.empty() : Optional.of(UUID.fromString(value));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}

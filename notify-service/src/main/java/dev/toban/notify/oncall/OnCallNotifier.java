package dev.toban.notify.oncall;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.toban.notify.dispatch.DeliveryService;
import dev.toban.notify.dispatch.EventRef;
import dev.toban.notify.paging.ContactMethodSends;
import dev.toban.notify.template.Composer;
import dev.toban.notify.template.Models;
import dev.toban.plumbing.events.CloudEvent;
import dev.toban.plumbing.inbox.PoisonEventException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.jboss.logging.Logger;

/**
 * oncall-service's shift and cover events: the handoff notice 運用当番のお知らせ (DM to the person and a
 * post in the team channel; with a warning when the person has no verified waking method), the reminder
 * before a shift, and cover requests; and the contact-method events (verification codes, test pages, the
 * reachability flag), see {@link ContactMethodSends}.
 */
@ApplicationScoped
public class OnCallNotifier {

    private static final Logger LOG = Logger.getLogger(OnCallNotifier.class);
    private static final List<String> SHIFT_FIELDS = List.of("shiftId", "schedule", "team", "person", "start", "end",
            "onCallWith", "escalationPolicies", "reachable", "maintenance");
    private static final List<String> COVER_FIELDS = List.of("id", "schedule", "team", "requester", "target",
            "acceptedBy", "overrideId", "start", "end", "note", "status");

    private final DeliveryService deliveries;
    private final Composer composer;
    private final ContactMethodSends contactMethods;

    private final ObjectMapper mapper;

    public OnCallNotifier(DeliveryService deliveries, Composer composer, ContactMethodSends contactMethods,
                          ObjectMapper mapper) {
        this.mapper = mapper;
        this.deliveries = deliveries;
        this.composer = composer;
        this.contactMethods = contactMethods;
    }

    @Transactional(Transactional.TxType.MANDATORY)
    public void apply(CloudEvent event) {
        EventRef ref = EventRef.of(event);
        if (event.data() == null || !event.data().isObject()) {
            throw new PoisonEventException(event.type() + " has no data");
        }
        // the data as its contract's record, rendered as the record's JSON (the contract's fields); a type without a
        // contract here (a newer producer's) has no message
        Optional<Object> typed = event.contractData(mapper);
        if (typed.isEmpty()) {
            LOG.debugf("No message for %s", event.type());
            return;
        }
        JsonNode data = mapper.valueToTree(typed.get());
        switch (event.type()) {
            case "toban.oncall.shift.started" -> shiftStarted(ref, data);
            case "toban.oncall.shift.upcoming" -> toPerson(ref, "handoff", "handoff.upcoming", data.path("person"),
                    shiftModel(data));
            case "toban.oncall.shift.ended" -> toPerson(ref, "handoff", "handoff.ended", data.path("person"),
                    shiftModel(data));
            case "toban.oncall.cover.requested" -> coverToTargetOrChannel(ref, data, "cover.requested");
            case "toban.oncall.cover.cancelled" -> coverToTargetOrChannel(ref, data, "cover.cancelled");
            case "toban.oncall.cover.accepted" -> {
                toPerson(ref, "cover", "cover.accepted", data.path("requester"), coverModel(data, data.path("requester")));
                if (!samePerson(data.path("requester"), data.path("acceptedBy"))) {
                    toPerson(ref, "cover", "cover.accepted", data.path("acceptedBy"), coverModel(data, data.path("acceptedBy")));
                }
            }
            case ContactMethodSends.VERIFICATION_REQUESTED, ContactMethodSends.TEST_REQUESTED ->
                    contactMethods.send(ref, data);
            case ContactMethodSends.REACHABILITY_FLAGGED -> contactMethods.flagged(ref, data);
            default -> LOG.debugf("No message for %s", event.type());
        }
    }

    /** 運用当番のお知らせ: to the person (their locale and zone) and to the team channel. */
    private void shiftStarted(EventRef ref, JsonNode data) {
        JsonNode person = data.path("person");
        if (!person.isObject()) {
            throw new PoisonEventException("toban.oncall.shift.started has no person");
        }
        toPerson(ref, "handoff", "handoff.notice", person, shiftModel(data));
        String channel = Composer.text(data.path("team"), "slackChannel");
        if (channel != null) {
            deliveries.create(composer.toChannel(ref, "handoff", channel, "handoff.channel",
                    data.path("team").path("timeZone").asText(null), shiftModel(data)));
        }
    }

    private void coverToTargetOrChannel(EventRef ref, JsonNode data, String key) {
        JsonNode target = data.path("target");
        if (target.isObject()) {
            toPerson(ref, "cover", key, target, coverModel(data, target));
            return;
        }
        String channel = Composer.text(data.path("team"), "slackChannel");
        if (channel != null) {
            deliveries.create(composer.toChannel(ref, "cover", channel, key,
                    data.path("team").path("timeZone").asText(null), coverModel(data, null)));
        } else {
            LOG.warnf("Cover request %s names nobody and its team has no Slack channel; nobody is told",
                    data.path("id").asText());
        }
    }

    private void toPerson(EventRef ref, String purpose, String key, JsonNode person,
                          Function<Models.Flavor, Map<String, Object>> model) {
        composer.toPerson(ref, purpose, key, person, model).ifPresentOrElse(deliveries::create,
                () -> LOG.warnf("%s for %s: %s has neither a Slack user id nor an email", ref.type(), ref.subject(),
                        person.path("name").asText("the person")));
    }

    private static Function<Models.Flavor, Map<String, Object>> shiftModel(JsonNode data) {
        return flavor -> {
            Map<String, Object> model = new LinkedHashMap<>();
            SHIFT_FIELDS.forEach(f -> model.put(f, null));
            model.putAll(Models.map(data, flavor));
            if (model.get("onCallWith") == null) {
                model.put("onCallWith", List.of());
            }
            if (model.get("escalationPolicies") == null) {
                model.put("escalationPolicies", List.of());
            }
            if (model.get("maintenance") == null) {
                model.put("maintenance", List.of()); // none, or incident-service could not say
            }
            return model;
        };
    }

    private static Function<Models.Flavor, Map<String, Object>> coverModel(JsonNode data, JsonNode recipient) {
        return flavor -> {
            Map<String, Object> model = new LinkedHashMap<>();
            COVER_FIELDS.forEach(f -> model.put(f, null));
            model.putAll(Models.map(data, flavor));
            model.put("recipient", recipient == null ? null : Models.map(recipient, flavor));
            return model;
        };
    }

    private static boolean samePerson(JsonNode a, JsonNode b) {
        return a.isObject() && b.isObject() && a.path("id").asText("a").equals(b.path("id").asText("b"));
    }
}

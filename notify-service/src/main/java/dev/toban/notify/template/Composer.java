package dev.toban.notify.template;

import com.fasterxml.jackson.databind.JsonNode;
import dev.toban.notify.config.NotifyConfig;
import dev.toban.notify.dispatch.DeliveryService;
import dev.toban.notify.dispatch.EventRef;
import dev.toban.notify.dispatch.Message;
import dev.toban.notify.dispatch.NewDelivery;
import dev.toban.notify.dispatch.PersonRef;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.DateTimeException;
import java.time.ZoneId;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/** Renders templates into messages and decides how a person is reached (Slack DM, else email). */
@ApplicationScoped
public class Composer {

    private final TemplateService templates;
    private final NotifyConfig config;
    private final DeliveryService deliveries;

    public Composer(TemplateService templates, NotifyConfig config, DeliveryService deliveries) {
        this.templates = templates;
        this.config = config;
        this.deliveries = deliveries;
    }

    /** A Slack message from a template (text only; mrkdwn). */
    public Message slack(String key, String locale, Map<String, Object> model) {
        return Message.slack(templates.render(key, locale, model).mrkdwn(), null, null);
    }

    /** An email (subject from the first line, text and HTML parts) from a template. */
    public Message email(String key, String locale, Map<String, Object> model) {
        TemplateService.Rendered r = templates.render(key, locale, model);
        return Message.email(r.subject(), r.plain(), r.html());
    }

    /** Plain text of a template, for webhook payloads. */
    public String plain(String key, String locale, Map<String, Object> model) {
        return templates.render(key, locale, model).plain();
    }

    public TemplateService.Rendered rendered(String key, String locale, Map<String, Object> model) {
        return templates.render(key, locale, model);
    }

    /**
     * A direct message to a person (a PersonRef): a Slack DM when they have a Slack user id and Slack
     * is on, else an email. The model is built for the chosen channel and gets {@code locale} and {@code tz}.
     */
    public Optional<NewDelivery> toPerson(EventRef event, String purpose, String key, JsonNode person,
                                          Function<Models.Flavor, Map<String, Object>> model) {
        if (person == null || person.isNull() || person.isMissingNode()) {
            return Optional.empty();
        }
        String locale = locale(person);
        String tz = zone(person.path("timeZone").asText(null));
        String slackId = text(person, "slackUserId");
        String email = text(person, "email");
        String messageKey = key + ":" + person.path("id").asText(slackId != null ? slackId : String.valueOf(email));
        if (slackId != null && (deliveries.enabled(NewDelivery.SLACK) || email == null)) {
            Map<String, Object> m = with(model.apply(Models.Flavor.SLACK), locale, tz);
            return Optional.of(NewDelivery.slackPost(event, purpose, slackId, messageKey, locale, slack(key, locale, m))
                    .forPerson(PersonRef.of(person)));
        }
        if (email != null) {
            Map<String, Object> m = with(model.apply(Models.Flavor.PLAIN), locale, tz);
            return Optional.of(NewDelivery.email(event, purpose, email, messageKey, locale, email(key, locale, m))
                    .forPerson(PersonRef.of(person)));
        }
        return Optional.empty();
    }

    /** A post in a Slack channel, in the channel locale and time zone. */
    public NewDelivery toChannel(EventRef event, String purpose, String channel, String key, String timeZone,
                                 Function<Models.Flavor, Map<String, Object>> model) {
        String locale = config.defaultLocale();
        Map<String, Object> m = with(model.apply(Models.Flavor.SLACK), locale, zone(timeZone));
        return NewDelivery.slackPost(event, purpose, channel, key, locale, slack(key, locale, m));
    }

    public Map<String, Object> with(Map<String, Object> model, String locale, String tz) {
        Map<String, Object> m = new LinkedHashMap<>(model);
        m.put("locale", locale);
        m.put("tz", tz);
        return m;
    }

    /** The person's locale if Toban has templates in it (ja, en; "en-US" counts as en), else the default. */
    public String locale(JsonNode person) {
        String value = person == null ? null : person.path("locale").asText(null);
        if (value != null && value.length() >= 2) {
            String lang = value.substring(0, 2).toLowerCase();
            if (TemplateCatalog.isLocale(lang)) {
                return lang;
            }
        }
        return config.defaultLocale();
    }

    /** A valid IANA zone, else the default. */
    public String zone(String value) {
        if (value != null && !value.isBlank()) {
            try {
                return ZoneId.of(value).getId();
            } catch (DateTimeException e) {
                // fall through to the default
            }
        }
        return config.defaultTimeZone();
    }

    public String defaultLocale() {
        return config.defaultLocale();
    }

    public static String text(JsonNode node, String field) {
        JsonNode v = node.path(field);
        return v.isTextual() && !v.asText().isBlank() ? v.asText().strip() : null;
    }
}

package dev.toban.notify.template;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.toban.plumbing.web.WebConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The links notify-service puts in messages: the pages of the other services under their one configured
 * public base URL ({@code toban.web.links.*}, env {@code TOBAN_INCIDENT_PUBLIC_URL} and the like). The
 * {@code url} an event carries is not trusted: it was built by the producer, and once pointed at an
 * API path that no browser could open.
 */
@ApplicationScoped
public class Links {

    private final String oncall;
    private final String incident;
    private final String postmortem;

    @Inject
    public Links(WebConfig web) {
        this(web.links().oncall(), web.links().incident(), web.links().postmortem());
    }

    private Links(String oncall, String incident, String postmortem) {
        this.oncall = base(oncall);
        this.incident = base(incident);
        this.postmortem = base(postmortem);
    }

    /** Links under these base URLs (unit tests). */
    public static Links of(String oncall, String incident, String postmortem) {
        return new Links(oncall, incident, postmortem);
    }

    private static String base(String url) {
        String s = url == null ? "" : url.strip();
        while (s.endsWith("/")) {
            s = s.substring(0, s.length() - 1);
        }
        return s;
    }

    /** The IC console of an incident. */
    public String incident(String id) {
        return incident + "/ui/incidents/" + id;
    }

    public String postmortem(String id) {
        return postmortem + "/ui/postmortems/" + id;
    }

    /** One schedule's page (its week and month). */
    public String schedule(String id) {
        return oncall + "/ui/schedules/" + id;
    }

    /** The incident list (where a folded page's summary points). */
    public String incidents() {
        return incident + "/ui/incidents";
    }

    /** A person's own page on oncall-service: contact methods, verification, test pages. */
    public String me() {
        return oncall + "/ui/me";
    }

    /** The on-call board. */
    public String oncallBoard() {
        return oncall + "/ui/oncall";
    }

    /**
     * A template model with every link set from this configuration: {@code incident.url},
     * {@code postmortem.url} and {@code postmortem.incidentUrl}, {@code schedule.url},
     * {@code oncallUrl} (the board) and {@code meUrl} (the person's own page). Nested maps that change are copied; the caller's model is left alone.
     */
    public Map<String, Object> apply(Map<String, Object> model) {
        Map<String, Object> m = new LinkedHashMap<>(model);
        copy(m, "incident").ifPresent(i -> i.put("url", incident(String.valueOf(i.get("id")))));
        copy(m, "postmortem").ifPresent(pm -> {
            pm.put("url", postmortem(String.valueOf(pm.get("id"))));
            if (pm.get("incidentId") != null) {
                pm.put("incidentUrl", incident(String.valueOf(pm.get("incidentId"))));
            }
        });
        copy(m, "schedule").ifPresent(s -> s.put("url", schedule(String.valueOf(s.get("id")))));
        m.put("oncallUrl", oncallBoard());
        m.put("meUrl", me());
        return m;
    }

    /** A copy of the nested map {@code name}, put in its place, when it has an id. */
    private static Optional<Map<String, Object>> copy(Map<String, Object> model, String name) {
        if (model.get(name) instanceof Map<?, ?> value && value.get("id") != null) {
            Map<String, Object> copy = new LinkedHashMap<>();
            value.forEach((k, v) -> copy.put(String.valueOf(k), v));
            model.put(name, copy);
            return Optional.of(copy);
        }
        return Optional.empty();
    }

    /** An incident snapshot (as JSON) with its {@code url} set to the IC console. */
    public JsonNode incident(JsonNode snapshot) {
        if (snapshot instanceof ObjectNode o && o.hasNonNull("id")) {
            ObjectNode copy = o.deepCopy();
            copy.put("url", incident(o.path("id").asText()));
            return copy;
        }
        return snapshot;
    }

    /**
     * A CloudEvent's data with the links it carries set from this configuration, for webhook bodies:
     * {@code incident.url}, {@code postmortem.url} and {@code postmortem.incidentUrl}.
     */
    public JsonNode eventData(JsonNode data) {
        if (!(data instanceof ObjectNode o)) {
            return data;
        }
        ObjectNode copy = o.deepCopy();
        if (copy.path("incident") instanceof ObjectNode i && i.hasNonNull("id")) {
            i.put("url", incident(i.path("id").asText()));
        }
        if (copy.path("postmortem") instanceof ObjectNode pm && pm.hasNonNull("id")) {
            pm.put("url", postmortem(pm.path("id").asText()));
            if (pm.hasNonNull("incidentId")) {
                pm.put("incidentUrl", incident(pm.path("incidentId").asText()));
            }
        }
        return copy;
    }
}

package dev.toban.notify.dispatch;

import com.fasterxml.jackson.databind.JsonNode;

/** A person as oncall-service describes them in events (docs/events.md, PersonRef). */
public record PersonRef(String id, String name, String username, String email, String slackUserId, String timeZone,
                        String locale) {

    /** The PersonRef in an event's JSON; null when the node is not a person (no id and no name). */
    public static PersonRef of(JsonNode node) {
        if (node == null || !node.isObject()) {
            return null;
        }
        PersonRef p = new PersonRef(text(node, "id"), text(node, "name"), text(node, "username"), text(node, "email"),
                text(node, "slackUserId"), text(node, "timeZone"), text(node, "locale"));
        return p.id() == null && p.name() == null ? null : p;
    }

    /** The contract's PersonRef: an id that is not a UUID (never sent by oncall-service) is left out, not fatal. */
    public static dev.toban.contracts.PersonRef contract(PersonRef p) {
        if (p == null) {
            return null;
        }
        return new dev.toban.contracts.PersonRef(uuidOrNull(p.id()), p.name(), p.username(), p.email(), p.slackUserId(),
                p.timeZone(), p.locale());
    }

    /** This service's PersonRef of the contract's (ids as text, as templates and deliveries use them). */
    public static PersonRef of(dev.toban.contracts.PersonRef p) {
        if (p == null || p.id() == null && p.name() == null) {
            return null;
        }
        return new PersonRef(p.id() == null ? null : p.id().toString(), blankToNull(p.name()), blankToNull(p.username()),
                blankToNull(p.email()), blankToNull(p.slackUserId()), blankToNull(p.timeZone()), blankToNull(p.locale()));
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.strip();
    }

    static java.util.UUID uuidOrNull(String id) {
        try {
            return id == null ? null : java.util.UUID.fromString(id);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static String text(JsonNode node, String field) {
        JsonNode v = node.path(field);
        return v.isTextual() && !v.asText().isBlank() ? v.asText().strip() : null;
    }
}

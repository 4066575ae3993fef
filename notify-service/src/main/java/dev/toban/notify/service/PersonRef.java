package dev.toban.notify.service;

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

    private static String text(JsonNode node, String field) {
        JsonNode v = node.path(field);
        return v.isTextual() && !v.asText().isBlank() ? v.asText().strip() : null;
    }
}

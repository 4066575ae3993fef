package dev.toban.notify.template;

import com.fasterxml.jackson.databind.JsonNode;
import dev.toban.notify.slack.BlockKit;
import io.quarkus.qute.RawString;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Template models: event JSON turned into maps and lists that Qute reads, with a {@code mention}
 * added to every person ({@code <@U123>} on Slack, the name elsewhere).
 */
public final class Models {

    /** Where the rendered text goes: mentions only work on Slack. */
    public enum Flavor { SLACK, PLAIN }

    private Models() {
    }

    /** A JSON tree as plain Java values; objects that look like a person get a {@code mention}. */
    public static Object of(JsonNode node, Flavor flavor) {
        if (node == null || node.isNull() || node.isMissingNode()) {
            return null;
        }
        if (node.isObject()) {
            Map<String, Object> map = new LinkedHashMap<>();
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                map.put(e.getKey(), of(e.getValue(), flavor));
            }
            if (node.has("name") && (node.has("slackUserId") || node.has("username")) && !map.containsKey("mention")) {
                map.put("mention", mention(node.path("name").asText(null), node.path("slackUserId").asText(null), flavor));
            }
            return map;
        }
        if (node.isArray()) {
            List<Object> list = new ArrayList<>();
            node.forEach(n -> list.add(of(n, flavor)));
            return list;
        }
        if (node.isBoolean()) {
            return node.booleanValue();
        }
        if (node.isIntegralNumber()) {
            return node.longValue();
        }
        if (node.isNumber()) {
            return node.doubleValue();
        }
        return node.asText();
    }

    /** A JSON object's fields as a model map; other nodes give an empty map. */
    @SuppressWarnings("unchecked")
    public static Map<String, Object> map(JsonNode node, Flavor flavor) {
        Object value = of(node, flavor);
        return value instanceof Map<?, ?> m ? (Map<String, Object>) m : new LinkedHashMap<>();
    }

    /**
     * How to name a person in a message: a Slack mention only for a well-formed Slack user id (a
     * mention is markup that passes unescaped, so an id like {@code U1>|<!channel} must never make one),
     * else the name, which is escaped like every other value.
     */
    public static Object mention(String name, String slackUserId, Flavor flavor) {
        if (flavor == Flavor.SLACK && slackUserId != null && BlockKit.USER_ID.matcher(slackUserId).matches()) {
            return new RawString("<@" + slackUserId + ">");
        }
        return name == null ? "" : name;
    }
}

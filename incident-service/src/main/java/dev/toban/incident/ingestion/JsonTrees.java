package dev.toban.incident.ingestion;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.toban.plumbing.input.Text;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What a monitoring tool sends is stored, not refused: every string of the tree, values and field names,
 * goes through {@link Text#clean} (no NUL, which PostgreSQL refuses in text and jsonb; lone surrogates
 * become U+FFFD) before anything reads it, so checks, dedup keys and stored rows agree.
 */
public final class JsonTrees {

    private JsonTrees() {
    }

    /** The same tree, cleaned in place where needed; {@code null} stays null. */
    public static JsonNode clean(JsonNode node) {
        if (node == null) {
            return null;
        }
        if (node.isTextual()) {
            String value = node.textValue();
            String cleaned = Text.clean(value);
            return cleaned.equals(value) ? node : TextNode.valueOf(cleaned);
        }
        if (node instanceof ArrayNode array) {
            for (int i = 0; i < array.size(); i++) {
                JsonNode item = array.get(i);
                JsonNode cleaned = clean(item);
                if (cleaned != item) {
                    array.set(i, cleaned);
                }
            }
            return array;
        }
        if (node instanceof ObjectNode object) {
            List<Map.Entry<String, JsonNode>> fields = new ArrayList<>();
            object.properties().forEach(f -> fields.add(Map.entry(f.getKey(), f.getValue())));
            boolean renamed = fields.stream().anyMatch(f -> !Text.clean(f.getKey()).equals(f.getKey()));
            if (renamed) {
                object.removeAll();
            }
            for (Map.Entry<String, JsonNode> field : fields) {
                JsonNode cleaned = clean(field.getValue());
                if (renamed || cleaned != field.getValue()) {
                    object.set(Text.clean(field.getKey()), cleaned);
                }
            }
            return object;
        }
        return node;
    }
}

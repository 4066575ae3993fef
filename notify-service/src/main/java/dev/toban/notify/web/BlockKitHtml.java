package dev.toban.notify.web;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.qute.RawString;
import io.quarkus.qute.TemplateData;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** What the sandbox's page draws: Block Kit blocks, buttons and modal inputs, as Slack's client draws them. */
public final class BlockKitHtml {

    private BlockKitHtml() {
    }

    /** A block of a message or a modal. {@code kind}: text, header, context, fields, actions, divider, input, note. */
    @TemplateData
    public record Block(String kind, RawString html, List<RawString> fields, List<Button> buttons, Input input) {
    }

    /** A button: a form that calls the app back, or a link ({@code url}). */
    @TemplateData
    public record Button(String blockId, String actionId, String label, String style, String url) {
        public boolean link() {
            return url != null;
        }

        public String css() {
            return style == null ? "slack-button" : "slack-button " + style;
        }
    }

    /** An input of a modal: {@code name} is the form field, {@code control} textarea, text, url, email, number, select. */
    @TemplateData
    public record Input(String blockId, String actionId, String name, String control, String label, boolean optional,
                 String hint, String placeholder, List<Option> options, String value, String error, Integer maxLength) {
        public String id() {
            return "in-" + blockId.replaceAll("[^A-Za-z0-9_-]", "_");
        }
    }

    @TemplateData
    public record Option(String value, String text, boolean selected) {
    }

    /** A message's blocks; null when it has none (its text is shown instead). */
    static List<Block> blocks(JsonNode blocks, Map<String, String> names, Map<String, String> channels) {
        if (blocks == null || !blocks.isArray() || blocks.isEmpty()) {
            return null;
        }
        List<Block> out = new ArrayList<>();
        for (JsonNode b : blocks) {
            Block block = block(b, names, channels, Map.of(), Map.of());
            if (block != null) {
                out.add(block);
            }
        }
        return out;
    }

    /**
     * One block. {@code typed} and {@code errors} (modals) are what the user typed last and the app's errors,
     * by {@code <block_id>/<action_id>} and by block id.
     */
    static Block block(JsonNode b, Map<String, String> names, Map<String, String> channels, Map<String, String> typed,
                       Map<String, String> errors) {
        String blockId = b.path("block_id").asText("");
        return switch (b.path("type").asText()) {
            case "section" -> {
                List<RawString> fields = new ArrayList<>();
                for (JsonNode f : b.path("fields")) {
                    fields.add(new RawString(text(f, names, channels)));
                }
                List<Button> buttons = new ArrayList<>();
                Button accessory = button(blockId, b.path("accessory"));
                if (accessory != null) {
                    buttons.add(accessory);
                }
                yield new Block("text", new RawString(text(b.path("text"), names, channels)), fields, buttons, null);
            }
            case "header" -> new Block("header", new RawString(SlackHtml.plain(b.path("text").path("text").asText())),
                    List.of(), List.of(), null);
            case "context" -> {
                StringBuilder html = new StringBuilder();
                for (JsonNode e : b.path("elements")) {
                    if (!html.isEmpty()) {
                        html.append(" · ");
                    }
                    html.append("image".equals(e.path("type").asText())
                            ? SlackHtml.plain("[" + e.path("alt_text").asText("image") + "]") : text(e, names, channels));
                }
                yield new Block("context", new RawString(html.toString()), List.of(), List.of(), null);
            }
            case "actions" -> {
                List<Button> buttons = new ArrayList<>();
                StringBuilder unsupported = new StringBuilder();
                for (JsonNode e : b.path("elements")) {
                    Button button = button(blockId, e);
                    if (button != null) {
                        buttons.add(button);
                    } else {
                        unsupported.append(SlackHtml.plain("[" + e.path("type").asText("?") + "] "));
                    }
                }
                yield new Block("actions", new RawString(unsupported.toString()), List.of(), buttons, null);
            }
            case "divider" -> new Block("divider", new RawString(""), List.of(), List.of(), null);
            case "input" -> new Block("input", new RawString(""), List.of(), List.of(), input(b, typed, errors));
            case "image" -> new Block("context", new RawString(SlackHtml.plain("[" + b.path("alt_text").asText("image") + "]")),
                    List.of(), List.of(), null);
            default -> new Block("note", new RawString(SlackHtml.plain("[" + b.path("type").asText("?") + " block]")),
                    List.of(), List.of(), null);
        };
    }

    private static String text(JsonNode t, Map<String, String> names, Map<String, String> channels) {
        String text = t.path("text").asText("");
        return "mrkdwn".equals(t.path("type").asText()) ? SlackHtml.mrkdwn(text, names, channels) : SlackHtml.plain(text);
    }

    private static Button button(String blockId, JsonNode e) {
        if (!"button".equals(e.path("type").asText())) {
            return null;
        }
        String url = e.path("url").asText(null);
        if (url != null && !(url.startsWith("https://") || url.startsWith("http://"))) {
            url = null;
        }
        return new Button(blockId, e.path("action_id").asText(""), e.path("text").path("text").asText(""),
                e.path("style").asText(null), url);
    }

    private static Input input(JsonNode b, Map<String, String> typed, Map<String, String> errors) {
        String blockId = b.path("block_id").asText("");
        JsonNode element = b.path("element");
        String actionId = element.path("action_id").asText("");
        String name = "v:" + blockId + "/" + actionId;
        String type = element.path("type").asText();
        String control = switch (type) {
            case "plain_text_input" -> element.path("multiline").asBoolean(false) ? "textarea" : "text";
            case "url_text_input" -> "url";
            case "email_text_input" -> "email";
            case "number_input" -> "number";
            case "static_select", "radio_buttons" -> "select";
            case "datepicker" -> "date";
            default -> "text";
        };
        String value = typed.get(blockId + "/" + actionId);
        if (value == null) {
            JsonNode initial = element.has("initial_option") ? element.path("initial_option").path("value")
                    : element.path("initial_value");
            value = initial.isValueNode() ? initial.asText() : null;
        }
        List<Option> options = new ArrayList<>();
        for (JsonNode o : element.path("options")) {
            String v = o.path("value").asText();
            options.add(new Option(v, o.path("text").path("text").asText(v), v.equals(value)));
        }
        Integer max = element.has("max_length") ? element.path("max_length").asInt() : null;
        return new Input(blockId, actionId, name, control, b.path("label").path("text").asText(blockId),
                b.path("optional").asBoolean(false), b.path("hint").path("text").asText(null),
                element.path("placeholder").path("text").asText(null), options, value, errors.get(blockId), max);
    }
}

package dev.toban.notify.slack;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The buttons of an incident in Slack (CONTRACT-17, "Block Kit ids"): every button's {@code action_id}
 * is {@code toban.<verb>} and its value the incident id, in the actions block {@code toban.incident.actions}.
 * Which verbs a state shows is decided here; incident-service enforces the same rule when a button is
 * pressed (an action the state no longer allows gets an ephemeral refusal).
 */
public final class IncidentActions {

    public static final String BLOCK_ID = "toban.incident.actions";
    public static final String PREFIX = "toban.";
    /** The link button to the IC console; Slack needs no callback for it. */
    public static final String OPEN = "open";

    /** Verbs with their labels in ja and en (at most 75 characters, Slack's button text limit). */
    private static final Map<String, String[]> LABELS = Map.ofEntries(
            Map.entry("ack", new String[] {"確認（Acknowledge）", "Acknowledge"}),
            Map.entry("take_ic", new String[] {"IC を引き受ける", "Take IC"}),
            Map.entry("handover_ic", new String[] {"IC を引き継ぐ", "Hand over IC"}),
            Map.entry("assign_team", new String[] {"担当チームをアサイン", "Assign team"}),
            Map.entry("status_update", new String[] {"状況アップデート", "Post status update"}),
            Map.entry("war_room", new String[] {"障害対応優先スペースを設定", "Set war room"}),
            Map.entry("mitigate", new String[] {"暫定復旧", "Mitigated"}),
            Map.entry("resolve", new String[] {"解決", "Resolved"}),
            Map.entry("disband", new String[] {"対応体制を解散", "Disband"}),
            Map.entry("pm_hold", new String[] {"ポストモーテムを開催", "Hold postmortem"}),
            Map.entry("pm_skip", new String[] {"ポストモーテムを省略", "Skip postmortem"}),
            Map.entry(OPEN, new String[] {"Toban で開く", "Open in Toban"}));

    private static final List<String> ACTIVE = List.of("ack", "take_ic", "handover_ic", "assign_team", "status_update",
            "war_room", "mitigate", "resolve");

    private IncidentActions() {
    }

    /**
     * The verbs an incident in {@code state} shows, in order ({@code open} not included: it is always
     * there). A closed incident asks for the postmortem decision until one is recorded.
     */
    public static List<String> verbs(String state, boolean postmortemDecided) {
        return switch (state == null ? "" : state) {
            case "triggered" -> ACTIVE;
            case "acknowledged" -> ACTIVE.subList(1, ACTIVE.size());
            case "mitigated" -> List.of("take_ic", "handover_ic", "status_update", "war_room", "resolve");
            case "resolved" -> List.of("disband", "status_update");
            case "closed" -> postmortemDecided ? List.of() : List.of("pm_hold", "pm_skip");
            default -> List.of();
        };
    }

    public static String label(String verb, String locale) {
        String[] labels = LABELS.get(verb);
        if (labels == null) {
            return verb;
        }
        return "ja".equals(locale) ? labels[0] : labels[1];
    }

    /** The actions block: the state's buttons, then the link to the console (when it is a valid URL). */
    public static ObjectNode block(List<String> verbs, String incidentId, String consoleUrl, String locale) {
        List<ObjectNode> buttons = new ArrayList<>();
        for (String verb : verbs) {
            String style = switch (verb) {
                case "ack", "resolve", "disband" -> "primary";
                default -> null;
            };
            buttons.add(BlockKit.button(PREFIX + verb, label(verb, locale), incidentId, style));
        }
        ObjectNode open = BlockKit.linkButton(PREFIX + OPEN, label(OPEN, locale), consoleUrl);
        if (open != null) {
            open.put("value", incidentId);
            buttons.add(open);
        }
        return buttons.isEmpty() ? null : BlockKit.actions(BLOCK_ID, buttons);
    }
}

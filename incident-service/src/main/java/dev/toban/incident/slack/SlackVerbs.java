package dev.toban.incident.slack;

import dev.toban.contracts.incident.IncidentState;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The buttons of an incident's Slack messages (contract of issue 17, docs/architecture.md "The Slack app"): every
 * {@code action_id} is {@code toban.<verb>} with the incident id as {@code value}, and which verbs an incident in a
 * state allows. notify-service shows exactly these; the Slack app refuses any other with a private answer (a
 * button of an older message, a click racing a change).
 */
public final class SlackVerbs {

    public static final String PREFIX = "toban.";
    /** The actions block of the parent message. */
    public static final String BLOCK_ID = "toban.incident.actions";

    public static final String ACK = "ack";
    public static final String TAKE_IC = "take_ic";
    public static final String HANDOVER_IC = "handover_ic";
    public static final String ASSIGN_TEAM = "assign_team";
    public static final String STATUS_UPDATE = "status_update";
    public static final String WAR_ROOM = "war_room";
    public static final String MITIGATE = "mitigate";
    public static final String RESOLVE = "resolve";
    public static final String DISBAND = "disband";
    public static final String PM_HOLD = "pm_hold";
    public static final String PM_SKIP = "pm_skip";
    /** A link button to the IC console: Slack still reports the click, which needs nothing. */
    public static final String OPEN = "open";

    private static final List<String> WORKING = List.of(TAKE_IC, HANDOVER_IC, ASSIGN_TEAM, STATUS_UPDATE, WAR_ROOM,
            MITIGATE, RESOLVE);

    private static final Map<IncidentState, Set<String>> BY_STATE = Map.of(
            IncidentState.TRIGGERED, Set.copyOf(concat(List.of(ACK), WORKING)),
            IncidentState.ACKNOWLEDGED, Set.copyOf(WORKING),
            IncidentState.MITIGATED, Set.of(TAKE_IC, HANDOVER_IC, STATUS_UPDATE, WAR_ROOM, RESOLVE),
            IncidentState.RESOLVED, Set.of(DISBAND, STATUS_UPDATE),
            IncidentState.CLOSED, Set.of(PM_HOLD, PM_SKIP));

    private SlackVerbs() {
    }

    /** Every verb that has an action (all but {@link #OPEN}). */
    public static Set<String> all() {
        return Set.of(ACK, TAKE_IC, HANDOVER_IC, ASSIGN_TEAM, STATUS_UPDATE, WAR_ROOM, MITIGATE, RESOLVE, DISBAND,
                PM_HOLD, PM_SKIP);
    }

    /**
     * Whether {@code verb} is allowed now. Once the postmortem decision is recorded ({@code postmortemDecided}), a
     * closed incident allows nothing.
     */
    public static boolean allowed(String verb, IncidentState state, boolean postmortemDecided) {
        if (state == IncidentState.CLOSED && postmortemDecided) {
            return false;
        }
        return BY_STATE.getOrDefault(state, Set.of()).contains(verb);
    }

    private static List<String> concat(List<String> a, List<String> b) {
        return java.util.stream.Stream.concat(a.stream(), b.stream()).toList();
    }
}

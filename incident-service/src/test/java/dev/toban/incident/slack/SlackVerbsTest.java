package dev.toban.incident.slack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.toban.contracts.incident.IncidentState;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The buttons each state allows: the contract between notify-service's messages and the Slack app (issue 17). */
class SlackVerbsTest {

    static Set<String> allowed(IncidentState state, boolean decided) {
        return SlackVerbs.all().stream().filter(v -> SlackVerbs.allowed(v, state, decided))
                .collect(Collectors.toCollection(TreeSet::new));
    }

    @Test
    void eachStateAllowsWhatTheContractSays() {
        Map<IncidentState, Set<String>> contract = Map.of(
                IncidentState.TRIGGERED, Set.of("ack", "take_ic", "handover_ic", "assign_team", "status_update", "war_room",
                        "mitigate", "resolve"),
                IncidentState.ACKNOWLEDGED, Set.of("take_ic", "handover_ic", "assign_team", "status_update", "war_room",
                        "mitigate", "resolve"),
                IncidentState.MITIGATED, Set.of("take_ic", "handover_ic", "status_update", "war_room", "resolve"),
                IncidentState.RESOLVED, Set.of("disband", "status_update"),
                IncidentState.CLOSED, Set.of("pm_hold", "pm_skip"));
        contract.forEach((state, verbs) -> assertEquals(new TreeSet<>(verbs), allowed(state, false), state.wire()));
        assertEquals(Set.of(), allowed(IncidentState.CLOSED, true), "nothing once the postmortem is decided");
        assertEquals(allowed(IncidentState.RESOLVED, false), allowed(IncidentState.RESOLVED, true));
        assertFalse(SlackVerbs.allowed("open", IncidentState.TRIGGERED, false), "the link button needs no action");
    }
}

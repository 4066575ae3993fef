package dev.toban.oncall.snapshot;

import dev.toban.contracts.PersonRef;
import dev.toban.contracts.TeamRef;
import dev.toban.contracts.oncall.OnCallContracts.PolicyRef;
import dev.toban.contracts.oncall.OnCallContracts.ScheduleRef;
import dev.toban.oncall.rotation.Rotation;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * An immutable, in-memory copy of everything "who is on call" needs except overrides: people, teams,
 * schedules with their layers, and escalation policies. Replaced as a whole when the
 * {@code config_version} row changes. {@code schedules} are the live ones (who is on call, handoffs);
 * {@code schedulesById} also has the archived ones, for reading their history.
 */
public record OnCallSnapshot(
        long version,
        Map<UUID, PersonRef> people,
        Map<String, UUID> peopleByUsername,
        Map<UUID, TeamRef> teams,
        List<ScheduleEntry> schedules,
        Map<UUID, ScheduleEntry> schedulesById,
        Map<UUID, Policy> policies,
        Map<UUID, List<PolicyRef>> policiesBySchedule,
        Duration longestShift,
        java.util.Set<UUID> reachable) {

    /** A schedule with its team and its engine form. */
    public record ScheduleEntry(ScheduleRef ref, UUID teamId, Rotation.Schedule rotation, Duration longestShift) {
        public UUID id() {
            return ref.id();
        }
    }

    public record Policy(UUID id, String name, int repeatCount, List<Level> levels) {
    }

    public record Level(int delayMinutes, List<Target> targets) {
    }

    public record Target(String type, UUID id) {
    }

    public PersonRef person(UUID id) {
        return people.get(id);
    }

    /**
     * Whether a high-urgency page can wake the person: a verified sms, voice or push method that a rule for
     * high-urgency pages (high or any) uses.
     */
    public boolean reachable(UUID personId) {
        return reachable.contains(personId);
    }

    public UUID personIdByUsername(String username) {
        return username == null ? null : peopleByUsername.get(username.toLowerCase());
    }
}

package dev.toban.oncall.snapshot;

import dev.toban.contracts.PersonRef;
import dev.toban.contracts.TeamRef;
import dev.toban.contracts.oncall.OnCallContracts.PolicyRef;
import dev.toban.contracts.oncall.OnCallContracts.ScheduleRef;
import dev.toban.oncall.rotation.Rotation;
import dev.toban.oncall.rotation.ShiftUnit;
import dev.toban.oncall.schedule.OnCallService;
import dev.toban.oncall.snapshot.OnCallSnapshot.Level;
import dev.toban.oncall.snapshot.OnCallSnapshot.Policy;
import dev.toban.oncall.snapshot.OnCallSnapshot.ScheduleEntry;
import dev.toban.oncall.snapshot.OnCallSnapshot.Target;
import io.agroal.api.AgroalDataSource;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.locks.ReentrantLock;
import org.jboss.logging.Logger;

/**
 * Keeps the {@link OnCallSnapshot} current: one cheap version read per use, a full reload only when
 * another transaction (on any replica) changed people, teams, schedules or policies.
 */
@ApplicationScoped
public class OnCallSnapshots {

    private static final Logger LOG = Logger.getLogger(OnCallSnapshots.class);

    private final AgroalDataSource dataSource;
    private final EntityManager em;
    private final ReentrantLock reloading = new ReentrantLock();
    private volatile OnCallSnapshot current;

    public OnCallSnapshots(AgroalDataSource dataSource, EntityManager em) {
        this.dataSource = dataSource;
        this.em = em;
    }

    /**
     * Marks the configuration changed, in the caller's transaction: every instance reloads once it
     * commits. Call it from every write to people, teams, schedules or policies.
     */
    public void bump() {
        em.createNativeQuery("update config_version set version = version + 1 where id = 1").executeUpdate();
    }

    /** Marks the overrides changed, in the caller's transaction (see {@link OnCallService}'s memo). */
    public void bumpOverrides() {
        em.createNativeQuery("update config_version set override_version = override_version + 1 where id = 1")
                .executeUpdate();
    }

    /** The snapshot and the override version, read together. */
    public record Reading(OnCallSnapshot snapshot, long overrideVersion) {
    }

    /** The snapshot matching the committed configuration. Never reads uncommitted changes of the caller. */
    public OnCallSnapshot current() {
        return read().snapshot();
    }

    public Reading read() {
        // outside a transaction the read is already committed-only; inside one, step out of it
        long[] versions = QuarkusTransaction.isActive() ? QuarkusTransaction.requiringNew().call(this::readVersions)
                : readVersions();
        return new Reading(snapshot(versions[0]), versions[1]);
    }

    private OnCallSnapshot snapshot(long version) {
        OnCallSnapshot snapshot = current;
        if (snapshot != null && snapshot.version() == version) {
            return snapshot;
        }
        reloading.lock();
        try {
            snapshot = current;
            if (snapshot != null && snapshot.version() >= version) {
                return snapshot;
            }
            long started = System.nanoTime();
            snapshot = QuarkusTransaction.requiringNew().call(this::load);
            current = snapshot;
            LOG.debugf("Loaded on-call snapshot version %d (%d schedules) in %d ms", snapshot.version(),
                    snapshot.schedules().size(), (System.nanoTime() - started) / 1_000_000);
            return snapshot;
        } finally {
            reloading.unlock();
        }
    }

    private long[] readVersions() {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("select version, override_version from config_version where id = 1");
             ResultSet rs = ps.executeQuery()) {
            return rs.next() ? new long[] {rs.getLong(1), rs.getLong(2)} : new long[] {0, 0};
        } catch (SQLException e) {
            throw new jakarta.persistence.PersistenceException("Cannot read the configuration version", e);
        }
    }

    /** Reads the version first: data read afterwards is at least that new, so a snapshot is never older than its number. */
    private OnCallSnapshot load() {
        try (Connection c = dataSource.getConnection()) {
            long version;
            try (PreparedStatement ps = c.prepareStatement("select version from config_version where id = 1");
                 ResultSet rs = ps.executeQuery()) {
                version = rs.next() ? rs.getLong(1) : 0;
            }
            Map<UUID, PersonRef> people = new HashMap<>();
            Map<String, UUID> byUsername = new HashMap<>();
            try (PreparedStatement ps = c.prepareStatement(
                    "select id, name, username, email, slack_user_id, time_zone, locale from person");
                 ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    PersonRef p = new PersonRef(rs.getObject(1, UUID.class), rs.getString(2), rs.getString(3),
                            rs.getString(4), rs.getString(5), rs.getString(6), rs.getString(7));
                    people.put(p.id(), p);
                    byUsername.put(p.username().toLowerCase(), p.id());
                }
            }
            Map<UUID, TeamRef> teams = new HashMap<>();
            try (PreparedStatement ps = c.prepareStatement("select id, name, slack_channel, time_zone from team");
                 ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    TeamRef t = new TeamRef(rs.getObject(1, UUID.class), rs.getString(2), rs.getString(3), rs.getString(4));
                    teams.put(t.id(), t);
                }
            }
            Map<UUID, List<UUID>> participants = new HashMap<>();
            try (PreparedStatement ps = c.prepareStatement(
                    "select layer_id, person_id from layer_participant order by layer_id, position");
                 ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    participants.computeIfAbsent(rs.getObject(1, UUID.class), k -> new ArrayList<>())
                            .add(rs.getObject(2, UUID.class));
                }
            }
            Map<UUID, List<Rotation.Restriction>> restrictions = new HashMap<>();
            try (PreparedStatement ps = c.prepareStatement(
                    "select layer_id, days_of_week, start_time, end_time from layer_restriction order by layer_id, position");
                 ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    restrictions.computeIfAbsent(rs.getObject(1, UUID.class), k -> new ArrayList<>())
                            .add(new Rotation.Restriction(days(rs.getString(2)),
                                    rs.getObject(3, java.time.LocalTime.class), rs.getObject(4, java.time.LocalTime.class)));
                }
            }
            Map<UUID, List<Rotation.Layer>> layers = new HashMap<>();
            try (PreparedStatement ps = c.prepareStatement(
                    "select id, schedule_id, name, level, slots, shift_amount, shift_unit, handoff_time, start_date "
                            + "from schedule_layer order by schedule_id, position");
                 ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    UUID id = rs.getObject(1, UUID.class);
                    layers.computeIfAbsent(rs.getObject(2, UUID.class), k -> new ArrayList<>()).add(new Rotation.Layer(
                            id, rs.getString(3), rs.getInt(4), participants.getOrDefault(id, List.of()), rs.getInt(5),
                            rs.getInt(6), ShiftUnit.valueOf(rs.getString(7)), rs.getObject(8, java.time.LocalTime.class),
                            rs.getObject(9, java.time.LocalDate.class), restrictions.getOrDefault(id, List.of())));
                }
            }
            // archived schedules stay readable by id (shifts, feeds) but nobody is on call in them
            List<ScheduleEntry> schedules = new ArrayList<>();
            List<ScheduleEntry> archivedSchedules = new ArrayList<>();
            Duration longest = Duration.ofDays(1);
            try (PreparedStatement ps = c.prepareStatement(
                    "select id, team_id, name, role, time_zone, archived_at is not null from schedule");
                 ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    UUID id = rs.getObject(1, UUID.class);
                    ZoneId zone = ZoneId.of(rs.getString(5));
                    List<Rotation.Layer> own = layers.getOrDefault(id, List.of());
                    Duration scheduleLongest = Duration.ofHours(1);
                    for (Rotation.Layer l : own) {
                        Duration d = switch (l.shiftUnit()) {
                            case HOURS -> Duration.ofHours(l.shiftAmount());
                            case DAYS -> Duration.ofDays(l.shiftAmount());
                            case WEEKS -> Duration.ofDays(7L * l.shiftAmount());
                        };
                        scheduleLongest = d.compareTo(scheduleLongest) > 0 ? d : scheduleLongest;
                    }
                    longest = scheduleLongest.compareTo(longest) > 0 ? scheduleLongest : longest;
                    (rs.getBoolean(6) ? archivedSchedules : schedules).add(new ScheduleEntry(
                            new ScheduleRef(id, rs.getString(3), rs.getString(4), zone.getId()),
                            rs.getObject(2, UUID.class), new Rotation.Schedule(id, zone, own), scheduleLongest));
                }
            }
            schedules.sort(Comparator.comparing((ScheduleEntry s) -> teams.containsKey(s.teamId())
                            ? teams.get(s.teamId()).name().toLowerCase() : "")
                    .thenComparing(s -> s.ref().role().toLowerCase()).thenComparing(ScheduleEntry::id));
            Map<UUID, ScheduleEntry> schedulesById = new HashMap<>();
            schedules.forEach(s -> schedulesById.put(s.id(), s));
            archivedSchedules.forEach(s -> schedulesById.put(s.id(), s));

            Map<UUID, List<Integer>> delays = new HashMap<>();
            try (PreparedStatement ps = c.prepareStatement(
                    "select policy_id, delay_minutes from escalation_level order by policy_id, position");
                 ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    delays.computeIfAbsent(rs.getObject(1, UUID.class), k -> new ArrayList<>()).add(rs.getInt(2));
                }
            }
            Map<UUID, Map<Integer, List<Target>>> targets = new HashMap<>();
            try (PreparedStatement ps = c.prepareStatement(
                    "select policy_id, level, target_type, target_id from escalation_target order by policy_id, position");
                 ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    targets.computeIfAbsent(rs.getObject(1, UUID.class), k -> new HashMap<>())
                            .computeIfAbsent(rs.getInt(2), k -> new ArrayList<>())
                            .add(new Target(rs.getString(3), rs.getObject(4, UUID.class)));
                }
            }
            Map<UUID, Policy> policies = new LinkedHashMap<>();
            Map<UUID, List<PolicyRef>> bySchedule = new HashMap<>();
            try (PreparedStatement ps = c.prepareStatement(
                    "select id, name, repeat_count, archived_at is not null from escalation_policy order by lower(name)");
                 ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    UUID id = rs.getObject(1, UUID.class);
                    List<Level> levels = new ArrayList<>();
                    List<Integer> levelDelays = delays.getOrDefault(id, List.of());
                    for (int i = 0; i < levelDelays.size(); i++) {
                        levels.add(new Level(levelDelays.get(i),
                                List.copyOf(targets.getOrDefault(id, Map.of()).getOrDefault(i + 1, List.of()))));
                    }
                    Policy policy = new Policy(id, rs.getString(2), rs.getInt(3), List.copyOf(levels));
                    policies.put(id, policy);
                    if (rs.getBoolean(4)) {
                        continue; // an archived policy pages nobody: shift notices do not name it
                    }
                    for (Level level : levels) {
                        for (Target t : level.targets()) {
                            if ("schedule".equals(t.type())) {
                                List<PolicyRef> refs = bySchedule.computeIfAbsent(t.id(), k -> new ArrayList<>());
                                if (refs.stream().noneMatch(r -> r.id().equals(id))) {
                                    refs.add(new PolicyRef(id, policy.name()));
                                }
                            }
                        }
                    }
                }
            }
            // who a high-urgency page can wake (issue 18): a rule for high (or any) urgency on a verified waking method
            Set<UUID> reachable = new java.util.HashSet<>();
            try (PreparedStatement ps = c.prepareStatement(
                    "select distinct m.person_id from contact_method m join notification_rule r "
                            + "on r.person_id = m.person_id and r.contact_method_id = m.id "
                            + "where m.verified and m.type in ('sms', 'voice', 'push') and r.urgency in ('any', 'high')");
                 ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    reachable.add(rs.getObject(1, UUID.class));
                }
            }
            return new OnCallSnapshot(version, Map.copyOf(people), Map.copyOf(byUsername), Map.copyOf(teams),
                    List.copyOf(schedules), Map.copyOf(schedulesById), Map.copyOf(policies), Map.copyOf(bySchedule),
                    longest, Set.copyOf(reachable));
        } catch (SQLException e) {
            throw new jakarta.persistence.PersistenceException("Cannot load the on-call snapshot", e);
        }
    }

    public static Set<DayOfWeek> days(String csv) {
        Set<DayOfWeek> days = EnumSet.noneOf(DayOfWeek.class);
        Arrays.stream(csv.split(",")).map(String::trim).filter(s -> !s.isEmpty()).map(DayOfWeek::valueOf)
                .forEach(days::add);
        return days;
    }
}

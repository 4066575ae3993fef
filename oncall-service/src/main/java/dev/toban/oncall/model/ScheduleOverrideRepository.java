package dev.toban.oncall.model;

import dev.toban.oncall.rotation.Rotation;
import io.agroal.api.AgroalDataSource;
import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

@ApplicationScoped
public class ScheduleOverrideRepository implements PanacheRepositoryBase<ScheduleOverride, UUID> {

    private final AgroalDataSource dataSource;

    public ScheduleOverrideRepository(AgroalDataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** Overrides of one schedule that intersect [from, to), in start order. */
    public List<ScheduleOverride> intersecting(UUID scheduleId, Instant from, Instant to) {
        return list("scheduleId = ?1 and endAt > ?2 and startAt < ?3 order by startAt, id", scheduleId, from, to);
    }

    /**
     * Engine overrides intersecting [from, to) grouped by schedule, in one indexed query (the GiST
     * range index when {@code scheduleIds} is null, the per-schedule index otherwise).
     */
    public Map<UUID, List<Rotation.Override>> windows(Collection<UUID> scheduleIds, Instant from, Instant to) {
        String sql = scheduleIds == null
                ? "select schedule_id, id, person_id, replaces_person_id, start_at, end_at from schedule_override "
                        + "where tstzrange(start_at, end_at) && tstzrange(?, ?)"
                : "select schedule_id, id, person_id, replaces_person_id, start_at, end_at from schedule_override "
                        + "where schedule_id = any(?) and end_at > ? and start_at < ?";
        Map<UUID, List<Rotation.Override>> bySchedule = new HashMap<>();
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            int i = 1;
            if (scheduleIds != null) {
                ps.setArray(i++, c.createArrayOf("uuid", scheduleIds.toArray()));
            }
            ps.setObject(i++, OffsetDateTime.ofInstant(from, java.time.ZoneOffset.UTC));
            ps.setObject(i, OffsetDateTime.ofInstant(to, java.time.ZoneOffset.UTC));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    bySchedule.computeIfAbsent(rs.getObject(1, UUID.class), k -> new ArrayList<>()).add(
                            new Rotation.Override(rs.getObject(2, UUID.class), rs.getObject(3, UUID.class),
                                    rs.getObject(4, UUID.class), instant(rs.getTimestamp(5)), instant(rs.getTimestamp(6))));
                }
            }
        } catch (SQLException e) {
            throw new jakarta.persistence.PersistenceException("Cannot read overrides", e);
        }
        return bySchedule;
    }

    private static Instant instant(Timestamp ts) {
        return ts.toInstant();
    }
}

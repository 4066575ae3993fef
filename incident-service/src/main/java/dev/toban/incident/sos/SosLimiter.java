package dev.toban.incident.sos;

import dev.toban.incident.config.IncidentConfig;
import dev.toban.incident.model.Sql;
import dev.toban.plumbing.jobs.Periodic;
import io.agroal.api.AgroalDataSource;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.transaction.Transactional;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * At most {@code toban.incident.sos.limit.max-reports} SOS per reporter within the sliding
 * {@code window}, across replicas: each SOS is a row of {@code sos_report} written in the SOS's own
 * transaction, and a transaction-scoped advisory lock per reporter makes count-then-insert atomic (two
 * SOS from one reporter at once are counted one after the other). Rows older than the window are purged
 * every minute.
 */
@ApplicationScoped
public class SosLimiter {

    private static final Logger LOG = Logger.getLogger(SosLimiter.class);
    /** Old rows are only housekeeping (every check reads its own time window), so they go every 10 minutes. */
    static final Duration PURGE_EVERY = Duration.ofMinutes(10);

    private final Sql sql;
    private final AgroalDataSource dataSource;
    private final IncidentConfig.Limit config;

    public SosLimiter(Sql sql, AgroalDataSource dataSource, IncidentConfig config) {
        this.sql = sql;
        this.dataSource = dataSource;
        this.config = config.sos().limit();
    }

    /**
     * Counts one SOS of {@code reporter}, or throws {@link SosLimitedException} when the limit is reached.
     * Returns the count's row, for {@link #opened}; null when the limit is off.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public UUID take(String reporter, Instant now) {
        int max = config.maxReports();
        if (max <= 0) {
            return null;
        }
        Duration window = config.window();
        sql.query("select cast(pg_advisory_xact_lock(hashtextextended(?, 0)) as text)", "toban.sos:" + reporter);
        List<Sql.Row> recent = sql.query("""
                select reported_at from sos_report where reporter = ? and reported_at > ?
                order by reported_at desc limit ?""", reporter, now.minus(window), max);
        if (recent.size() >= max) {
            // the max-th latest report leaves the window first
            Instant free = recent.get(max - 1).instant(0).plus(window);
            List<Long> numbers = sql.query("""
                    select i.number from sos_report r join incident i on i.id = r.incident_id
                    where r.reporter = ? and r.reported_at > ? order by r.reported_at""", reporter, now.minus(window))
                    .stream().map(r -> r.longValue(0)).toList();
            throw new SosLimitedException(max, window, (Duration.between(now, free).toMillis() + 999) / 1000, numbers);
        }
        UUID id = UUID.randomUUID();
        sql.update("insert into sos_report (id, reporter, reported_at) values (?, ?, ?)", id, reporter, now);
        return id;
    }

    /** Links the counted SOS to the incident it opened (so a refusal can name the reporter's incidents). */
    @Transactional(Transactional.TxType.MANDATORY)
    public void opened(UUID taken, UUID incidentId) {
        if (taken != null) {
            sql.update("update sos_report set incident_id = ? where id = ?", incidentId, taken);
        }
    }

    void start(@Observes StartupEvent event, Periodic periodic) {
        periodic.every("sos-report-purge", PURGE_EVERY, Duration.ofMinutes(1), this::purge);
    }

    void purge() {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement ps = connection.prepareStatement("delete from sos_report where reported_at < ?")) {
            ps.setObject(1, OffsetDateTime.now(ZoneOffset.UTC).minus(config.window()));
            ps.executeUpdate();
        } catch (SQLException e) {
            LOG.debugf("Could not purge old SOS reports (tried again at the next purge): %s", e.toString());
        }
    }
}

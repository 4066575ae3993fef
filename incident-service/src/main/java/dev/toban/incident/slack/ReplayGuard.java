package dev.toban.incident.slack;

import dev.toban.plumbing.jobs.Periodic;
import io.agroal.api.AgroalDataSource;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import org.jboss.logging.Logger;

/**
 * Remembers each verified signed request, so that the same request sent again while its signature is
 * still fresh is recognised on every replica: one insert into {@code signed_request}, whose primary key
 * (source, timestamp, signature) lets only the first sender win. Rows are kept until the signature could
 * no longer verify anyway (plus a margin for clock skew between replicas), then purged every minute.
 */
@ApplicationScoped
public class ReplayGuard {

    private static final Logger LOG = Logger.getLogger(ReplayGuard.class);
    /** Old rows are only housekeeping (every check reads its own time window), so they go every 10 minutes. */
    static final Duration PURGE_EVERY = Duration.ofMinutes(10);
    /** Replicas' clocks may differ a little: a row outlives its window by this much. */
    static final Duration SKEW_MARGIN = Duration.ofMinutes(1);

    private final AgroalDataSource dataSource;

    public ReplayGuard(AgroalDataSource dataSource) {
        this.dataSource = dataSource;
    }

    /**
     * True the first time this (source, timestamp, signature) is seen; false for a replay. Its own
     * autocommit statement, so it holds whatever the caller does next.
     *
     * @param freshUntil when the signature stops verifying (its timestamp plus the tolerance)
     */
    public boolean firstTime(String source, long timestamp, String signature, Instant freshUntil) throws SQLException {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement ps = connection.prepareStatement("""
                     insert into signed_request (source, request_ts, signature, received_at, expires_at)
                     values (?, ?, ?, ?, ?) on conflict do nothing""")) {
            ps.setString(1, source);
            ps.setLong(2, timestamp);
            ps.setString(3, signature);
            ps.setObject(4, OffsetDateTime.now(ZoneOffset.UTC));
            ps.setObject(5, OffsetDateTime.ofInstant(freshUntil.plus(SKEW_MARGIN), ZoneOffset.UTC));
            return ps.executeUpdate() == 1;
        }
    }

    void start(@Observes StartupEvent event, Periodic periodic) {
        periodic.every("signed-request-purge", PURGE_EVERY, Duration.ofMinutes(1), this::purge);
    }

    void purge() {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement ps = connection.prepareStatement("delete from signed_request where expires_at < ?")) {
            ps.setObject(1, OffsetDateTime.now(ZoneOffset.UTC));
            ps.executeUpdate();
        } catch (SQLException e) {
            LOG.debugf("Could not purge expired signed requests (tried again at the next purge): %s", e.toString());
        }
    }
}

package dev.toban.incident.downtime;

import dev.toban.incident.model.Sql;
import dev.toban.plumbing.problem.ProblemException;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The seed's downtime breakdown over incidents opened in a period, aggregated by PostgreSQL
 * ({@code percentile_cont}). Each figure counts only the incidents where both ends are known. One definition,
 * used by this API, the downtime page and the Prometheus histograms (docs/architecture.md, Downtime): the
 * three parts follow each other, so for one incident they add up to its downtime.
 * <ul>
 * <li>time to detect: first signal (problem start) to incident opened;</li>
 * <li>time to assign: incident opened to the IC's acknowledgement;</li>
 * <li>time to mitigate: acknowledgement to mitigation (暫定復旧).</li>
 * </ul>
 */
@ApplicationScoped
public class DowntimeService {

    /** name, start column, end column. */
    private static final List<String[]> FIGURES = List.of(
            new String[] {"timeToDetect", "problem_started_at", "created_at"},
            new String[] {"timeToAssign", "created_at", "acknowledged_at"},
            new String[] {"timeToMitigate", "acknowledged_at", "mitigated_at"},
            new String[] {"downtime", "problem_started_at", "mitigated_at"},
            // the same as timeToAssign, under its older name
            new String[] {"timeToAcknowledge", "created_at", "acknowledged_at"},
            new String[] {"timeToResolve", "created_at", "resolved_at"},
            // the owning team among the assigned teams with one of its engineers joined (the snapshot's assignedAt)
            new String[] {"timeToEngageTeam", "created_at", "assigned_at"});

    private final Sql sql;

    public DowntimeService(Sql sql) {
        this.sql = sql;
    }

    /** p50 and p90 in seconds (null when no incident has the figure) and how many incidents have it. */
    public record Figure(Double p50Seconds, Double p90Seconds, long count) {
    }

    public record DowntimeReport(Instant from, Instant to, UUID team, UUID service, long incidents,
                                 Map<String, Figure> figures) {
    }

    public DowntimeReport report(Instant from, Instant to, UUID team, UUID service) {
        Instant end = to == null ? Instant.now() : to;
        Instant start = from == null ? end.minus(Duration.ofDays(30)) : from;
        if (!start.isBefore(end)) {
            throw ProblemException.invalid("from", "must be before to");
        }
        StringBuilder query = new StringBuilder("select count(*)");
        for (String[] f : FIGURES) {
            String value = "extract(epoch from (" + f[2] + " - " + f[1] + "))";
            String known = " filter (where " + f[1] + " is not null and " + f[2] + " is not null)";
            query.append(", percentile_cont(0.5) within group (order by ").append(value).append(")").append(known)
                    .append(", percentile_cont(0.9) within group (order by ").append(value).append(")").append(known)
                    .append(", count(*)").append(known);
        }
        query.append(" from incident where created_at >= ? and created_at < ?")
                .append(" and (cast(? as uuid) is null or owning_team_id = ?)")
                .append(" and (cast(? as uuid) is null or service_id = ?)");
        Sql.Row row = QuarkusTransaction.requiringNew().call(() ->
                sql.query(query.toString(), start, end, team, team, service, service).get(0));
        Map<String, Figure> figures = new LinkedHashMap<>();
        for (int i = 0; i < FIGURES.size(); i++) {
            int base = 1 + i * 3;
            figures.put(FIGURES.get(i)[0], new Figure(seconds(row.values()[base]), seconds(row.values()[base + 1]),
                    row.longValue(base + 2)));
        }
        return new DowntimeReport(start, end, team, service, row.longValue(0), figures);
    }

    private static Double seconds(Object value) {
        return value == null ? null : Math.round(((Number) value).doubleValue() * 1000) / 1000.0;
    }
}

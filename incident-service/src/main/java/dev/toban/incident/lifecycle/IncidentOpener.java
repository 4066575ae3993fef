package dev.toban.incident.lifecycle;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.toban.contracts.Actor;
import dev.toban.contracts.incident.IncidentSource;
import dev.toban.contracts.incident.Severity;
import dev.toban.incident.catalog.ServiceArchivedException;
import dev.toban.incident.commander.CommanderAssignment;
import dev.toban.incident.config.IncidentConfig;
import dev.toban.incident.directory.TeamDirectoryService;
import dev.toban.incident.downtime.DowntimeMetrics;
import dev.toban.incident.model.Sql;
import dev.toban.incident.model.TechnicalService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Opens incidents for every source. With a dedup key the insert races on the partial unique index
 * {@code incident_open_dedup}: the loser waits for the winner's commit and attaches to its incident.
 * The IC is not looked up here: a {@code commander_job} row is written instead and worked off after
 * commit, so ingestion stays fast and answers even while oncall-service is down.
 */
@ApplicationScoped
public class IncidentOpener {

    private final Sql sql;
    private final IncidentTimeline timeline;
    private final CommanderAssignment commanders;
    private final DowntimeMetrics metrics;
    private final CadencePolicy cadence;
    private final CadenceService overdue;
    private final IncidentConfig config;
    private final TeamDirectoryService teams;
    private final ObjectMapper mapper;

    public IncidentOpener(Sql sql, IncidentTimeline timeline,
                          CommanderAssignment commanders, DowntimeMetrics metrics, CadencePolicy cadence,
                          CadenceService overdue,
                          IncidentConfig config, TeamDirectoryService teams, ObjectMapper mapper) {
        this.sql = sql;
        this.timeline = timeline;
        this.commanders = commanders;
        this.metrics = metrics;
        this.cadence = cadence;
        this.overdue = overdue;
        this.config = config;
        this.teams = teams;
        this.mapper = mapper;
    }

    /** What to open. {@code integrationKeyId} and {@code dedupKey} are null for SOS and manual incidents. */
    public record NewIncident(String title, Severity severity, String impact, IncidentSource source,
                              TechnicalService service, UUID integrationKeyId, String dedupKey,
                              Instant problemStartedAt, Actor createdBy, String groupKey) {
        public NewIncident(String title, Severity severity, String impact, IncidentSource source,
                           TechnicalService service, UUID integrationKeyId, String dedupKey,
                           Instant problemStartedAt, Actor createdBy) {
            this(title, severity, impact, source, service, integrationKeyId, dedupKey, problemStartedAt, createdBy, null);
        }
    }

    /**
     * The incident the signal belongs to; {@code created} is false when it attached to an open one,
     * {@code grouped} true when that one was found by the group key (alert grouping) rather than the dedup key.
     */
    public record Opened(UUID incidentId, boolean created, boolean grouped) {
        public Opened(UUID incidentId, boolean created) {
            this(incidentId, created, false);
        }
    }

    @Transactional(Transactional.TxType.MANDATORY)
    public Opened open(NewIncident n) {
        requireActive(n.service());
        String teamRoom = teams.warRoomUrl(n.service().owningTeamId);
        for (int attempt = 0; attempt < 3; attempt++) {
            UUID id = UUID.randomUUID();
            Instant now = Instant.now();
            // a sender's clock ahead of ours must not make time-to-detect negative
            Instant problem = n.problemStartedAt() == null ? null
                    : n.problemStartedAt().isAfter(now) ? now : n.problemStartedAt();
            // with a group key two unique indexes can be raced on (incident_open_dedup, incident_open_group):
            // "do nothing" without a target covers both
            String onConflict = n.groupKey() != null ? " on conflict do nothing"
                    : n.dedupKey() == null ? "" : """
                    on conflict (integration_key_id, dedup_key)
                        where dedup_key is not null and state in ('triggered', 'acknowledged', 'mitigated') do nothing
                    """;
            // written complete, as it used to be after a second write (nothing reads it back): its war room
            // (the owning team's own room when oncall-service announced one, else one per incident from the
            // template, which may name the number) and version 1
            List<Sql.Row> inserted = sql.query("""
                    with s as (select nextval('incident_number_seq') as number)
                    insert into incident (id, number, title, severity, state, impact, source, service_id,
                        integration_key_id, dedup_key, owning_team_id, escalation_policy_id, war_room_url,
                        problem_started_at, created_at, next_update_due_at, created_by, version, group_key)
                    values (?, (select number from s), ?, ?, 'triggered', ?, ?, ?, ?, ?, ?, ?,
                        coalesce(?, replace(replace(?, '{number}', (select number from s)::text), '{id}', ?)),
                        ?, ?, ?, cast(? as jsonb), 1, ?)
                    """ + onConflict + " returning number, problem_started_at, created_at",
                    id, truncate(n.title(), 1024), n.severity().name(), n.impact(), n.source().wire(), n.service().id,
                    n.integrationKeyId(), n.dedupKey(), n.service().owningTeamId, n.service().escalationPolicyId,
                    teamRoom, config.warRoomUrlTemplate(), id.toString(),
                    problem, now, overdue.watch(cadence.firstDue(n.severity(), now)), json(n.createdBy()),
                    n.groupKey());
            if (!inserted.isEmpty()) {
                Sql.Row row = inserted.get(0);
                created(id, row.longValue(0), row.instant(1), row.instant(2), n);
                return new Opened(id, true);
            }
            if (n.groupKey() != null) {
                List<Sql.Row> group = sql.query("""
                        select id from incident where service_id = ? and group_key = ?
                          and state in ('triggered', 'acknowledged', 'mitigated') for share""", n.service().id, n.groupKey());
                if (!group.isEmpty()) {
                    return new Opened(group.get(0).uuid(0), false, true);
                }
            }
            // lost the race: the winner has committed, so its incident is visible now
            List<Sql.Row> open = n.dedupKey() == null ? List.of() : sql.query("""
                    select id from incident where integration_key_id = ? and dedup_key = ?
                      and state in ('triggered', 'acknowledged', 'mitigated')""", n.integrationKeyId(), n.dedupKey());
            if (!open.isEmpty()) {
                return new Opened(open.get(0).uuid(0), false);
            }
            // ...and already resolved it again: try once more
        }
        throw new IllegalStateException("Could not open or find the incident for dedup key " + n.dedupKey());
    }

    /**
     * No incident opens on an archived service. The row is share-locked until commit, so archiving it
     * (FOR UPDATE) either waits and then finds this incident open, or commits first and is seen here.
     */
    private void requireActive(TechnicalService service) {
        List<Sql.Row> row = sql.query("select archived_at from technical_service where id = ? for share", service.id);
        if (row.isEmpty() || row.get(0).instant(0) != null) {
            throw new ServiceArchivedException(service.id, service.name);
        }
    }

    private void created(UUID id, long number, Instant problemStartedAt, Instant createdAt, NewIncident n) {
        timeline.add(id, "opened", n.createdBy(), "Incident #" + number + " opened: " + truncate(n.title(), 1024),
                Map.of("source", n.source().wire(), "severity", n.severity().name(), "serviceId", n.service().id,
                        "number", number));
        commanders.enqueue(id, n.service().escalationPolicyId);
        metrics.recordAfterCommit(DowntimeMetrics.Figure.DETECT, n.service().id, n.service().owningTeamId,
                problemStartedAt, createdAt);
    }

    private String json(Object value) {
        try {
            return mapper.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Cuts a title or summary to its column's length (public: ingestion, SOS and maintenance cut the same way). */
    public static String truncate(String value, int max) {
        return value == null || value.length() <= max ? value : value.substring(0, max);
    }
}

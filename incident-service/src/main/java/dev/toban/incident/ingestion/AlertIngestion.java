package dev.toban.incident.ingestion;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.toban.contracts.Actor;
import dev.toban.contracts.incident.IncidentContracts.AlertSummary;
import dev.toban.contracts.incident.IncidentContracts.ChangeReceived;
import dev.toban.contracts.incident.IncidentContracts;
import dev.toban.contracts.incident.IncidentSource;
import dev.toban.contracts.incident.IncidentState;
import dev.toban.contracts.incident.ServiceRef;
import dev.toban.contracts.incident.Severity;
import dev.toban.incident.catalog.ServiceArchivedException;
import dev.toban.incident.commander.CommanderAssignment;
import dev.toban.incident.grouping.AlertGrouping;
import dev.toban.incident.grouping.GroupingService;
import dev.toban.incident.ingestion.AlertmanagerPayload.AlertmanagerAlert;
import dev.toban.incident.ingestion.EventsV2Parser.AlertEvent;
import dev.toban.incident.ingestion.IntegrationKeys.KeyContext;
import dev.toban.incident.lifecycle.IncidentEvents;
import dev.toban.incident.lifecycle.IncidentOpener;
import dev.toban.incident.lifecycle.IncidentQueries;
import dev.toban.incident.lifecycle.IncidentTimeline;
import dev.toban.incident.lifecycle.IncidentTransitions;
import dev.toban.incident.maintenance.MaintenanceService;
import dev.toban.incident.model.ChangeEvent;
import dev.toban.incident.model.ChangeEventRepository;
import dev.toban.incident.model.Incident;
import dev.toban.incident.model.IncidentRepository;
import dev.toban.incident.model.Sql;
import dev.toban.incident.model.TechnicalService;
import dev.toban.incident.model.TechnicalServiceRepository;
import dev.toban.plumbing.outbox.Outbox;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeSet;
import java.util.UUID;

/**
 * The writing side of ingestion, one transaction per request. Lock order is always incident first,
 * then its alerts, as in {@link IncidentTransitions}, so concurrent acknowledgements and resolves never
 * deadlock.
 */
@ApplicationScoped
public class AlertIngestion {

    private static final String UPSERT_ALERT = """
            insert into alert (id, incident_id, service_id, integration_key_id, kind, dedup_key, status, summary, severity,
                source, component, alert_group, alert_class, client, client_url, custom_details, links, images, labels,
                annotations, generator_url, started_at, created_at, last_event_at, event_count, grouped)
            values (?, ?, ?, ?, ?, ?, 'triggered', ?, ?, ?, ?, ?, ?, ?, ?, cast(? as jsonb), cast(? as jsonb),
                cast(? as jsonb), cast(? as jsonb), cast(? as jsonb), ?, ?, ?, ?, 1, ?)
            on conflict (integration_key_id, dedup_key) where dedup_key is not null and status <> 'resolved'
            do update set event_count = alert.event_count + 1, last_event_at = excluded.last_event_at,
                labels = coalesce(excluded.labels, alert.labels), annotations = coalesce(excluded.annotations, alert.annotations)
            returning incident_id, (xmax = 0) as inserted""";

    private final Sql sql;
    private final IncidentRepository incidents;
    private final TechnicalServiceRepository services;
    private final ChangeEventRepository changes;
    private final IncidentOpener opener;
    private final IncidentTransitions transitions;
    private final IncidentQueries queries;
    private final IncidentTimeline timeline;
    private final SeverityMapper severities;
    private final Outbox outbox;
    private final ObjectMapper mapper;
    private final GroupingService grouping;
    private final MaintenanceService maintenance;
    private final CommanderAssignment commanders;

    public AlertIngestion(Sql sql, IncidentRepository incidents, TechnicalServiceRepository services,
                          ChangeEventRepository changes, IncidentOpener opener, IncidentTransitions transitions,
                          IncidentQueries queries, IncidentTimeline timeline, SeverityMapper severities, Outbox outbox,
                          ObjectMapper mapper, GroupingService grouping, MaintenanceService maintenance,
                          CommanderAssignment commanders) {
        this.commanders = commanders;
        this.grouping = grouping;
        this.maintenance = maintenance;
        this.sql = sql;
        this.incidents = incidents;
        this.services = services;
        this.changes = changes;
        this.opener = opener;
        this.transitions = transitions;
        this.queries = queries;
        this.timeline = timeline;
        this.severities = severities;
        this.outbox = outbox;
        this.mapper = mapper;
    }

    // ------------------------------------------------------------------ Events API v2

    /** A trigger whose dedup key has no open alert: opens an incident, or attaches to one that won a race. */
    @Transactional
    public void triggerEventsV2(KeyContext key, AlertEvent event, String dedupKey) {
        TechnicalService service = services.findById(key.serviceId());
        EventsV2Parser.Payload p = event.payload();
        Optional<MaintenanceService.Active> window = maintenance.activeFor(service.id, Instant.now());
        if (window.isPresent() && !MaintenanceService.lowUrgency(service)) {
            if (service.archivedAt != null) {
                throw new ServiceArchivedException(service.id, service.name);
            }
            // planned work: recorded and visible on the service's page, no incident, no page
            maintenance.hold(window.get(), service.id, key.keyId(), "events_v2", dedupKey, p.summary(), p.severity(),
                    p.source());
            return;
        }
        AlertGrouping rule = AlertGrouping.of(service);
        String groupKey = rule.keyFor(new AlertGrouping.Fields(p.source(), p.severity(), p.component(), p.group(),
                p.alertClass(), p.customDetails(), null));
        UUID joined = grouping.openIncidentFor(service, rule, groupKey, true);
        IncidentOpener.Opened opened;
        if (joined != null) {
            if (service.archivedAt != null) {
                throw new ServiceArchivedException(service.id, service.name); // archived since the key was resolved
            }
            opened = new IncidentOpener.Opened(joined, false, true);
        } else {
            opened = opener.open(new IncidentOpener.NewIncident(p.summary(),
                    window.isPresent() ? Severity.SEV4 : severities.of(p.severity()),
                    null, IncidentSource.EVENTS_V2, service, key.keyId(), dedupKey, p.timestamp(),
                    Actor.integration(key.keyName()), groupKey));
            if (opened.created() && window.isPresent()) {
                lowUrgency(opened.incidentId(), window.get());
            }
        }
        List<Sql.Row> alert = sql.query(UPSERT_ALERT, UUID.randomUUID(), opened.incidentId(), service.id, key.keyId(),
                "events_v2", dedupKey, p.summary(), p.severity(), p.source(), p.component(), p.group(), p.alertClass(),
                event.client(), event.clientUrl(), json(p.customDetails()), json(event.links()), json(event.images()),
                null, null, null, p.timestamp(), Instant.now(), Instant.now(), opened.grouped());
        if (opened.grouped()) {
            if (alert.get(0).bool(1)) {
                grouping.joined(opened.incidentId()); // no timeline line per alert: one roll-up a minute
            }
        } else if (!opened.created() && alert.get(0).bool(1)) {
            timeline.add(alert.get(0).uuid(0), "alert_added", Actor.integration(key.keyName()),
                    "Alert added: " + p.summary(), Map.of("dedupKey", dedupKey, "summary", p.summary()));
        }
        if (opened.created()) {
            // its only alert, unless a racing trigger's alert holds the dedup key (then triggered reads what there is)
            AlertSummary first = alert.get(0).bool(1) ? IncidentEvents.alertSummary(p.summary(), p.source(), p.severity(),
                    dedupKey, p.component(), event.links()) : null;
            commanders.assignFromMemory(opened.incidentId(), service.escalationPolicyId, first); // else its job does it
        }
    }

    /** Acknowledges the incident of the open alert with this dedup key; unknown keys are dropped, as PagerDuty does. */
    @Transactional
    public void acknowledgeEventsV2(KeyContext key, String dedupKey) {
        UUID incidentId = openAlertIncident(key.keyId(), dedupKey);
        if (incidentId == null) {
            return;
        }
        Incident incident = incidents.lock(incidentId).orElseThrow();
        int changed = sql.update("""
                update alert set status = 'acknowledged', acknowledged_at = ?
                where integration_key_id = ? and dedup_key = ? and status = 'triggered' and incident_id = ?""",
                Instant.now(), key.keyId(), dedupKey, incidentId);
        if (changed > 0 && incident.state == IncidentState.TRIGGERED) {
            transitions.acknowledge(incident, Actor.integration(key.keyName()));
        }
    }

    /** Resolves the open alert; the incident resolves once none of its alerts is open. */
    @Transactional
    public void resolveEventsV2(KeyContext key, String dedupKey) {
        UUID incidentId = openAlertIncident(key.keyId(), dedupKey);
        if (incidentId == null) {
            return;
        }
        Incident incident = incidents.lock(incidentId).orElseThrow();
        int changed = sql.update("""
                update alert set status = 'resolved', resolved_at = ?
                where integration_key_id = ? and dedup_key = ? and status <> 'resolved' and incident_id = ?""",
                Instant.now(), key.keyId(), dedupKey, incidentId);
        if (changed > 0) {
            resolveIfQuiet(incident, key, "the monitoring tool resolved its alert " + dedupKey);
        }
    }

    @Transactional
    public void change(KeyContext key, EventsV2Parser.ChangeEvent event) {
        TechnicalService service = services.findById(key.serviceId());
        if (service.archivedAt != null) {
            throw new ServiceArchivedException(service.id, service.name); // archived since the key was resolved
        }
        ChangeEvent change = new ChangeEvent();
        change.id = UUID.randomUUID();
        change.serviceId = service.id;
        change.integrationKeyId = key.keyId();
        change.summary = event.summary();
        change.source = event.source();
        change.receivedAt = Instant.now();
        change.happenedAt = event.timestamp() == null ? change.receivedAt : event.timestamp();
        change.customDetails = event.customDetails() == null ? null : event.customDetails();
        change.links = event.links();
        changes.persist(change);
        outbox.publish(IncidentEvents.CHANGE_RECEIVED, service.id.toString(), new ChangeReceived(
                new IncidentContracts.ChangeEvent(change.id, change.summary, change.source, change.happenedAt,
                        change.links == null ? JsonNodeFactory.instance.arrayNode() : change.links, change.customDetails),
                new ServiceRef(service.id, service.name, service.runbookUrl, service.slackChannel),
                Actor.integration(key.keyName())));
    }

    // ------------------------------------------------------------------ Alertmanager

    /** What an Alertmanager notification did. */
    public record AlertmanagerResult(UUID incidentId, int firing, int resolved) {
    }

    /**
     * One incident per groupKey while it is open; alerts recorded by fingerprint. Resolved alerts are
     * resolved; an incident whose alerts are all resolved resolves.
     */
    @Transactional
    public AlertmanagerResult alertmanager(KeyContext key, AlertmanagerPayload payload) {
        Actor actor = Actor.integration(key.keyName());
        List<AlertmanagerAlert> firing = payload.alerts().stream().filter(AlertmanagerAlert::firing).toList();
        List<AlertmanagerAlert> resolved = "resolved".equals(payload.status())
                ? payload.alerts() : payload.alerts().stream().filter(a -> !a.firing()).toList();
        if ("resolved".equals(payload.status())) {
            firing = List.of(); // a resolved notification resolves every alert it lists
        }

        TechnicalService service = services.findById(key.serviceId());
        Optional<MaintenanceService.Active> window = firing.isEmpty() ? Optional.empty()
                : maintenance.activeFor(service.id, Instant.now());
        if (window.isPresent() && !MaintenanceService.lowUrgency(service)) {
            if (service.archivedAt != null) {
                throw new ServiceArchivedException(service.id, service.name);
            }
            // planned work: firing alerts are recorded and visible, open nothing; resolved ones still resolve
            for (AlertmanagerAlert alert : firing) {
                maintenance.hold(window.get(), service.id, key.keyId(), "alertmanager", alert.fingerprint(),
                        alertSummary(alert), alert.labels().get("severity"), alert.labels().get("instance"));
            }
            firing = List.of();
        }
        // lock every incident this notification can touch, in id order, before any alert row
        TreeSet<UUID> touched = new TreeSet<>();
        UUID groupIncident = openGroupIncident(key.keyId(), payload.groupKey());
        String contentKey = null;
        UUID joined = null;
        if (groupIncident == null && !firing.isEmpty()) {
            // alert grouping: the service's rule over the notification's labels (group and common labels,
            // then the first firing alert's)
            AlertGrouping rule = AlertGrouping.of(service);
            Map<String, String> labels = new LinkedHashMap<>(firing.get(0).labels());
            labels.putAll(payload.commonLabels());
            labels.putAll(payload.groupLabels());
            contentKey = rule.keyFor(new AlertGrouping.Fields(labels.get("instance"), labels.get("severity"),
                    labels.get("job"), payload.receiver(), labels.get("alertname"), null, labels));
            joined = grouping.openIncidentFor(service, rule, contentKey, false);
            if (joined != null) {
                touched.add(joined);
            }
        }
        if (groupIncident != null) {
            touched.add(groupIncident);
        }
        for (AlertmanagerAlert alert : payload.alerts()) {
            UUID owner = openAlertIncident(key.keyId(), alert.fingerprint());
            if (owner != null) {
                touched.add(owner);
            }
        }
        Map<UUID, Incident> locked = new LinkedHashMap<>();
        for (UUID id : touched) {
            incidents.lock(id).ifPresent(i -> locked.put(id, i));
        }

        if (!firing.isEmpty()) {
            boolean created = false;
            boolean grouped = false;
            if (groupIncident == null && joined != null && locked.containsKey(joined) && locked.get(joined).state.isOpen()) {
                if (service.archivedAt != null) {
                    throw new ServiceArchivedException(service.id, service.name);
                }
                groupIncident = joined;
                grouped = true;
            }
            if (groupIncident == null) {
                Instant problemStart = firing.stream().map(AlertmanagerAlert::startsAt).filter(Objects::nonNull)
                        .min(Comparator.naturalOrder()).orElse(null);
                IncidentOpener.Opened opened = opener.open(new IncidentOpener.NewIncident(title(payload, firing),
                        window.isPresent() ? Severity.SEV4 : severity(payload, firing), null, IncidentSource.ALERTMANAGER,
                        service, key.keyId(), payload.groupKey(), problemStart, actor, contentKey));
                if (opened.created() && window.isPresent()) {
                    lowUrgency(opened.incidentId(), window.get());
                }
                groupIncident = opened.incidentId();
                created = opened.created();
                grouped = opened.grouped();
            }
            boolean rolled = false;
            for (AlertmanagerAlert alert : firing) {
                List<Sql.Row> row = sql.query(UPSERT_ALERT, UUID.randomUUID(), groupIncident, service.id, key.keyId(),
                        "alertmanager", alert.fingerprint(), alertSummary(alert), alert.labels().get("severity"),
                        alert.labels().get("instance"), alert.labels().get("job"), payload.receiver(),
                        alert.labels().get("alertname"), "Alertmanager", payload.externalUrl(), null, null, null,
                        json(mapper.valueToTree(alert.labels())), json(mapper.valueToTree(alert.annotations())),
                        alert.generatorUrl(), alert.startsAt(), Instant.now(), Instant.now(), grouped);
                if (grouped) {
                    if (row.get(0).bool(1) && !rolled) {
                        grouping.joined(groupIncident); // one roll-up a minute instead of a line per alert
                        rolled = true;
                    }
                } else if (row.get(0).bool(1) && !created) {
                    timeline.add(row.get(0).uuid(0), "alert_added", actor, "Alert firing: " + alertSummary(alert),
                            Map.of("fingerprint", alert.fingerprint(), "summary", alertSummary(alert)));
                }
            }
            if (created) {
                commanders.assignFromMemory(groupIncident, service.escalationPolicyId, null); // else its job does it
            }
        }

        List<UUID> emptied = new ArrayList<>();
        for (AlertmanagerAlert alert : resolved) {
            List<Sql.Row> rows = sql.query("""
                    update alert set status = 'resolved', resolved_at = ?
                    where integration_key_id = ? and dedup_key = ? and status <> 'resolved' returning incident_id""",
                    alert.endsAt() == null ? Instant.now() : alert.endsAt(), key.keyId(), alert.fingerprint());
            rows.forEach(r -> emptied.add(r.uuid(0)));
        }
        for (UUID id : new TreeSet<>(emptied)) {
            Incident incident = locked.get(id);
            if (incident != null) {
                resolveIfQuiet(incident, key, "Alertmanager resolved every alert of the group");
            }
        }
        return new AlertmanagerResult(groupIncident, firing.size(), resolved.size());
    }

    // ------------------------------------------------------------------ helpers

    /** Opened during a maintenance window of a low_urgency service: SEV4, the IC named, nobody paged. */
    private void lowUrgency(UUID incidentId, MaintenanceService.Active window) {
        incidents.findById(incidentId).lowUrgency = true;
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("windowId", window.window().id());
        data.put("reason", window.window().reason());
        data.put("until", window.occurrence().end());
        timeline.add(incidentId, "low_urgency", Actor.SYSTEM, "Opened at low urgency during the maintenance window \""
                + window.window().reason() + "\" (until " + window.occurrence().end() + "): nobody is paged", data);
    }

    private void resolveIfQuiet(Incident incident, KeyContext key, String note) {
        if (incident.state.isOpen() && queries.openAlerts(incident.id) == 0) {
            Actor actor = Actor.integration(key.keyName());
            // a grouped incident resolves by itself only when its service says so; else the IC is told
            if (!grouping.toldInsteadOfResolved(incident, actor)) {
                transitions.resolve(incident, actor, "All alerts resolved: " + note);
            }
        }
    }

    private UUID openAlertIncident(UUID keyId, String dedupKey) {
        List<Sql.Row> rows = sql.query("""
                select incident_id from alert
                where integration_key_id = ? and dedup_key = ? and status <> 'resolved'""", keyId, dedupKey);
        return rows.isEmpty() ? null : rows.get(0).uuid(0);
    }

    private UUID openGroupIncident(UUID keyId, String groupKey) {
        List<Sql.Row> rows = sql.query("""
                select id from incident where integration_key_id = ? and dedup_key = ?
                  and state in ('triggered', 'acknowledged', 'mitigated')""", keyId, groupKey);
        return rows.isEmpty() ? null : rows.get(0).uuid(0);
    }

    private String title(AlertmanagerPayload payload, List<AlertmanagerAlert> firing) {
        String summary = payload.commonAnnotations().get("summary");
        if (summary == null) {
            summary = firing.get(0).annotations().get("summary");
        }
        String name = payload.commonLabels().getOrDefault("alertname", payload.groupLabels().get("alertname"));
        String title = summary != null ? (name != null ? "[" + name + "] " + summary : summary)
                : name != null ? name : "Alertmanager group " + payload.groupKey();
        return IncidentOpener.truncate(title, 1024);
    }

    private Severity severity(AlertmanagerPayload payload, List<AlertmanagerAlert> firing) {
        String label = payload.commonLabels().get("severity");
        if (label == null) {
            label = firing.stream().map(a -> a.labels().get("severity")).filter(Objects::nonNull)
                    .min(Comparator.comparing(s -> severities.of(s).ordinal())).orElse(null);
        }
        return severities.of(label);
    }

    private static String alertSummary(AlertmanagerAlert alert) {
        String summary = alert.annotations().get("summary");
        if (summary == null) {
            summary = alert.labels().getOrDefault("alertname", alert.fingerprint());
        }
        return IncidentOpener.truncate(summary, 1024);
    }

    private String json(JsonNode node) {
        if (node == null || node.isNull()) {
            return null;
        }
        try {
            return mapper.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}

package dev.toban.incident.maintenance;

import dev.toban.incident.config.IncidentConfig;
import dev.toban.incident.directory.ActorService;
import dev.toban.incident.lifecycle.IncidentOpener;
import dev.toban.incident.model.Sql;
import dev.toban.incident.model.TechnicalService;
import dev.toban.incident.model.TechnicalServiceRepository;
import dev.toban.plumbing.input.Text;
import dev.toban.plumbing.jobs.JobSpec;
import dev.toban.plumbing.jobs.Jobs;
import dev.toban.plumbing.jobs.Next;
import dev.toban.plumbing.jobs.Worker;
import dev.toban.plumbing.problem.Problem;
import dev.toban.plumbing.problem.ProblemException;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.transaction.Transactional;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Maintenance windows (issue 19): planned work on one or several services, from a local start to a local end in
 * an explicit time zone, once or weekly. A weekly window is computed in local time for every occurrence, so
 * "Sundays 01:30-03:30 America/New_York" stays at 01:30-03:30 on the clock across DST changes (and is one hour
 * shorter on the night the clocks go forward).
 * <p>
 * Ingestion asks {@link #activeFor} for every new alert: an in-memory answer from the windows that are not over,
 * reloaded by the worker {@value #JOB} when a change commits, on this replica and, through plumbing's replica
 * signals, on the others, and at least every {@code toban.incident.ingest.maintenance-reload-every} (5 min). During a window an alert of a {@code suppress} service is recorded in {@code suppressed_alert} and opens
 * nothing; of a {@code low_urgency} service it opens an incident at SEV4 whose IC is named but nobody is paged.
 * An SOS never asks: it is never suppressed.
 */
@ApplicationScoped
public class MaintenanceService {

    public static final String SUPPRESS = "suppress";
    public static final String LOW_URGENCY = "low_urgency";
    private static final Duration WEEK = Duration.ofDays(7);
    static final String JOB = "maintenance-windows";

    private final Sql sql;
    private final TechnicalServiceRepository services;
    private final ActorService actors;
    private volatile Map<UUID, List<Window>> byService;
    private final Worker worker;

    public MaintenanceService(Sql sql, TechnicalServiceRepository services, ActorService actors, Jobs jobs,
                              IncidentConfig config) {
        this.sql = sql;
        this.services = services;
        this.actors = actors;
        // the windows in memory hold no time of their own (each check reads the clock): only changes need a reload
        this.worker = jobs.define(JobSpec.pass(JOB, () -> {
            reload();
            return Next.IDLE;
        }).idleCap(config.ingest().maintenanceReloadEvery()));
    }

    /** One occurrence of a window, in instants. */
    public record Occurrence(Instant start, Instant end) {
        boolean contains(Instant at) {
            return !at.isBefore(start) && at.isBefore(end);
        }
    }

    /** A window as stored: local times in {@code zone}. */
    public record Window(UUID id, String reason, LocalDateTime startsAt, LocalDateTime endsAt, ZoneId zone,
                         boolean weekly, List<UUID> serviceIds) {

        Occurrence occurrence(long week) {
            return new Occurrence(startsAt.plusWeeks(week).atZone(zone).toInstant(),
                    endsAt.plusWeeks(week).atZone(zone).toInstant());
        }

        private long weekOf(Instant at) {
            long minutes = ChronoUnit.MINUTES.between(startsAt, LocalDateTime.ofInstant(at, zone));
            return Math.floorDiv(minutes, WEEK.toMinutes());
        }

        /** The occurrence running at {@code at}, if any. */
        public Optional<Occurrence> activeAt(Instant at) {
            if (!weekly) {
                Occurrence only = occurrence(0);
                return only.contains(at) ? Optional.of(only) : Optional.empty();
            }
            long week = weekOf(at);
            for (long w = week - 1; w <= week + 1; w++) {
                if (w >= 0 && occurrence(w).contains(at)) {
                    return Optional.of(occurrence(w));
                }
            }
            return Optional.empty();
        }

        /** The first occurrence starting after {@code at}, if any. */
        public Optional<Occurrence> nextAfter(Instant at) {
            if (!weekly) {
                Occurrence only = occurrence(0);
                return only.start().isAfter(at) ? Optional.of(only) : Optional.empty();
            }
            for (long w = Math.max(0, weekOf(at) - 1); ; w++) {
                Occurrence o = occurrence(w);
                if (o.start().isAfter(at)) {
                    return Optional.of(o);
                }
            }
        }

        boolean over(Instant at) {
            return !weekly && !occurrence(0).end().isAfter(at);
        }
    }

    /** The window running for a service now, with its occurrence. */
    public record Active(Window window, Occurrence occurrence) {
    }

    public record WindowRequest(List<UUID> serviceIds, LocalDateTime startsAt, LocalDateTime endsAt, String timeZone,
                                String reason, String recurrence) {
    }

    public record ServiceName(UUID id, String name) {
    }

    /**
     * A window as listed: its local times and zone, and at {@code at} whether it runs ({@code activeFrom} ..
     * {@code activeUntil}) and its next occurrence.
     */
    public record WindowView(UUID id, String reason, LocalDateTime startsAt, LocalDateTime endsAt, String timeZone,
                             String recurrence, List<ServiceName> services, boolean active, Instant activeFrom,
                             Instant activeUntil, Instant nextStart, Instant nextEnd, String createdBy,
                             Instant createdAt, Instant cancelledAt) {
    }

    public record HeldAlert(UUID id, UUID windowId, String reason, String kind, String dedupKey, String summary,
                            String severity, String source, Instant firstAt, Instant lastAt, int eventCount) {
    }

    // ------------------------------------------------------------------ ingestion

    /** The window running for the service at {@code at} (in-memory; no query). */
    public Optional<Active> activeFor(UUID serviceId, Instant at) {
        Map<UUID, List<Window>> windows = byService;
        if (windows == null) {
            windows = reload();
        }
        for (Window w : windows.getOrDefault(serviceId, List.of())) {
            Optional<Occurrence> o = w.activeAt(at);
            if (o.isPresent()) {
                return Optional.of(new Active(w, o.get()));
            }
        }
        return Optional.empty();
    }

    /** Records an alert held by a window: one row per window, key and dedup key; repeats counted. */
    @Transactional(Transactional.TxType.MANDATORY)
    public void hold(Active active, UUID serviceId, UUID keyId, String kind, String dedupKey, String summary,
                     String severity, String source) {
        Instant now = Instant.now();
        sql.update("""
                insert into suppressed_alert (id, window_id, service_id, integration_key_id, kind, dedup_key, summary,
                    severity, source, first_at, last_at, event_count)
                values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1)
                on conflict (window_id, integration_key_id, dedup_key) do update set
                    event_count = suppressed_alert.event_count + 1, last_at = excluded.last_at,
                    summary = excluded.summary, severity = excluded.severity""",
                UUID.randomUUID(), active.window().id(), serviceId, keyId, kind, dedupKey,
                IncidentOpener.truncate(summary, 1024), severity, IncidentOpener.truncate(source, 1024), now, now);
    }

    public static boolean lowUrgency(TechnicalService service) {
        return LOW_URGENCY.equals(service.maintenanceMode);
    }

    // ------------------------------------------------------------------ the windows

    void start(@Observes StartupEvent event) {
        worker.start();
    }

    /** Loads every window that is not cancelled and not over, by service. */
    public Map<UUID, List<Window>> reload() {
        Instant now = Instant.now();
        Map<UUID, List<Window>> loaded = new HashMap<>();
        QuarkusTransaction.requiringNew().run(() -> {
            for (Window w : load("w.cancelled_at is null", List.of())) {
                if (!w.over(now)) {
                    w.serviceIds().forEach(s -> loaded.computeIfAbsent(s, k -> new ArrayList<>()).add(w));
                }
            }
        });
        byService = loaded;
        return loaded;
    }

    private List<Window> load(String where, List<Object> params) {
        List<Sql.Row> rows = sql.query("""
                select w.id, w.reason, to_char(w.starts_at, 'YYYY-MM-DD"T"HH24:MI:SS'),
                       to_char(w.ends_at, 'YYYY-MM-DD"T"HH24:MI:SS'), w.time_zone, w.recurrence,
                       array_to_string(array_agg(s.service_id), ',')
                from maintenance_window w join maintenance_window_service s on s.window_id = w.id
                """ + " where " + where + " group by w.id order by w.starts_at", params.toArray());
        List<Window> windows = new ArrayList<>();
        for (Sql.Row r : rows) {
            List<UUID> ids = new ArrayList<>();
            for (String id : r.string(6).split(",")) {
                ids.add(UUID.fromString(id));
            }
            windows.add(new Window(r.uuid(0), r.string(1), LocalDateTime.parse(r.string(2)), LocalDateTime.parse(r.string(3)),
                    ZoneId.of(r.string(4)), "weekly".equals(r.string(5)), ids));
        }
        return windows;
    }

    /** Windows of a service (or all), not cancelled and not over at {@code at}, by next start. */
    @Transactional
    public List<WindowView> list(UUID serviceId, Instant at) {
        List<Window> windows = serviceId == null ? load("w.cancelled_at is null", List.of())
                : load("w.cancelled_at is null and w.id in (select window_id from maintenance_window_service where service_id = ?)",
                List.of(serviceId));
        return windows.stream().filter(w -> !w.over(at)).map(w -> view(w, at))
                .sorted(Comparator.comparing((WindowView v) -> !v.active())
                        .thenComparing(v -> v.nextStart() == null ? Instant.MAX : v.nextStart()))
                .toList();
    }

    @Transactional
    public WindowView get(UUID id, Instant at) {
        return load("w.id = ?", List.of(id)).stream().findFirst().map(w -> view(w, at))
                .orElseThrow(() -> ProblemException.notFound("Maintenance window", id));
    }

    private WindowView view(Window w, Instant at) {
        List<Sql.Row> meta = sql.query("select created_by, created_at, cancelled_at from maintenance_window where id = ?", w.id());
        Optional<Occurrence> active = w.activeAt(at);
        Optional<Occurrence> next = w.nextAfter(at);
        List<ServiceName> names = w.serviceIds().stream()
                .map(id -> new ServiceName(id, services.findByIdOptional(id).map(s -> s.name).orElse(null))).toList();
        return new WindowView(w.id(), w.reason(), w.startsAt(), w.endsAt(), w.zone().getId(),
                w.weekly() ? "weekly" : "none", names, active.isPresent(), active.map(Occurrence::start).orElse(null),
                active.map(Occurrence::end).orElse(null), next.map(Occurrence::start).orElse(null),
                next.map(Occurrence::end).orElse(null), meta.get(0).string(0), meta.get(0).instant(1),
                meta.get(0).instant(2));
    }

    /** Creates a window; every field's problem at once (400 naming it), nothing stored on a refusal. */
    @Transactional
    public UUID create(WindowRequest request) {
        if (request == null) {
            throw ProblemException.invalid("body", "is required");
        }
        List<Problem.FieldError> errors = new ArrayList<>();
        List<UUID> ids = request.serviceIds() == null ? List.of() : request.serviceIds().stream().distinct().toList();
        if (ids.isEmpty()) {
            errors.add(new Problem.FieldError("serviceIds", "names at least one service"));
        }
        for (UUID id : ids) {
            Optional<TechnicalService> s = id == null ? Optional.empty() : services.findByIdOptional(id);
            if (s.isEmpty() || s.get().archivedAt != null) {
                errors.add(new Problem.FieldError("serviceIds", id + " is not an active service of the catalog"));
            }
        }
        String reason = null;
        try {
            reason = request.reason() == null || request.reason().isBlank() ? null
                    : Text.check("reason", request.reason().strip(), true);
            if (reason == null) {
                errors.add(new Problem.FieldError("reason", "is required: what is being done"));
            } else if (reason.length() > 500) {
                errors.add(new Problem.FieldError("reason", "must be at most 500 characters"));
            }
        } catch (ProblemException e) {
            errors.addAll(e.errors());
        }
        ZoneId zone = null;
        if (request.timeZone() == null || request.timeZone().isBlank()) {
            errors.add(new Problem.FieldError("timeZone", "is required, e.g. Asia/Tokyo"));
        } else {
            try {
                zone = ZoneId.of(request.timeZone().strip());
            } catch (DateTimeException e) {
                errors.add(new Problem.FieldError("timeZone", "is not a time zone (e.g. Asia/Tokyo, Europe/Berlin)"));
            }
        }
        String recurrence = request.recurrence() == null || request.recurrence().isBlank() ? "none"
                : request.recurrence().strip();
        if (!List.of("none", "weekly").contains(recurrence)) {
            errors.add(new Problem.FieldError("recurrence", "must be none or weekly"));
        }
        if (request.startsAt() == null) {
            errors.add(new Problem.FieldError("startsAt", "is required (local date and time, YYYY-MM-DDTHH:MM)"));
        }
        if (request.endsAt() == null) {
            errors.add(new Problem.FieldError("endsAt", "is required (local date and time, YYYY-MM-DDTHH:MM)"));
        }
        if (request.startsAt() != null && request.endsAt() != null) {
            if (!request.endsAt().isAfter(request.startsAt())) {
                errors.add(new Problem.FieldError("endsAt", "must be after startsAt"));
            } else if ("weekly".equals(recurrence)
                    && Duration.between(request.startsAt(), request.endsAt()).compareTo(WEEK) > 0) {
                errors.add(new Problem.FieldError("endsAt", "a weekly window is at most 7 days long"));
            } else if (zone != null && "none".equals(recurrence)
                    && !request.endsAt().atZone(zone).toInstant().isAfter(Instant.now())) {
                errors.add(new Problem.FieldError("endsAt", "is in the past"));
            }
            if (request.startsAt().getYear() < 2000 || request.endsAt().getYear() > 9999) {
                errors.add(new Problem.FieldError("startsAt", "is out of range"));
            }
        }
        if (!errors.isEmpty()) {
            throw ProblemException.invalid(errors);
        }
        UUID id = UUID.randomUUID();
        sql.update("""
                insert into maintenance_window (id, reason, starts_at, ends_at, time_zone, recurrence, created_by, created_at)
                values (?, ?, ?, ?, ?, ?, ?, ?)""", id, reason, request.startsAt(), request.endsAt(), zone.getId(),
                recurrence, actors.username(), Instant.now());
        for (UUID service : ids) {
            sql.update("insert into maintenance_window_service (window_id, service_id) values (?, ?)", id, service);
        }
        worker.wakeAfterCommit(); // every replica reloads
        return id;
    }

    /** Cancels a window (its held alerts stay visible). */
    @Transactional
    public void cancel(UUID id) {
        int changed = sql.update("""
                update maintenance_window set cancelled_at = ?, cancelled_by = ? where id = ? and cancelled_at is null""",
                Instant.now(), actors.username(), id);
        if (changed == 0 && sql.query("select 1 from maintenance_window where id = ?", id).isEmpty()) {
            throw ProblemException.notFound("Maintenance window", id);
        }
        worker.wakeAfterCommit(); // every replica reloads
    }

    /** Alerts held by windows of the service, newest first. */
    @Transactional
    public List<HeldAlert> held(UUID serviceId, int limit) {
        return sql.query("""
                select a.id, a.window_id, w.reason, a.kind, a.dedup_key, a.summary, a.severity, a.source, a.first_at,
                       a.last_at, a.event_count
                from suppressed_alert a join maintenance_window w on w.id = a.window_id
                where a.service_id = ? order by a.last_at desc limit ?""", serviceId, limit).stream()
                .map(r -> new HeldAlert(r.uuid(0), r.uuid(1), r.string(2), r.string(3), r.string(4), r.string(5),
                        r.string(6), r.string(7), r.instant(8), r.instant(9), r.integer(10)))
                .toList();
    }

    public String mode(UUID serviceId) {
        return services.findByIdOptional(serviceId).map(s -> s.maintenanceMode)
                .orElseThrow(() -> ProblemException.notFound("Service", serviceId));
    }

    /** Sets what a window does to the service's alerts: suppress or low_urgency. */
    @Transactional
    public String setMode(UUID serviceId, String mode) {
        String m = mode == null ? null : mode.strip();
        if (!SUPPRESS.equals(m) && !LOW_URGENCY.equals(m)) {
            throw ProblemException.invalid("mode", "must be suppress or low_urgency");
        }
        TechnicalService service = services.findByIdOptional(serviceId)
                .orElseThrow(() -> ProblemException.notFound("Service", serviceId));
        service.maintenanceMode = m;
        service.updatedAt = Instant.now();
        return m;
    }
}

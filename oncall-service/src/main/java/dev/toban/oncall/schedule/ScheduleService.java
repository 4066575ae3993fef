package dev.toban.oncall.schedule;

import dev.toban.contracts.oncall.OnCallContracts.ScheduleChanged;
import dev.toban.contracts.oncall.OnCallContracts;
import dev.toban.oncall.common.References;
import dev.toban.oncall.common.Validation;
import dev.toban.oncall.handoff.HandoffService;
import dev.toban.oncall.handoff.HandoffTicker;
import dev.toban.oncall.model.LayerRestriction;
import dev.toban.oncall.model.PersonRepository;
import dev.toban.oncall.model.Schedule;
import dev.toban.oncall.model.ScheduleLayer;
import dev.toban.oncall.model.ScheduleOverrideRepository;
import dev.toban.oncall.model.ScheduleRepository;
import dev.toban.oncall.model.TeamRepository;
import dev.toban.oncall.rotation.Rotation;
import dev.toban.oncall.rotation.ShiftRenderer;
import dev.toban.oncall.rotation.ShiftUnit;
import dev.toban.oncall.security.Caller;
import dev.toban.oncall.snapshot.OnCallSnapshots;
import dev.toban.plumbing.input.SingleLine;
import dev.toban.plumbing.outbox.Outbox;
import dev.toban.plumbing.problem.ProblemException;
import io.quarkus.panache.common.Sort;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.time.Clock;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

/** Schedules and their layers: one per team and role. */
@ApplicationScoped
public class ScheduleService {

    public static final String SCHEDULE_CREATED = OnCallContracts.SCHEDULE_CREATED.name();
    public static final String SCHEDULE_UPDATED = OnCallContracts.SCHEDULE_UPDATED.name();
    static final LocalDate EARLIEST_START = LocalDate.of(2000, 1, 1);
    static final LocalDate LATEST_START = LocalDate.of(2200, 1, 1);

    private final ScheduleRepository schedules;
    private final ScheduleOverrideRepository overrideRepository;
    private final TeamRepository teams;
    private final PersonRepository people;
    private final Outbox outbox;
    private final OnCallSnapshots snapshots;
    private final HandoffService handoffs;
    private final HandoffTicker ticker;
    private final References references;
    private final Caller caller;
    private final Clock clock;

    public ScheduleService(ScheduleRepository schedules, ScheduleOverrideRepository overrideRepository,
                           TeamRepository teams, PersonRepository people, Outbox outbox,
                           OnCallSnapshots snapshots, HandoffService handoffs, HandoffTicker ticker,
                           References references, Caller caller, Clock clock) {
        this.schedules = schedules;
        this.overrideRepository = overrideRepository;
        this.teams = teams;
        this.people = people;
        this.outbox = outbox;
        this.snapshots = snapshots;
        this.handoffs = handoffs;
        this.ticker = ticker;
        this.references = references;
        this.caller = caller;
        this.clock = clock;
    }

    public record ShiftLength(@NotNull @Min(1) @Max(1000) Integer amount, @NotNull ShiftUnit unit) {
    }

    public record RestrictionRequest(
            @NotNull @Size(min = 1, message = "must name at least one day") Set<@NotNull DayOfWeek> daysOfWeek,
            @NotNull LocalTime start,
            @NotNull LocalTime end) {
    }

    public record LayerRequest(
            UUID id,
            @NotBlank @Size(max = 100) @SingleLine String name,
            @NotNull Integer level,
            @NotNull @Size(min = 1, max = 100, message = "must list between 1 and 100 participants")
            List<@NotNull UUID> participantIds,
            @Min(1) @Max(20) Integer slots,
            @NotNull @Valid ShiftLength shiftLength,
            @NotNull LocalTime handoffTime,
            @NotNull LocalDate startDate,
            @Size(max = 20) List<@NotNull @Valid RestrictionRequest> restrictions) {
    }

    public record ScheduleRequest(
            @NotNull UUID teamId,
            @NotBlank @Size(max = 100) @SingleLine String name,
            @NotBlank @Size(max = 50) @Pattern(regexp = "^[a-z0-9][a-z0-9_-]*$",
                    message = "must be lower-case letters, digits, - or _, such as server") String role,
            @NotBlank @Size(max = 64) String timeZone,
            @Size(max = 1000) String description,
            @NotNull @Size(min = 1, max = 10, message = "must have between 1 and 10 layers")
            List<@NotNull @Valid LayerRequest> layers) {
    }

    public record RestrictionView(Set<DayOfWeek> daysOfWeek, LocalTime start, LocalTime end) {
    }

    public record LayerView(UUID id, String name, int level, List<UUID> participantIds, int slots,
                            ShiftLength shiftLength, LocalTime handoffTime, LocalDate startDate,
                            List<RestrictionView> restrictions) {
    }

    public record ScheduleView(UUID id, UUID teamId, String name, String role, String timeZone, String description,
                               List<LayerView> layers, Instant createdAt, Instant updatedAt, Instant archivedAt,
                               String archivedBy, long version) {
        static ScheduleView of(Schedule s) {
            return new ScheduleView(s.id, s.teamId, s.name, s.role, s.timeZone, s.description,
                    s.layers.stream().map(l -> new LayerView(l.id, l.name, l.level, List.copyOf(l.participants), l.slots,
                            new ShiftLength(l.shiftAmount, l.shiftUnit), l.handoffTime, l.startDate,
                            l.restrictions.stream().map(r -> new RestrictionView(OnCallSnapshots.days(r.daysOfWeek),
                                    r.startTime, r.endTime)).toList())).toList(),
                    s.createdAt, s.updatedAt, s.archivedAt, s.archivedBy, s.version);
        }
    }


    /** One stretch of a previewed rota: who is on call, in slot order, by name. */
    public record PreviewSegment(Instant start, Instant end, List<String> people, boolean override) {
    }

    /**
     * The final rota {@code request} would give over {@code [from, to)} (at most 366 days), through the same
     * validation and {@link ShiftRenderer} as the saved schedule, with the schedule's overrides when it
     * exists ({@code existingId}). Nothing is written: this is what the schedule page shows before saving.
     */
    @Transactional
    public List<PreviewSegment> preview(ScheduleRequest request, UUID existingId, Instant from, Instant to) {
        Schedule existing = existingId == null ? null
                : schedules.findByIdOptional(existingId).orElseThrow(() -> ProblemException.notFound("Schedule", existingId));
        if (!to.isAfter(from) || java.time.Duration.between(from, to).compareTo(OnCallService.MAX_RENDER) > 0) {
            throw ProblemException.invalid("to", "must be after from and at most 366 days after it");
        }
        ZoneId zone = validate(request, existing);
        List<Rotation.Layer> layers = new ArrayList<>();
        for (LayerRequest l : request.layers()) {
            List<Rotation.Restriction> restrictions = l.restrictions() == null ? List.of() : l.restrictions().stream()
                    .map(r -> new Rotation.Restriction(r.daysOfWeek(), r.start(), r.end())).toList();
            layers.add(new Rotation.Layer(l.id() == null ? UUID.randomUUID() : l.id(), l.name(), l.level(),
                    l.participantIds(), l.slots() == null ? 1 : l.slots(), l.shiftLength().amount(),
                    l.shiftLength().unit(), l.handoffTime(), l.startDate(), restrictions));
        }
        List<Rotation.Override> overrides = existingId == null ? List.of()
                : overrideRepository.windows(List.of(existingId), from, to).getOrDefault(existingId, List.of());
        List<Rotation.Segment> segments = ShiftRenderer.render(new Rotation.Schedule(existingId, zone, layers),
                overrides, from, to);
        Set<UUID> ids = new HashSet<>();
        segments.forEach(seg -> seg.assignments().forEach(a -> ids.add(a.personId())));
        Map<UUID, String> names = new HashMap<>();
        people.findByIds(ids).forEach(p -> names.put(p.id, p.name));
        return segments.stream().map(seg -> new PreviewSegment(seg.start(), seg.end(),
                        seg.assignments().stream().map(a -> names.getOrDefault(a.personId(), "?")).toList(),
                        seg.assignments().stream().anyMatch(a -> a.source() == Rotation.Source.OVERRIDE)))
                .toList();
    }

    /** Live schedules, optionally of one team and role. */
    public List<ScheduleView> list(UUID teamId, String role) {
        return list(teamId, role, false);
    }

    /** Schedules by name; archived ones only with {@code includeArchived}. */
    public List<ScheduleView> list(UUID teamId, String role, boolean includeArchived) {
        List<Schedule> all = teamId == null ? schedules.listAll(Sort.by("name")) : schedules.list("teamId", Sort.by("name"), teamId);
        return all.stream().filter(s -> includeArchived || !s.archived())
                .filter(s -> role == null || role.equalsIgnoreCase(s.role)).map(ScheduleView::of).toList();
    }

    public ScheduleView get(UUID id) {
        return schedules.findByIdOptional(id).map(ScheduleView::of).orElseThrow(() -> ProblemException.notFound("Schedule", id));
    }

    @Transactional
    public ScheduleView create(ScheduleRequest request) {
        return create(request, null, null);
    }

    /** Creates a schedule; fixed ids (schedule, then layers by position) are for demo data. */
    @Transactional
    public ScheduleView create(ScheduleRequest request, UUID fixedId, List<UUID> fixedLayerIds) {
        ZoneId zone = validate(request, null);
        Schedule s = new Schedule();
        s.id = fixedId == null ? UUID.randomUUID() : fixedId;
        s.createdAt = clock.instant();
        apply(s, request, zone, fixedLayerIds);
        schedules.persistAndFlush(s);
        snapshots.bump();
        outbox.publish(OnCallContracts.SCHEDULE_CREATED, s.id.toString(), eventData(s));
        ticker.wakeAfterCommit();
        return ScheduleView.of(s);
    }

    @Transactional
    public ScheduleView update(UUID id, ScheduleRequest request) {
        Schedule s = schedules.findByIdOptional(id).orElseThrow(() -> ProblemException.notFound("Schedule", id));
        if (s.archived()) {
            throw References.archived("schedule '" + s.name + "'");
        }
        ZoneId zone = validate(request, s);
        apply(s, request, zone, null);
        schedules.flush();
        snapshots.bump();
        outbox.publish(OnCallContracts.SCHEDULE_UPDATED, s.id.toString(), eventData(s));
        ticker.wakeAfterCommit();
        return ScheduleView.of(s);
    }

    /**
     * Archives a schedule no live escalation policy targets and with no open cover request (409 naming
     * them otherwise). Its open shifts end now; it leaves "who is on call", the handoff notices and the
     * lists, and keeps its overrides and requests as history. Archiving again changes nothing.
     */
    @Transactional
    public ScheduleView archive(UUID id) {
        Schedule s = schedules.lock(id).orElseThrow(() -> ProblemException.notFound("Schedule", id));
        if (s.archived()) {
            return ScheduleView.of(s);
        }
        Instant now = clock.instant();
        References.refuseArchive(references.toSchedule(id, s.name, now));
        handoffs.closeSchedule(s, now);
        s.archivedAt = now;
        s.archivedBy = caller.username();
        s.updatedAt = now;
        return changed(s);
    }

    /** Puts an archived schedule back, once its team and people are live and the role is free. */
    @Transactional
    public ScheduleView unarchive(UUID id) {
        Schedule s = schedules.lock(id).orElseThrow(() -> ProblemException.notFound("Schedule", id));
        if (!s.archived()) {
            return ScheduleView.of(s);
        }
        // hold the team and people as they are checked, so none is archived meanwhile
        references.lockActive(References.Table.TEAM, List.of(s.teamId));
        references.lockActive(References.Table.PERSON,
                s.layers.stream().flatMap(l -> l.participants.stream()).collect(Collectors.toSet()));
        References.refuseUnarchive("schedule '" + s.name + "'", references.archivedInSchedule(id));
        schedules.findByTeamAndRole(s.teamId, s.role).ifPresent(other -> {
            throw ProblemException.conflict("role", "team already has a '" + s.role + "' schedule ('" + other.name + "')");
        });
        s.archivedAt = null;
        s.archivedBy = null;
        s.updatedAt = clock.instant();
        return changed(s);
    }

    private ScheduleView changed(Schedule s) {
        schedules.flush();
        snapshots.bump();
        outbox.publish(OnCallContracts.SCHEDULE_UPDATED, s.id.toString(), eventData(s));
        ticker.wakeAfterCommit();
        return ScheduleView.of(s);
    }

    /** Checks everything before anything is written; returns the zone. */
    private ZoneId validate(ScheduleRequest request, Schedule existing) {
        Validation v = new Validation();
        ZoneId zone = v.zone("timeZone", request.timeZone());
        boolean teamActive = !references.lockActive(References.Table.TEAM, List.of(request.teamId())).isEmpty();
        if (!teams.findByIdOptional(request.teamId()).isPresent()) {
            v.add("teamId", "is not a known team");
        } else if (!teamActive) {
            v.add("teamId", "is an archived team");
        } else {
            schedules.findByTeamAndRole(request.teamId(), request.role())
                    .filter(other -> existing == null || !other.id.equals(existing.id))
                    .ifPresent(other -> {
                        throw ProblemException.conflict("role", "team already has a '" + request.role() + "' schedule");
                    });
        }
        Set<UUID> mentioned = new HashSet<>();
        request.layers().forEach(l -> mentioned.addAll(l.participantIds()));
        Set<UUID> active = references.lockActive(References.Table.PERSON, mentioned);
        Set<UUID> known = new HashSet<>();
        people.findByIds(mentioned).forEach(p -> known.add(p.id));
        Set<UUID> ownLayerIds = existing == null ? Set.of()
                : existing.layers.stream().map(l -> l.id).collect(Collectors.toSet());
        Set<Integer> levels = new HashSet<>();
        Set<UUID> layerIds = new HashSet<>();
        for (int i = 0; i < request.layers().size(); i++) {
            LayerRequest l = request.layers().get(i);
            String field = "layers[" + i + "]";
            if (l.id() != null && (!ownLayerIds.contains(l.id()) || !layerIds.add(l.id()))) {
                v.add(field + ".id", "is not a layer of this schedule; leave it out for a new layer");
            }
            if (!levels.add(l.level())) {
                v.add(field + ".level", "is used by another layer; each layer needs its own level");
            }
            Set<UUID> distinct = new HashSet<>();
            for (int j = 0; j < l.participantIds().size(); j++) {
                UUID p = l.participantIds().get(j);
                if (!known.contains(p)) {
                    v.add(field + ".participantIds[" + j + "]", "is not a known person");
                } else if (!active.contains(p)) {
                    v.add(field + ".participantIds[" + j + "]", "is an archived person");
                }
                distinct.add(p);
            }
            int slots = l.slots() == null ? 1 : l.slots();
            if (slots > distinct.size()) {
                v.add(field + ".slots", "must not exceed the number of distinct participants (" + distinct.size() + ")");
            } else if (slots > 1 && distinct.size() != l.participantIds().size()) {
                v.add(field + ".participantIds", "must not repeat a person when more than one slot is on call");
            }
            if (l.startDate().isBefore(EARLIEST_START) || l.startDate().isAfter(LATEST_START)) {
                v.add(field + ".startDate", "must be between 2000-01-01 and 2200-01-01");
            }
            if (l.restrictions() != null) {
                for (int k = 0; k < l.restrictions().size(); k++) {
                    RestrictionRequest r = l.restrictions().get(k);
                    if (r.start().getNano() != 0 || r.end().getNano() != 0 || r.start().getSecond() != 0
                            || r.end().getSecond() != 0) {
                        v.add(field + ".restrictions[" + k + "]", "start and end must be whole minutes");
                    }
                }
            }
            if (l.handoffTime().getSecond() != 0 || l.handoffTime().getNano() != 0) {
                v.add(field + ".handoffTime", "must be a whole minute such as 10:00");
            }
        }
        v.throwIfAny();
        return zone;
    }

    private void apply(Schedule s, ScheduleRequest request, ZoneId zone, List<UUID> fixedLayerIds) {
        s.teamId = request.teamId();
        s.name = request.name().strip();
        s.role = request.role();
        s.timeZone = zone.getId();
        s.description = request.description() == null || request.description().isBlank() ? null : request.description();
        s.updatedAt = clock.instant();
        Map<UUID, ScheduleLayer> existing = new HashMap<>();
        s.layers.forEach(l -> existing.put(l.id, l));
        List<ScheduleLayer> layers = new ArrayList<>();
        for (int i = 0; i < request.layers().size(); i++) {
            LayerRequest r = request.layers().get(i);
            ScheduleLayer layer = r.id() == null ? null : existing.get(r.id());
            if (layer == null) {
                layer = new ScheduleLayer();
                layer.id = fixedLayerIds != null && i < fixedLayerIds.size() ? fixedLayerIds.get(i) : UUID.randomUUID();
                layer.schedule = s;
            }
            layer.position = i;
            layer.name = r.name().strip();
            layer.level = r.level();
            layer.slots = r.slots() == null ? 1 : r.slots();
            layer.shiftAmount = r.shiftLength().amount();
            layer.shiftUnit = r.shiftLength().unit();
            layer.handoffTime = r.handoffTime();
            layer.startDate = r.startDate();
            layer.participants.clear();
            layer.participants.addAll(r.participantIds());
            layer.restrictions.clear();
            if (r.restrictions() != null) {
                for (RestrictionRequest rr : r.restrictions()) {
                    EnumSet<DayOfWeek> days = EnumSet.copyOf(rr.daysOfWeek());
                    layer.restrictions.add(new LayerRestriction(
                            days.stream().map(DayOfWeek::name).collect(Collectors.joining(",")), rr.start(), rr.end()));
                }
            }
            layers.add(layer);
        }
        s.layers.clear();
        s.layers.addAll(layers);
    }

    /** The {@code data} of this kind's created/updated events (the contract's record). */
    static ScheduleChanged eventData(Schedule p) {
        return new ScheduleChanged(p.id, p.name, p.teamId, p.role, p.timeZone, p.archived(), p.archivedAt, p.version);
    }
}

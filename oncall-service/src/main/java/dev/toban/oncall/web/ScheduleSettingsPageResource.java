package dev.toban.oncall.web;

import dev.toban.oncall.people.PersonService;
import dev.toban.oncall.people.PersonService.PersonView;
import dev.toban.oncall.rotation.ShiftUnit;
import dev.toban.oncall.schedule.OnCallService;
import dev.toban.oncall.schedule.OverrideService;
import dev.toban.oncall.schedule.OverrideService.OverrideRequest;
import dev.toban.oncall.schedule.OverrideService.OverrideView;
import dev.toban.oncall.schedule.ScheduleService;
import dev.toban.oncall.schedule.ScheduleService.LayerRequest;
import dev.toban.oncall.schedule.ScheduleService.LayerView;
import dev.toban.oncall.schedule.ScheduleService.PreviewSegment;
import dev.toban.oncall.schedule.ScheduleService.RestrictionRequest;
import dev.toban.oncall.schedule.ScheduleService.ScheduleRequest;
import dev.toban.oncall.schedule.ScheduleService.ScheduleView;
import dev.toban.oncall.schedule.ScheduleService.ShiftLength;
import dev.toban.oncall.team.TeamService;
import dev.toban.oncall.team.TeamService.TeamView;
import dev.toban.plumbing.problem.ProblemException;
import dev.toban.plumbing.security.Roles;
import dev.toban.plumbing.web.FormValues;
import dev.toban.plumbing.web.PageContext;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import io.vertx.ext.web.RoutingContext;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.format.TextStyle;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.jboss.resteasy.reactive.RestForm;

/**
 * Schedules as an admin sets them up: team, role and zone, then layers (rotation length and unit, handoff
 * time, first day, members in order, restrictions such as office hours or weekends) and overrides. The
 * Preview button renders the next four weeks of the unsaved form through the service's own validation
 * and {@link dev.toban.oncall.rotation.ShiftRenderer} without writing anything; Save writes it.
 */
@Path(ScheduleSettingsPageResource.PATH)
public class ScheduleSettingsPageResource {

    static final String PATH = SettingsPages.ROOT + "/schedules";
    /** How far the preview looks ahead. */
    static final Duration PREVIEW = Duration.ofDays(28);
    /** Empty participant rows offered under each layer's members. */
    static final int BLANK_PARTICIPANTS = 2;
    static final List<DayOfWeek> WEEK = List.of(DayOfWeek.values());

    public record Link(UUID id, String name) {
    }

    public record ScheduleItem(UUID id, String name, String team, UUID teamId, String role, String timeZone, int layers,
                               boolean archived) {
    }

    public record Option(String id, String name, boolean selected) {
    }

    public record ParticipantRow(int index, String personId, String order, String error) {
    }

    public record DayBox(String value, String label, boolean checked) {
    }

    public record RestrictionRow(int index, List<DayBox> days, String start, String end, boolean remove, boolean isNew,
                                 String error) {
    }

    public record LayerRow(int index, String id, String name, String level, String slots, String amount, String unit,
                           String handoffTime, String startDate, boolean remove, boolean isNew,
                           List<ParticipantRow> participants, List<RestrictionRow> restrictions, String nameError,
                           String levelError, String slotsError, String amountError, String unitError,
                           String handoffError, String startError, String participantsError, String restrictionsError) {
        /** The layer's number as people count, from 1. */
        public int number() {
            return index + 1;
        }
    }

    public record ScheduleForm(String teamId, String name, String role, String timeZone, String description,
                               String teamError, String nameError, String roleError, String timeZoneError,
                               String descriptionError, String layersError) {
    }

    /** A previewed stretch in the schedule's zone. */
    public record PreviewRow(String from, String to, String people, boolean override) {
    }

    public record OverrideRow(UUID id, String person, String replaces, String start, String end, String note) {
    }

    public record OverrideForm(String personId, String replacesPersonId, String start, String end, String note,
                               String personError, String replacesError, String startError, String endError,
                               String noteError) {
    }

    public record SchedulePage(UUID id, ScheduleForm form, List<LayerRow> layers, LayerRow newLayer, List<Option> teams,
                               List<Option> people, List<PreviewRow> preview, String previewZone,
                               List<OverrideRow> overrides, OverrideForm overrideForm, boolean editable,
                               Instant archivedAt, String archivedBy, List<String> errors, String done,
                               List<String> zones) {
        public boolean isNew() {
            return id == null;
        }
    }

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance list(PageContext ctx, List<ScheduleItem> schedules, boolean archived, String done,
                                            List<String> errors);

        static native TemplateInstance schedule(PageContext ctx, SchedulePage page);
    }

    private final SettingsPages settings;
    private final ScheduleService schedules;
    private final TeamService teams;
    private final PersonService people;
    private final OverrideService overrides;
    private final OnCallService onCall;
    private final Forms forms;

    public ScheduleSettingsPageResource(SettingsPages settings, ScheduleService schedules, TeamService teams,
                                        PersonService people, OverrideService overrides, OnCallService onCall,
                                        Forms forms) {
        this.settings = settings;
        this.schedules = schedules;
        this.teams = teams;
        this.people = people;
        this.overrides = overrides;
        this.onCall = onCall;
        this.forms = forms;
    }

    @GET
    @RolesAllowed(Roles.VIEWER)
    @Produces(MediaType.TEXT_HTML)
    @Operation(hidden = true)
    public TemplateInstance list(@QueryParam("archived") @DefaultValue("false") boolean archived, @QueryParam("done") String done,
                                 @Context HttpHeaders headers, RoutingContext routing) {
        return Templates.list(settings.context(headers, routing, "scheduleSettings.title"), items(archived), archived,
                SettingsPages.notice(done), List.of());
    }

    @GET
    @Path("/new")
    @RolesAllowed(Roles.ADMIN)
    @Produces(MediaType.TEXT_HTML)
    @Operation(hidden = true)
    public TemplateInstance blank(@Context HttpHeaders headers, RoutingContext routing) {
        PageContext ctx = settings.context(headers, routing, "scheduleSettings.new");
        return Templates.schedule(ctx, page(ctx, null, Typed.blank(onCall.now()), FormErrors.NONE, null, null, null));
    }

    /** Save or Preview ({@code op}) of a new schedule. */
    @POST
    @RolesAllowed(Roles.ADMIN)
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Produces(MediaType.TEXT_HTML)
    @Operation(hidden = true)
    public Response create(@RestForm String op, @Context HttpHeaders headers, RoutingContext routing) {
        PageContext ctx = settings.context(headers, routing, "scheduleSettings.new");
        return submit(ctx, null, op);
    }

    @GET
    @Path("/{id}")
    @RolesAllowed(Roles.VIEWER)
    @Produces(MediaType.TEXT_HTML)
    @Operation(hidden = true)
    public Response schedule(@PathParam("id") String id, @QueryParam("done") String done, @Context HttpHeaders headers,
                             RoutingContext routing) {
        PageContext ctx = settings.context(headers, routing, "scheduleSettings.title");
        try {
            ScheduleView s = schedules.get(SettingsPages.id("Schedule", id));
            return SettingsPages.html(200, Templates.schedule(ctx.with("settings", s.name()),
                    page(ctx, s, Typed.of(s), FormErrors.NONE, null, null, SettingsPages.notice(done))));
        } catch (ProblemException e) {
            return notFound(ctx, e);
        }
    }

    /** Save or Preview ({@code op}) of an existing schedule. */
    @POST
    @Path("/{id}")
    @RolesAllowed(Roles.ADMIN)
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Produces(MediaType.TEXT_HTML)
    @Operation(hidden = true)
    public Response update(@PathParam("id") String id, @RestForm String op, @Context HttpHeaders headers,
                           RoutingContext routing) {
        PageContext ctx = settings.context(headers, routing, "scheduleSettings.title");
        ScheduleView s;
        try {
            s = schedules.get(SettingsPages.id("Schedule", id));
        } catch (ProblemException e) {
            return notFound(ctx, e);
        }
        return submit(ctx.with("settings", s.name()), s, op);
    }

    private Response submit(PageContext ctx, ScheduleView saved, String op) {
        Typed typed = Typed.read(PageForm.current());
        boolean preview = "preview".equals(op);
        try {
            Parsed parsed = parse(typed);
            ScheduleRequest request;
            try {
                request = forms.valid(parsed.request());
                if (preview) {
                    Instant from = onCall.now();
                    List<PreviewSegment> segments = schedules.preview(request, saved == null ? null : saved.id(), from,
                            from.plus(PREVIEW));
                    return SettingsPages.html(200, Templates.schedule(ctx, page(ctx, saved, typed, FormErrors.NONE,
                            rows(segments, request.timeZone()), request.timeZone(), null)));
                }
                UUID id = saved == null ? schedules.create(request).id() : schedules.update(saved.id(), request).id();
                return SettingsPages.done(PATH + "/" + id, saved == null ? "created" : "saved");
            } catch (ProblemException e) {
                throw FormErrors.renamed(e, parsed.rows()::toForm);
            }
        } catch (ProblemException e) {
            return SettingsPages.html(e.status(), Templates.schedule(ctx, page(ctx, saved, typed, FormErrors.of(ctx, e),
                    null, null, null)));
        }
    }

    @POST
    @Path("/{id}/overrides")
    @RolesAllowed(Roles.ADMIN)
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Produces(MediaType.TEXT_HTML)
    @Operation(hidden = true)
    public Response addOverride(@PathParam("id") String id, @RestForm String personId, @RestForm String replacesPersonId,
                                @RestForm String start, @RestForm String end, @RestForm String note,
                                @Context HttpHeaders headers, RoutingContext routing) {
        PageContext ctx = settings.context(headers, routing, "scheduleSettings.title");
        ScheduleView s;
        try {
            s = schedules.get(SettingsPages.id("Schedule", id));
        } catch (ProblemException e) {
            return notFound(ctx, e);
        }
        TypedOverride typed = new TypedOverride(nz(personId), nz(replacesPersonId), nz(start), nz(end), nz(note));
        try {
            ZoneId zone = ZoneId.of(s.timeZone());
            PageForm check = new PageForm(Map.of());
            UUID person = check.required("personId", check.read("personId", () -> FormValues.uuid("personId", personId)));
            UUID replaces = check.read("replacesPersonId", () -> FormValues.uuid("replacesPersonId", replacesPersonId));
            java.time.LocalDateTime from = check.required("start", check.read("start", () -> FormValues.dateTime("start", start)));
            java.time.LocalDateTime to = check.required("end", check.read("end", () -> FormValues.dateTime("end", end)));
            String text = check.read("note", () -> FormValues.text("note", note, 500));
            check.throwIfInvalid();
            overrides.create(s.id(), new OverrideRequest(person, replaces, from.atZone(zone).toInstant(),
                    to.atZone(zone).toInstant(), text));
            return SettingsPages.done(PATH + "/" + s.id(), "overrideAdded");
        } catch (ProblemException e) {
            return SettingsPages.html(e.status(), Templates.schedule(ctx.with("settings", s.name()),
                    page(ctx, s, Typed.of(s), FormErrors.of(ctx, e), null, null, null, typed)));
        }
    }

    @POST
    @Path("/{id}/overrides/{overrideId}/remove")
    @RolesAllowed(Roles.ADMIN)
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Produces(MediaType.TEXT_HTML)
    @Operation(hidden = true)
    public Response removeOverride(@PathParam("id") String id, @PathParam("overrideId") String overrideId,
                                   @RestForm String csrf, @Context HttpHeaders headers, RoutingContext routing) {
        return act(id, headers, routing, "overrideRemoved", scheduleId -> {
            overrides.delete(scheduleId, SettingsPages.id("Override", overrideId));
            return null;
        });
    }

    @POST
    @Path("/{id}/archive")
    @RolesAllowed(Roles.ADMIN)
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Produces(MediaType.TEXT_HTML)
    @Operation(hidden = true)
    public Response archive(@PathParam("id") String id, @RestForm String csrf, @Context HttpHeaders headers,
                            RoutingContext routing) {
        return act(id, headers, routing, "archived", schedules::archive);
    }

    @POST
    @Path("/{id}/unarchive")
    @RolesAllowed(Roles.ADMIN)
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Produces(MediaType.TEXT_HTML)
    @Operation(hidden = true)
    public Response unarchive(@PathParam("id") String id, @RestForm String csrf, @Context HttpHeaders headers,
                              RoutingContext routing) {
        return act(id, headers, routing, "unarchived", schedules::unarchive);
    }

    private Response act(String id, HttpHeaders headers, RoutingContext routing, String done,
                         Function<UUID, ScheduleView> action) {
        PageContext ctx = settings.context(headers, routing, "scheduleSettings.title");
        ScheduleView s;
        try {
            s = schedules.get(SettingsPages.id("Schedule", id));
        } catch (ProblemException e) {
            return notFound(ctx, e);
        }
        try {
            action.apply(s.id());
            return SettingsPages.done(PATH + "/" + s.id(), done);
        } catch (ProblemException e) {
            ScheduleView now = schedules.get(s.id());
            return SettingsPages.html(e.status(), Templates.schedule(ctx.with("settings", now.name()),
                    page(ctx, now, Typed.of(now), FormErrors.of(ctx, e), null, null, null)));
        }
    }

    private Response notFound(PageContext ctx, ProblemException e) {
        return SettingsPages.html(e.status(), Templates.list(ctx, items(false), false, null,
                List.of(ProblemTexts.message(ctx, e.getMessage()))));
    }

    // ------------------------------------------------------------------ the form as typed

    record TypedParticipant(String personId, String order) {
    }

    record TypedRestriction(Set<String> days, String start, String end, String preset, boolean remove) {
    }

    record TypedLayer(String id, String name, String level, String slots, String amount, String unit, String handoffTime,
                      String startDate, boolean remove, List<TypedParticipant> participants,
                      List<TypedRestriction> restrictions) {
        boolean blankNew() {
            return id.isBlank() && name.isBlank() && participants.stream().allMatch(p -> p.personId().isBlank());
        }
    }

    record Typed(String teamId, String name, String role, String timeZone, String description, List<TypedLayer> layers) {

        static Typed blank(Instant now) {
            return new Typed("", "", "", "Asia/Tokyo", "", List.of(newLayer(1, LocalDate.ofInstant(now, ZoneId.of("Asia/Tokyo")))));
        }

        static Typed of(ScheduleView s) {
            List<TypedLayer> layers = new ArrayList<>();
            for (LayerView l : s.layers()) {
                List<TypedParticipant> participants = new ArrayList<>();
                for (int j = 0; j < l.participantIds().size(); j++) {
                    participants.add(new TypedParticipant(l.participantIds().get(j).toString(), String.valueOf(j + 1)));
                }
                List<TypedRestriction> restrictions = l.restrictions().stream()
                        .map(r -> new TypedRestriction(r.daysOfWeek().stream().map(DayOfWeek::name)
                                .collect(java.util.stream.Collectors.toCollection(LinkedHashSet::new)),
                                r.start().toString(), r.end().toString(), "", false))
                        .toList();
                layers.add(new TypedLayer(l.id().toString(), l.name(), String.valueOf(l.level()), String.valueOf(l.slots()),
                        String.valueOf(l.shiftLength().amount()), l.shiftLength().unit().name(), l.handoffTime().toString(),
                        l.startDate().toString(), false, participants, restrictions));
            }
            return new Typed(s.teamId().toString(), s.name(), s.role(), s.timeZone(), nz(s.description()), layers);
        }

        static Typed read(PageForm f) {
            List<TypedLayer> layers = new ArrayList<>();
            for (int i = 0, n = f.rows("layers"); i < n; i++) {
                String p = "layers[" + i + "].";
                List<TypedParticipant> participants = new ArrayList<>();
                for (int j = 0, m = f.rows(p + "participantIds"); j < m; j++) {
                    participants.add(new TypedParticipant(nz(f.one(p + "participantIds[" + j + "]")),
                            nz(f.one(p + "participantOrder[" + j + "]"))));
                }
                List<TypedRestriction> restrictions = new ArrayList<>();
                for (int k = 0, m = f.rows(p + "restrictions"); k < m; k++) {
                    String r = p + "restrictions[" + k + "].";
                    restrictions.add(new TypedRestriction(new LinkedHashSet<>(f.all(r + "daysOfWeek")), nz(f.one(r + "start")),
                            nz(f.one(r + "end")), nz(f.one(r + "preset")), f.checked(r + "remove")));
                }
                layers.add(new TypedLayer(nz(f.one(p + "id")), nz(f.one(p + "name")), nz(f.one(p + "level")),
                        nz(f.one(p + "slots")), nz(f.one(p + "shiftLength.amount")), nz(f.one(p + "shiftLength.unit")),
                        nz(f.one(p + "handoffTime")), nz(f.one(p + "startDate")), f.checked(p + "remove"), participants,
                        restrictions));
            }
            return new Typed(nz(f.one("teamId")), nz(f.one("name")), nz(f.one("role")), nz(f.one("timeZone")),
                    nz(f.one("description")), layers);
        }
    }

    static TypedLayer newLayer(int level, LocalDate start) {
        return new TypedLayer("", "", String.valueOf(level), "1", "1", ShiftUnit.WEEKS.name(), "10:00", start.toString(),
                false, List.of(), List.of());
    }

    record TypedOverride(String personId, String replacesPersonId, String start, String end, String note) {
    }

    record Parsed(ScheduleRequest request, RowMap rows) {
    }

    /**
     * The request the form means: removed rows and the blank new layer, participant and restriction rows
     * are left out; participants are taken in the order of their numbers (the up/down buttons renumber
     * them; without JavaScript the numbers are typed); a restriction preset fills in its days and hours.
     */
    static Parsed parse(Typed t) {
        PageForm check = new PageForm(Map.of());
        RowMap rows = new RowMap();
        UUID teamId = check.read("teamId", () -> FormValues.uuid("teamId", t.teamId()));
        String name = check.read("name", () -> FormValues.line("name", t.name(), 100));
        String description = check.read("description", () -> FormValues.text("description", t.description(), 1000));
        List<LayerRequest> layers = new ArrayList<>();
        for (int i = 0; i < t.layers().size(); i++) {
            TypedLayer l = t.layers().get(i);
            if (l.remove() || l.blankNew()) {
                continue;
            }
            String p = "layers[" + i + "].";
            record Ordered(UUID id, double order, int row) {
            }
            List<Ordered> ordered = new ArrayList<>();
            for (int j = 0; j < l.participants().size(); j++) {
                TypedParticipant tp = l.participants().get(j);
                if (tp.personId().isBlank()) {
                    continue;
                }
                String field = p + "participantIds[" + j + "]";
                UUID person = check.read(field, () -> FormValues.uuid(field, tp.personId()));
                String orderField = p + "participantOrder[" + j + "]";
                Integer order = check.read(orderField, () -> FormValues.integer(orderField, tp.order()));
                ordered.add(new Ordered(person, order == null ? Double.MAX_VALUE : order + j / 1000.0, j));
            }
            ordered.sort(Comparator.comparingDouble(Ordered::order));
            List<UUID> participants = new ArrayList<>();
            for (Ordered o : ordered) {
                participants.add(o.id());
                rows.add("layers[" + i + "].participantIds", o.row());
            }
            List<RestrictionRequest> restrictions = new ArrayList<>();
            for (int k = 0; k < l.restrictions().size(); k++) {
                TypedRestriction r = preset(l.restrictions().get(k));
                if (r.remove() || r.days().isEmpty() && r.start().isBlank() && r.end().isBlank()) {
                    continue;
                }
                String rp = p + "restrictions[" + k + "].";
                Set<DayOfWeek> days = EnumSet.noneOf(DayOfWeek.class);
                for (String d : r.days()) {
                    check.read(rp + "daysOfWeek", () -> days.add(day(rp + "daysOfWeek", d)));
                }
                restrictions.add(new RestrictionRequest(days, time(check, rp + "start", r.start()), time(check, rp + "end", r.end())));
                rows.add("layers[" + i + "].restrictions", k);
            }
            Integer amount = check.read(p + "shiftLength.amount", () -> FormValues.integer(p + "shiftLength.amount", l.amount()));
            ShiftUnit unit = check.read(p + "shiftLength.unit", () -> unit(p + "shiftLength.unit", l.unit()));
            layers.add(new LayerRequest(
                    check.read(p + "id", () -> FormValues.uuid(p + "id", l.id())),
                    check.read(p + "name", () -> FormValues.line(p + "name", l.name(), 100)),
                    check.read(p + "level", () -> FormValues.integer(p + "level", l.level())),
                    participants,
                    check.read(p + "slots", () -> FormValues.integer(p + "slots", l.slots())),
                    new ShiftLength(amount, unit),
                    time(check, p + "handoffTime", l.handoffTime()),
                    check.read(p + "startDate", () -> FormValues.date(p + "startDate", l.startDate())),
                    restrictions));
            rows.add("layers", i);
        }
        check.throwIfInvalid();
        return new Parsed(new ScheduleRequest(teamId, name == null ? "" : name, t.role().strip(), t.timeZone().strip(),
                description, layers), rows);
    }

    /** Office hours (Monday to Friday, 10:00-19:00) or weekends (Saturday and Sunday, whole days), if chosen. */
    static TypedRestriction preset(TypedRestriction r) {
        return switch (r.preset()) {
            case "office" -> new TypedRestriction(new LinkedHashSet<>(List.of("MONDAY", "TUESDAY", "WEDNESDAY", "THURSDAY",
                    "FRIDAY")), "10:00", "19:00", "", r.remove());
            case "weekends" -> new TypedRestriction(new LinkedHashSet<>(List.of("SATURDAY", "SUNDAY")), "00:00", "00:00",
                    "", r.remove());
            default -> r;
        };
    }

    private static LocalTime time(PageForm check, String field, String value) {
        return check.read(field, () -> {
            if (value == null || value.isBlank()) {
                return null;
            }
            try {
                return LocalTime.parse(value.strip());
            } catch (java.time.DateTimeException e) {
                throw ProblemException.invalid(field, "is not a time (HH:MM)");
            }
        });
    }

    private static DayOfWeek day(String field, String value) {
        try {
            return DayOfWeek.valueOf(value);
        } catch (IllegalArgumentException e) {
            throw ProblemException.invalid(field, "must be one of MONDAY, TUESDAY, WEDNESDAY, THURSDAY, FRIDAY, SATURDAY, SUNDAY");
        }
    }

    private static ShiftUnit unit(String field, String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return ShiftUnit.valueOf(value);
        } catch (IllegalArgumentException e) {
            throw ProblemException.invalid(field, "must be one of HOURS, DAYS, WEEKS");
        }
    }

    // ------------------------------------------------------------------ rendering

    private SchedulePage page(PageContext ctx, ScheduleView saved, Typed t, FormErrors errors, List<PreviewRow> preview,
                              String previewZone, String done) {
        return page(ctx, saved, t, errors, preview, previewZone, done, null);
    }

    private SchedulePage page(PageContext ctx, ScheduleView saved, Typed t, FormErrors errors, List<PreviewRow> preview,
                              String previewZone, String done, TypedOverride override) {
        boolean archived = saved != null && saved.archivedAt() != null;
        boolean editable = ctx.admin() && !archived;
        Locale locale = ctx.ja() ? Locale.JAPANESE : Locale.ENGLISH;
        ScheduleForm form = new ScheduleForm(t.teamId(), t.name(), t.role(), t.timeZone(), t.description(),
                errors.at("teamId"), errors.at("name"), errors.at("role"), errors.at("timeZone"), errors.at("description"),
                errors.at("layers"));
        // a blank new layer is the "add a layer" one (typed back after a refusal or a preview, or a fresh one)
        List<LayerRow> layers = new ArrayList<>();
        LayerRow newLayer = null;
        int lastBlank = -1;
        for (int i = 0; i < t.layers().size(); i++) {
            lastBlank = t.layers().get(i).blankNew() ? i : lastBlank;
        }
        for (int i = 0; i < t.layers().size(); i++) {
            TypedLayer l = t.layers().get(i);
            if (editable && i == lastBlank && t.layers().size() > 1) {
                newLayer = layerRow(i, l, errors, true, locale);
            } else {
                layers.add(layerRow(i, l, errors, editable, locale));
            }
        }
        if (editable && newLayer == null) {
            int level = t.layers().stream().mapToInt(l -> parseOr(l.level(), 0)).max().orElse(0) + 1;
            newLayer = layerRow(t.layers().size(), newLayer(level, LocalDate.ofInstant(onCall.now(), zoneOr(t.timeZone()))),
                    errors, true, locale);
        }

        List<Option> teamOptions = teams.list(false).stream()
                .map(team -> new Option(team.id().toString(), team.name(), team.id().toString().equals(t.teamId()))).toList();
        if (saved != null && teamOptions.stream().noneMatch(Option::selected)) {
            // an archived team stays shown as the schedule's own
            TeamView own = teams.get(saved.teamId());
            List<Option> withOwn = new ArrayList<>(teamOptions);
            withOwn.add(0, new Option(own.id().toString(), own.name(), own.id().toString().equals(t.teamId())));
            teamOptions = withOwn;
        }
        Map<String, String> names = new HashMap<>();
        List<Option> personOptions = new ArrayList<>();
        for (PersonView p : people.list(true)) {
            names.put(p.id().toString(), p.name());
            if (p.archivedAt() == null) {
                personOptions.add(new Option(p.id().toString(), p.name(), false));
            }
        }

        List<OverrideRow> overrideRows = List.of();
        OverrideForm overrideForm = null;
        if (saved != null) {
            Instant now = onCall.now();
            String zone = saved.timeZone();
            overrideRows = overrides.list(saved.id(), now, now.plus(Duration.ofDays(366))).stream()
                    .map(o -> new OverrideRow(o.id(), name(o.person() == null ? null : o.person().name()),
                            o.replaces() == null ? null : o.replaces().name(), Times.at(o.start(), zone),
                            Times.at(o.end(), zone), o.note()))
                    .toList();
            TypedOverride typed = override != null ? override : new TypedOverride("", "", "", "", "");
            overrideForm = new OverrideForm(typed.personId(), typed.replacesPersonId(), typed.start(), typed.end(),
                    typed.note(), override == null ? null : errors.at("personId"),
                    override == null ? null : errors.at("replacesPersonId"), override == null ? null : errors.at("start"),
                    override == null ? null : errors.at("end"), override == null ? null : errors.at("note"));
        }
        return new SchedulePage(saved == null ? null : saved.id(), form, layers, newLayer, teamOptions, personOptions,
                preview, previewZone, overrideRows, overrideForm, editable, saved == null ? null : saved.archivedAt(),
                saved == null ? null : saved.archivedBy(), errors.others(), done, SettingsPages.ZONES);
    }

    private static String name(String name) {
        return name == null ? "?" : name;
    }

    private static LayerRow layerRow(int i, TypedLayer l, FormErrors errors, boolean editable, Locale locale) {
        String p = "layers[" + i + "].";
        List<ParticipantRow> participants = new ArrayList<>();
        for (int j = 0; j < l.participants().size(); j++) {
            TypedParticipant tp = l.participants().get(j);
            participants.add(new ParticipantRow(j, tp.personId(), tp.order(),
                    join(errors.at(p + "participantIds[" + j + "]"), errors.at(p + "participantOrder[" + j + "]"))));
        }
        if (editable) {
            int next = l.participants().stream().mapToInt(tp -> parseOr(tp.order(), 0)).max().orElse(0);
            long blanks = l.participants().stream().filter(tp -> tp.personId().isBlank()).count();
            for (long b = blanks; b < BLANK_PARTICIPANTS; b++) {
                participants.add(new ParticipantRow(participants.size(), "", String.valueOf(++next), null));
            }
        }
        List<RestrictionRow> restrictions = new ArrayList<>();
        for (int k = 0; k < l.restrictions().size(); k++) {
            TypedRestriction r = preset(l.restrictions().get(k)); // a chosen preset shows as its days and hours
            String rp = p + "restrictions[" + k + "]";
            boolean blank = r.days().isEmpty() && r.start().isBlank() && r.end().isBlank();
            restrictions.add(new RestrictionRow(k, days(r.days(), locale), r.start(), r.end(), r.remove(), blank,
                    join(join(errors.at(rp), errors.at(rp + ".daysOfWeek")), join(errors.at(rp + ".start"), errors.at(rp + ".end")))));
        }
        if (editable && l.restrictions().stream().noneMatch(r -> r.days().isEmpty() && r.start().isBlank() && r.end().isBlank())) {
            restrictions.add(new RestrictionRow(restrictions.size(), days(Set.of(), locale), "", "", false, true, null));
        }
        return new LayerRow(i, l.id(), l.name(), l.level(), l.slots(), l.amount(), l.unit(), l.handoffTime(), l.startDate(),
                l.remove(), l.id().isBlank(), participants, restrictions,
                join(errors.at(p + "name"), errors.at(p + "id")), errors.at(p + "level"), errors.at(p + "slots"),
                join(errors.at(p + "shiftLength.amount"), errors.at(p + "shiftLength")), errors.at(p + "shiftLength.unit"),
                errors.at(p + "handoffTime"), errors.at(p + "startDate"),
                join(errors.at(p + "participantIds"), errors.at("layers[" + i + "]")), errors.at(p + "restrictions"));
    }

    private static List<DayBox> days(Set<String> chosen, Locale locale) {
        return WEEK.stream().map(d -> new DayBox(d.name(), d.getDisplayName(TextStyle.SHORT, locale), chosen.contains(d.name())))
                .toList();
    }

    /** The previewed segments as rows, in the schedule's zone. */
    private static List<PreviewRow> rows(List<PreviewSegment> segments, String zone) {
        return segments.stream().map(s -> new PreviewRow(Times.at(s.start(), zone), Times.at(s.end(), zone),
                String.join(", ", s.people()), s.override())).toList();
    }

    private List<ScheduleItem> items(boolean archived) {
        Map<UUID, String> teamNames = new HashMap<>();
        teams.list(true).forEach(t -> teamNames.put(t.id(), t.name()));
        return schedules.list(null, null, archived).stream()
                .map(s -> new ScheduleItem(s.id(), s.name(), teamNames.getOrDefault(s.teamId(), ""), s.teamId(), s.role(),
                        s.timeZone(), s.layers().size(), s.archivedAt() != null))
                .toList();
    }

    private static ZoneId zoneOr(String zone) {
        try {
            return ZoneId.of(zone);
        } catch (java.time.DateTimeException | NullPointerException e) {
            return ZoneId.of("Asia/Tokyo");
        }
    }

    private static int parseOr(String value, int fallback) {
        try {
            return Integer.parseInt(value.strip());
        } catch (NumberFormatException | NullPointerException e) {
            return fallback;
        }
    }

    private static String join(String a, String b) {
        return a == null ? b : b == null ? a : a + " " + b;
    }

    private static String nz(String s) {
        return s == null ? "" : s;
    }
}

package dev.toban.oncall.web;

import dev.toban.oncall.client.ServiceCatalogApi.Service;
import dev.toban.oncall.client.ServiceCatalogClient;
import dev.toban.oncall.escalation.EscalationPolicyService;
import dev.toban.oncall.escalation.EscalationPolicyService.LevelRequest;
import dev.toban.oncall.escalation.EscalationPolicyService.PolicyRequest;
import dev.toban.oncall.escalation.EscalationPolicyService.PolicyView;
import dev.toban.oncall.escalation.EscalationPolicyService.TargetRequest;
import dev.toban.oncall.people.PersonService;
import dev.toban.oncall.people.PersonService.PersonView;
import dev.toban.oncall.schedule.ScheduleService;
import dev.toban.oncall.schedule.ScheduleService.ScheduleView;
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
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.jboss.resteasy.reactive.RestForm;

/**
 * Escalation policies: levels of targets (schedules and people, chosen by name), how long each level
 * waits for an acknowledgement, how often the policy repeats, and which of incident-service's services
 * page through it (asked through {@link ServiceCatalogClient}; "cannot be checked right now" when it
 * does not answer). Admins edit; everyone else reads.
 */
@Path(PolicyPageResource.PATH)
public class PolicyPageResource {

    static final String PATH = SettingsPages.ROOT + "/escalation-policies";
    /** Empty target rows offered under each level. */
    static final int BLANK_TARGETS = 2;

    public record PolicyItem(UUID id, String name, int levels, int repeatCount, boolean archived) {
    }

    /** A schedule or person a level may page; {@code value} is {@code type:id}. */
    public record Target(String value, String name) {
    }

    public record TargetRow(int index, String value, String error) {
    }

    public record LevelRow(int index, String delayMinutes, boolean remove, boolean isNew, List<TargetRow> targets,
                           String delayError, String targetsError) {
        public int number() {
            return index + 1;
        }
    }

    public record PolicyForm(String name, String description, String repeatCount, String nameError,
                             String descriptionError, String repeatError, String levelsError) {
    }

    public record ServiceLink(UUID id, String name) {
    }

    public record PolicyPage(UUID id, PolicyForm form, List<LevelRow> levels, LevelRow newLevel, List<Target> schedules,
                             List<Target> people, boolean servicesKnown, List<ServiceLink> services, boolean editable,
                             Instant archivedAt, String archivedBy, List<String> errors, String done) {
        public boolean isNew() {
            return id == null;
        }
    }

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance list(PageContext ctx, List<PolicyItem> policies, boolean archived, String done,
                                            List<String> errors);

        static native TemplateInstance policy(PageContext ctx, PolicyPage page);
    }

    private final SettingsPages settings;
    private final EscalationPolicyService policies;
    private final ScheduleService schedules;
    private final PersonService people;
    private final ServiceCatalogClient catalog;
    private final Forms forms;

    public PolicyPageResource(SettingsPages settings, EscalationPolicyService policies, ScheduleService schedules,
                              PersonService people, ServiceCatalogClient catalog, Forms forms) {
        this.settings = settings;
        this.policies = policies;
        this.schedules = schedules;
        this.people = people;
        this.catalog = catalog;
        this.forms = forms;
    }

    @GET
    @RolesAllowed(Roles.VIEWER)
    @Produces(MediaType.TEXT_HTML)
    @Operation(hidden = true)
    public TemplateInstance list(@QueryParam("archived") @DefaultValue("false") boolean archived, @QueryParam("done") String done,
                                 @Context HttpHeaders headers, RoutingContext routing) {
        return Templates.list(settings.context(headers, routing, "policies.title"), items(archived), archived,
                SettingsPages.notice(done), List.of());
    }

    @GET
    @Path("/new")
    @RolesAllowed(Roles.ADMIN)
    @Produces(MediaType.TEXT_HTML)
    @Operation(hidden = true)
    public TemplateInstance blank(@Context HttpHeaders headers, RoutingContext routing) {
        PageContext ctx = settings.context(headers, routing, "policies.new");
        return Templates.policy(ctx, page(ctx, null, Typed.blank(), FormErrors.NONE, null));
    }

    @POST
    @RolesAllowed(Roles.ADMIN)
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Produces(MediaType.TEXT_HTML)
    @Operation(hidden = true)
    public Response create(@RestForm String csrf, @Context HttpHeaders headers, RoutingContext routing) {
        PageContext ctx = settings.context(headers, routing, "policies.new");
        Typed typed = Typed.read(PageForm.current());
        try {
            Parsed parsed = parse(typed);
            PolicyView created;
            try {
                created = policies.create(forms.valid(parsed.request()));
            } catch (ProblemException e) {
                throw FormErrors.renamed(e, parsed.rows()::toForm);
            }
            return SettingsPages.done(PATH + "/" + created.id(), "created");
        } catch (ProblemException e) {
            return SettingsPages.html(e.status(), Templates.policy(ctx, page(ctx, null, typed, FormErrors.of(ctx, e), null)));
        }
    }

    @GET
    @Path("/{id}")
    @RolesAllowed(Roles.VIEWER)
    @Produces(MediaType.TEXT_HTML)
    @Operation(hidden = true)
    public Response policy(@PathParam("id") String id, @QueryParam("done") String done, @Context HttpHeaders headers,
                           RoutingContext routing) {
        PageContext ctx = settings.context(headers, routing, "policies.title");
        try {
            PolicyView p = policies.get(SettingsPages.id("Escalation policy", id));
            return SettingsPages.html(200, Templates.policy(ctx.with("settings", p.name()),
                    page(ctx, p, Typed.of(p), FormErrors.NONE, SettingsPages.notice(done))));
        } catch (ProblemException e) {
            return notFound(ctx, e);
        }
    }

    @POST
    @Path("/{id}")
    @RolesAllowed(Roles.ADMIN)
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Produces(MediaType.TEXT_HTML)
    @Operation(hidden = true)
    public Response update(@PathParam("id") String id, @RestForm String csrf, @Context HttpHeaders headers,
                           RoutingContext routing) {
        PageContext ctx = settings.context(headers, routing, "policies.title");
        PolicyView p;
        try {
            p = policies.get(SettingsPages.id("Escalation policy", id));
        } catch (ProblemException e) {
            return notFound(ctx, e);
        }
        Typed typed = Typed.read(PageForm.current());
        try {
            Parsed parsed = parse(typed);
            try {
                policies.update(p.id(), forms.valid(parsed.request()));
            } catch (ProblemException e) {
                throw FormErrors.renamed(e, parsed.rows()::toForm);
            }
            return SettingsPages.done(PATH + "/" + p.id(), "saved");
        } catch (ProblemException e) {
            return SettingsPages.html(e.status(), Templates.policy(ctx.with("settings", p.name()),
                    page(ctx, p, typed, FormErrors.of(ctx, e), null)));
        }
    }

    @POST
    @Path("/{id}/archive")
    @RolesAllowed(Roles.ADMIN)
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Produces(MediaType.TEXT_HTML)
    @Operation(hidden = true)
    public Response archive(@PathParam("id") String id, @RestForm String csrf, @Context HttpHeaders headers,
                            RoutingContext routing) {
        return act(id, headers, routing, "archived", policies::archive);
    }

    @POST
    @Path("/{id}/unarchive")
    @RolesAllowed(Roles.ADMIN)
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Produces(MediaType.TEXT_HTML)
    @Operation(hidden = true)
    public Response unarchive(@PathParam("id") String id, @RestForm String csrf, @Context HttpHeaders headers,
                              RoutingContext routing) {
        return act(id, headers, routing, "unarchived", policies::unarchive);
    }

    private Response act(String id, HttpHeaders headers, RoutingContext routing, String done,
                         Function<UUID, PolicyView> action) {
        PageContext ctx = settings.context(headers, routing, "policies.title");
        PolicyView p;
        try {
            p = policies.get(SettingsPages.id("Escalation policy", id));
        } catch (ProblemException e) {
            return notFound(ctx, e);
        }
        try {
            action.apply(p.id());
            return SettingsPages.done(PATH + "/" + p.id(), done);
        } catch (ProblemException e) {
            PolicyView now = policies.get(p.id());
            return SettingsPages.html(e.status(), Templates.policy(ctx.with("settings", now.name()),
                    page(ctx, now, Typed.of(now), FormErrors.of(ctx, e), null)));
        }
    }

    private Response notFound(PageContext ctx, ProblemException e) {
        return SettingsPages.html(e.status(), Templates.list(ctx, items(false), false, null,
                List.of(ProblemTexts.message(ctx, e.getMessage()))));
    }

    // ------------------------------------------------------------------ the form

    record TypedLevel(String delayMinutes, boolean remove, List<String> targets) {
        boolean blank() {
            return delayMinutes.isBlank() && targets.stream().allMatch(String::isBlank);
        }
    }

    record Typed(String name, String description, String repeatCount, List<TypedLevel> levels) {
        static Typed blank() {
            return new Typed("", "", "0", List.of(new TypedLevel("15", false, List.of())));
        }

        static Typed of(PolicyView p) {
            return new Typed(p.name(), nz(p.description()), String.valueOf(p.repeatCount()), p.levels().stream()
                    .map(l -> new TypedLevel(String.valueOf(l.delayMinutes()), false,
                            l.targets().stream().map(t -> t.type() + ":" + t.id()).toList()))
                    .toList());
        }

        static Typed read(PageForm f) {
            List<TypedLevel> levels = new ArrayList<>();
            for (int i = 0, n = f.rows("levels"); i < n; i++) {
                String p = "levels[" + i + "].";
                List<String> targets = new ArrayList<>();
                for (int j = 0, m = f.rows(p + "targets"); j < m; j++) {
                    targets.add(nz(f.one(p + "targets[" + j + "]")));
                }
                levels.add(new TypedLevel(nz(f.one(p + "delayMinutes")), f.checked(p + "remove"), targets));
            }
            return new Typed(nz(f.one("name")), nz(f.one("description")), nz(f.one("repeatCount")), levels);
        }
    }

    record Parsed(PolicyRequest request, RowMap rows) {
    }

    /** The request the form means: removed and blank levels, and blank target rows, are left out. */
    static Parsed parse(Typed t) {
        PageForm check = new PageForm(Map.of());
        RowMap rows = new RowMap();
        String name = check.read("name", () -> FormValues.line("name", t.name(), 100));
        String description = check.read("description", () -> FormValues.text("description", t.description(), 1000));
        Integer repeat = check.read("repeatCount", () -> FormValues.integer("repeatCount", t.repeatCount()));
        List<LevelRequest> levels = new ArrayList<>();
        for (int i = 0; i < t.levels().size(); i++) {
            TypedLevel l = t.levels().get(i);
            if (l.remove() || l.blank()) {
                continue;
            }
            String p = "levels[" + i + "].";
            List<TargetRequest> targets = new ArrayList<>();
            for (int j = 0; j < l.targets().size(); j++) {
                String value = l.targets().get(j);
                if (value.isBlank()) {
                    continue;
                }
                String field = p + "targets[" + j + "]";
                TargetRequest target = check.read(field, () -> target(field, value));
                if (target != null) {
                    targets.add(target);
                    rows.add("levels[" + i + "].targets", j);
                }
            }
            levels.add(new LevelRequest(check.read(p + "delayMinutes", () -> FormValues.integer(p + "delayMinutes",
                    l.delayMinutes())), targets));
            rows.add("levels", i);
        }
        check.throwIfInvalid();
        return new Parsed(new PolicyRequest(name == null ? "" : name, description, repeat, levels), rows);
    }

    /** {@code schedule:<id>} or {@code person:<id>}, as the target selects send them. */
    private static TargetRequest target(String field, String value) {
        int colon = value.indexOf(':');
        String type = colon < 0 ? "" : value.substring(0, colon);
        if (!type.equals("schedule") && !type.equals("person")) {
            throw ProblemException.invalid(field, "must be schedule or person");
        }
        return new TargetRequest(type, FormValues.uuid(field, value.substring(colon + 1)));
    }

    // ------------------------------------------------------------------ rendering

    private PolicyPage page(PageContext ctx, PolicyView saved, Typed t, FormErrors errors, String done) {
        boolean archived = saved != null && saved.archivedAt() != null;
        boolean editable = ctx.admin() && !archived;
        PolicyForm form = new PolicyForm(t.name(), t.description(), t.repeatCount(), errors.at("name"),
                errors.at("description"), errors.at("repeatCount"), errors.at("levels"));
        // a blank level is the "add a level" one (typed back after a refusal, or a fresh one)
        List<LevelRow> levels = new ArrayList<>();
        LevelRow newLevel = null;
        int lastBlank = -1;
        for (int i = 0; i < t.levels().size(); i++) {
            lastBlank = t.levels().get(i).blank() ? i : lastBlank;
        }
        for (int i = 0; i < t.levels().size(); i++) {
            TypedLevel l = t.levels().get(i);
            if (editable && i == lastBlank && t.levels().size() > 1) {
                newLevel = levelRow(i, l, errors, true, true);
            } else {
                levels.add(levelRow(i, l, errors, editable, false));
            }
        }
        if (editable && newLevel == null) {
            newLevel = levelRow(t.levels().size(), new TypedLevel("", false, List.of()), errors, true, true);
        }

        List<Target> scheduleTargets = new ArrayList<>();
        List<Target> personTargets = new ArrayList<>();
        Map<String, String> names = new HashMap<>();
        for (ScheduleView s : schedules.list(null, null, true)) {
            names.put("schedule:" + s.id(), s.name());
            if (s.archivedAt() == null) {
                scheduleTargets.add(new Target("schedule:" + s.id(), s.name()));
            }
        }
        for (PersonView p : people.list(true)) {
            names.put("person:" + p.id(), p.name());
            if (p.archivedAt() == null) {
                personTargets.add(new Target("person:" + p.id(), p.name()));
            }
        }
        // an archived target of a saved policy stays shown by name
        for (LevelRow l : levels) {
            for (TargetRow r : l.targets()) {
                if (!r.value().isBlank() && scheduleTargets.stream().noneMatch(x -> x.value().equals(r.value()))
                        && personTargets.stream().noneMatch(x -> x.value().equals(r.value())) && names.containsKey(r.value())) {
                    (r.value().startsWith("schedule:") ? scheduleTargets : personTargets)
                            .add(new Target(r.value(), names.get(r.value()) + " (" + ctx.t("settings.archived") + ")"));
                }
            }
        }

        boolean servicesKnown = true;
        List<ServiceLink> services = List.of();
        if (saved != null) {
            // a remote call: pages run outside any database transaction
            Optional<List<Service>> using = catalog.escalatingWith(saved.id());
            servicesKnown = using.isPresent();
            services = using.orElse(List.of()).stream().map(s -> new ServiceLink(s.id(), s.name())).toList();
        }
        return new PolicyPage(saved == null ? null : saved.id(), form, levels, newLevel, scheduleTargets, personTargets,
                servicesKnown, services, editable, saved == null ? null : saved.archivedAt(),
                saved == null ? null : saved.archivedBy(), errors.others(), done);
    }

    private static LevelRow levelRow(int i, TypedLevel l, FormErrors errors, boolean editable, boolean isNew) {
        String p = "levels[" + i + "].";
        List<TargetRow> targets = new ArrayList<>();
        for (int j = 0; j < l.targets().size(); j++) {
            String f = p + "targets[" + j + "]";
            targets.add(new TargetRow(j, l.targets().get(j), join(join(errors.at(f), errors.at(f + ".id")), errors.at(f + ".type"))));
        }
        if (editable) {
            long blanks = l.targets().stream().filter(String::isBlank).count();
            for (long b = blanks; b < BLANK_TARGETS; b++) {
                targets.add(new TargetRow(targets.size(), "", null));
            }
        }
        return new LevelRow(i, l.delayMinutes(), l.remove(), isNew, targets, errors.at(p + "delayMinutes"),
                join(errors.at(p + "targets"), errors.at("levels[" + i + "]")));
    }

    private List<PolicyItem> items(boolean archived) {
        return policies.list(archived).stream()
                .map(p -> new PolicyItem(p.id(), p.name(), p.levels().size(), p.repeatCount(), p.archivedAt() != null))
                .toList();
    }

    private static String join(String a, String b) {
        return a == null ? b : b == null ? a : a + " " + b;
    }

    private static String nz(String s) {
        return s == null ? "" : s;
    }
}

package dev.toban.incident.web;

import dev.toban.incident.catalog.CatalogService.KeyRequest;
import dev.toban.incident.catalog.CatalogService.KeyView;
import dev.toban.incident.catalog.CatalogService.NewKey;
import dev.toban.incident.catalog.CatalogService.ServiceRequest;
import dev.toban.incident.catalog.CatalogService.ServiceView;
import dev.toban.incident.catalog.CatalogService;
import dev.toban.incident.client.OnCallClient;
import dev.toban.incident.client.OnCallReference;
import dev.toban.incident.config.PublicLinks;
import dev.toban.incident.directory.TeamDirectoryService.TeamView;
import dev.toban.incident.directory.TeamDirectoryService;
import dev.toban.incident.grouping.AlertGrouping;
import dev.toban.incident.grouping.GroupingService;
import dev.toban.incident.ingestion.HeartbeatService;
import dev.toban.incident.maintenance.MaintenanceService;
import dev.toban.incident.model.IntegrationType;
import dev.toban.incident.model.PolicyTargetsCache;
import dev.toban.plumbing.problem.ProblemException;
import dev.toban.plumbing.security.Roles;
import dev.toban.plumbing.web.Flash;
import dev.toban.plumbing.web.FormValues;
import dev.toban.plumbing.web.PageContext;
import dev.toban.plumbing.web.Pages;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import io.quarkus.security.identity.SecurityIdentity;
import io.vertx.ext.web.RoutingContext;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.FormParam;
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
import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;

/**
 * Services and integrations (admin): the service catalog (owning team and escalation policy chosen by name,
 * runbook, Slack channel), and each service's integration keys, created, rotated and revoked on the page. A new
 * key is shown once, on the page the POST redirects to, with a ready {@code curl} (Events API v2) or an
 * Alertmanager {@code receivers:} snippet; it travels there in a sealed one-time cookie ({@link Flash}), never in a
 * URL. Everyone may read the catalog (as the API allows); keys and changes are for admins. Every change goes
 * through {@link CatalogService}, the same as {@code /api/services}.
 */
@Path("/ui/settings/services")
@Produces(MediaType.TEXT_HTML)
public class ServiceSettingsPageResource {

    static final String BASE = "/ui/settings/services";
    static final List<String> SERVICE_FIELDS = List.of("name", "description", "owningTeamId", "escalationPolicyId",
            "runbookUrl", "slackChannel");
    static final List<String> KEY_FIELDS = List.of("keyName", "keyType");
    /** The notices a redirect may ask for. */
    static final Set<String> DONE = Set.of("created", "saved", "archived", "unarchived", "key", "rotated", "revoked",
            "grouping", "window", "window_cancelled", "maintenance_mode", "heartbeat", "heartbeat_deleted");
    static final List<String> WINDOW_FIELDS = List.of("startsAt", "endsAt", "timeZone", "recurrence", "reason",
            "alsoServices");
    static final List<String> GROUPING_FIELDS = List.of("rule", "windowMinutes", "template");
    private static final String FLASH = "integration-key";
    private static final String HEARTBEAT_FLASH = "heartbeat-token";
    static final List<String> HEARTBEAT_FIELDS = List.of("name", "intervalMinutes", "graceMinutes");

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance list(PageContext ctx, List<Row> services, boolean archived, boolean policiesLive);

        static native TemplateInstance edit(PageContext ctx, ServiceView service, ServiceForm form, FormErrors errors,
                                            List<TeamView> teams, List<OnCallReference> policies, boolean policiesLive,
                                            List<KeyView> keys, KeyForm keyForm, FormErrors keyErrors, ShownKey shownKey,
                                            String notice, Row facts, GroupingForm grouping,
                                            FormErrors groupingErrors, Maintenance maintenance, Heartbeats heartbeats);
    }

    /** The heartbeat card: the monitors, a token just created (shown this once), the new-monitor form. */
    public record Heartbeats(List<HeartbeatService.MonitorView> monitors, ShownHeartbeat shown, HeartbeatForm form,
                             FormErrors errors) {
    }

    /** A monitor's token and URL, shown once after creating it, with a ready curl line for the job. */
    public record ShownHeartbeat(String name, String url, String curl) {
    }

    public record HeartbeatForm(String name, String intervalMinutes, String graceMinutes) {
        static final HeartbeatForm EMPTY = new HeartbeatForm("", "", "");
    }

    /** The maintenance card: the mode, current and upcoming windows, alerts held, and the new-window form. */
    public record Maintenance(String mode, List<MaintenanceService.WindowView> windows,
                              List<MaintenanceService.HeldAlert> held, WindowForm form, FormErrors errors,
                              List<ServiceView> others) {
        private static final java.time.format.DateTimeFormatter LOCAL =
                java.time.format.DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm");

        public String local(java.time.LocalDateTime t) {
            return t == null ? "" : LOCAL.format(t);
        }

        /** An instant with no zone of its own at hand (a held alert), in UTC and saying so. */
        public String utc(java.time.Instant t) {
            return t == null ? "" : LOCAL.format(java.time.LocalDateTime.ofInstant(t, java.time.ZoneOffset.UTC)) + " UTC";
        }

        public String at(java.time.Instant t, String zone) {
            return t == null ? "" : LOCAL.format(java.time.LocalDateTime.ofInstant(t, java.time.ZoneId.of(zone)));
        }
    }

    /** The new-window form as sent. */
    public record WindowForm(String startsAt, String endsAt, String timeZone, String recurrence, String reason,
                             List<String> alsoServices) {
        public boolean weekly() {
            return "weekly".equals(recurrence);
        }

        public boolean also(UUID serviceId) {
            return alsoServices.contains(serviceId.toString());
        }
    }

    /** The alert grouping form as sent (or as stored). */
    public record GroupingForm(String rule, String windowMinutes, String template, boolean autoResolve) {
        static final GroupingForm OFF = new GroupingForm("off", "", "", false);

        static GroupingForm of(AlertGrouping g) {
            return new GroupingForm(g.rule(), g.windowMinutes() == null ? "" : g.windowMinutes().toString(),
                    g.template() == null ? "" : g.template(), g.autoResolve());
        }

        public boolean is(String value) {
            return value.equals(rule);
        }
    }

    /** One service as the list shows it: names, not ids. */
    public record Row(ServiceView service, String teamName, String policyName, long activeKeys) {
    }

    /** The service form as sent, to show it again next to its problems. */
    public record ServiceForm(String name, String description, String owningTeamId, String escalationPolicyId,
                              String runbookUrl, String slackChannel) {
        static final ServiceForm EMPTY = new ServiceForm("", "", "", "", "", "");

        static ServiceForm of(ServiceView s) {
            return new ServiceForm(s.name(), nz(s.description()), s.owningTeam() == null ? "" : s.owningTeam().id().toString(),
                    String.valueOf(s.escalationPolicyId()), nz(s.runbookUrl()), nz(s.slackChannel()));
        }

        public boolean isTeam(UUID id) {
            return id.toString().equals(owningTeamId);
        }

        public boolean isPolicy(UUID id) {
            return id.toString().equals(escalationPolicyId);
        }
    }

    /** The new-key form as sent. */
    public record KeyForm(String keyName, String keyType) {
        static final KeyForm EMPTY = new KeyForm("", "events_v2");
    }

    /** A key just created or rotated, shown this once: the key, where to send, and what to paste. */
    public record ShownKey(String name, String type, String key, String endpoint, String snippet) {
        public boolean eventsV2() {
            return "events_v2".equals(type);
        }
    }

    private final Pages pages;
    private final SecurityIdentity identity;
    private final CatalogService catalog;
    private final TeamDirectoryService teams;
    private final OnCallClient oncall;
    private final PolicyTargetsCache policyCache;
    private final PublicLinks links;
    private final Forms forms;
    private final Flash flash;
    private final GroupingService grouping;
    private final MaintenanceService maintenance;
    private final HeartbeatService heartbeats;

    public ServiceSettingsPageResource(Pages pages, SecurityIdentity identity, CatalogService catalog,
                                       TeamDirectoryService teams, OnCallClient oncall, PolicyTargetsCache policyCache,
                                       PublicLinks links, Forms forms, Flash flash, GroupingService grouping,
                                       MaintenanceService maintenance, HeartbeatService heartbeats) {
        this.heartbeats = heartbeats;
        this.grouping = grouping;
        this.maintenance = maintenance;
        this.pages = pages;
        this.identity = identity;
        this.catalog = catalog;
        this.teams = teams;
        this.oncall = oncall;
        this.policyCache = policyCache;
        this.links = links;
        this.forms = forms;
        this.flash = flash;
    }

    // ------------------------------------------------------------------ pages

    @GET
    @RolesAllowed(Roles.VIEWER)
    @Operation(hidden = true)
    public TemplateInstance list(@Context HttpHeaders headers, RoutingContext routing,
                                 @QueryParam("archived") String archived) {
        PageContext ctx = context(headers, routing, "services.title");
        boolean withArchived = "true".equals(archived);
        OnCallClient.Policies policies = oncall.policies();
        Map<UUID, String> policyNames = policyNames(policies);
        List<Row> rows = catalog.list(withArchived, null, null).stream()
                .map(s -> row(ctx, s, policyNames)).toList();
        return Templates.list(ctx, rows, withArchived, policies.live());
    }

    @GET
    @Path("/new")
    @RolesAllowed(Roles.ADMIN)
    @Operation(hidden = true)
    public TemplateInstance newService(@Context HttpHeaders headers, RoutingContext routing) {
        PageContext ctx = context(headers, routing, "services.new");
        return editPage(ctx, null, ServiceForm.EMPTY, FormErrors.NONE, KeyForm.EMPTY, FormErrors.NONE, null, null);
    }

    @GET
    @Path("/{id}")
    @RolesAllowed(Roles.VIEWER)
    @Operation(hidden = true)
    public TemplateInstance service(@Context HttpHeaders headers, RoutingContext routing, @PathParam("id") String id,
                                    @QueryParam("done") String done) {
        PageContext ctx = context(headers, routing, "services.title");
        ServiceView service = find(id);
        String notice = done != null && DONE.contains(done) ? ctx.t("services.done." + done) : null;
        ShownKey shown = null;
        if (ctx.admin()) {
            shown = flash.take(routing, BASE + "/" + service.id(), FLASH, identity.getPrincipal().getName())
                    .map(value -> shownKey(service, value)).orElse(null);
        }
        ShownHeartbeat beat = null;
        if (ctx.admin()) {
            beat = flash.take(routing, BASE + "/" + service.id(), HEARTBEAT_FLASH, identity.getPrincipal().getName())
                    .map(value -> shownHeartbeat(value)).orElse(null);
        }
        return editPage(ctx, service, ServiceForm.of(service), FormErrors.NONE, KeyForm.EMPTY, FormErrors.NONE, shown,
                notice, GroupingForm.of(grouping.get(service.id())), FormErrors.NONE,
                maintenance(service, emptyWindowForm(service), FormErrors.NONE),
                new Heartbeats(heartbeats.list(service.id()), beat, HeartbeatForm.EMPTY, FormErrors.NONE));
    }

    // ------------------------------------------------------------------ the catalog

    @POST
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @RolesAllowed(Roles.ADMIN)
    @Operation(hidden = true)
    public Response create(@Context HttpHeaders headers, RoutingContext routing, @FormParam("name") String name,
                           @FormParam("description") String description, @FormParam("owningTeamId") String owningTeamId,
                           @FormParam("escalationPolicyId") String escalationPolicyId,
                           @FormParam("runbookUrl") String runbookUrl, @FormParam("slackChannel") String slackChannel) {
        ServiceForm form = new ServiceForm(name, description, owningTeamId, escalationPolicyId, runbookUrl, slackChannel);
        try {
            ServiceView created = catalog.create(request(form));
            return seeOther(created.id(), "created");
        } catch (ProblemException e) {
            PageContext ctx = context(headers, routing, "services.new");
            return refused(e, editPage(ctx, null, form, serviceErrors(ctx, e), KeyForm.EMPTY, FormErrors.NONE, null, null));
        }
    }

    @POST
    @Path("/{id}")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @RolesAllowed(Roles.ADMIN)
    @Operation(hidden = true)
    public Response update(@Context HttpHeaders headers, RoutingContext routing, @PathParam("id") String id,
                           @FormParam("name") String name, @FormParam("description") String description,
                           @FormParam("owningTeamId") String owningTeamId,
                           @FormParam("escalationPolicyId") String escalationPolicyId,
                           @FormParam("runbookUrl") String runbookUrl, @FormParam("slackChannel") String slackChannel) {
        ServiceView service = find(id);
        ServiceForm form = new ServiceForm(name, description, owningTeamId, escalationPolicyId, runbookUrl, slackChannel);
        try {
            catalog.update(service.id(), request(form));
            return seeOther(service.id(), "saved");
        } catch (ProblemException e) {
            PageContext ctx = context(headers, routing, "services.title");
            return refused(e, editPage(ctx, service, form, serviceErrors(ctx, e), KeyForm.EMPTY, FormErrors.NONE, null,
                    null));
        }
    }

    @POST
    @Path("/{id}/archive")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @RolesAllowed(Roles.ADMIN)
    @Operation(hidden = true)
    public Response archive(@Context HttpHeaders headers, RoutingContext routing, @PathParam("id") String id) {
        ServiceView service = find(id);
        return act(headers, routing, service, "archived", () -> catalog.archive(service.id()));
    }

    @POST
    @Path("/{id}/unarchive")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @RolesAllowed(Roles.ADMIN)
    @Operation(hidden = true)
    public Response unarchive(@Context HttpHeaders headers, RoutingContext routing, @PathParam("id") String id) {
        ServiceView service = find(id);
        return act(headers, routing, service, "unarchived", () -> catalog.unarchive(service.id()));
    }

    // ------------------------------------------------------------------ integration keys

    @POST
    @Path("/{id}/keys")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @RolesAllowed(Roles.ADMIN)
    @Operation(hidden = true)
    public Response createKey(@Context HttpHeaders headers, RoutingContext routing, @PathParam("id") String id,
                              @FormParam("keyName") String keyName, @FormParam("keyType") String keyType) {
        ServiceView service = find(id);
        KeyForm form = new KeyForm(keyName, keyType);
        try {
            IntegrationType type;
            try {
                type = keyType == null || keyType.isBlank() ? null : IntegrationType.of(keyType.strip());
            } catch (IllegalArgumentException e) {
                throw ProblemException.invalid("type", e.getMessage());
            }
            NewKey key = catalog.createKey(service.id(), forms.valid(new KeyRequest(
                    FormValues.line("name", keyName, 100), type)));
            return keyShown(routing, service, key, "key");
        } catch (ProblemException e) {
            PageContext ctx = context(headers, routing, "services.title");
            FormErrors errors = FormErrors.of(ctx, e, KEY_FIELDS, f -> switch (f) {
                case "name" -> "keyName";
                case "type" -> "keyType";
                default -> f;
            });
            return refused(e, editPage(ctx, service, ServiceForm.of(service), FormErrors.NONE, form, errors, null, null));
        }
    }

    @POST
    @Path("/{id}/keys/{keyId}/rotate")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @RolesAllowed(Roles.ADMIN)
    @Operation(hidden = true)
    public Response rotateKey(@Context HttpHeaders headers, RoutingContext routing, @PathParam("id") String id,
                              @PathParam("keyId") String keyId) {
        ServiceView service = find(id);
        UUID key = keyId(service, keyId);
        try {
            return keyShown(routing, service, catalog.rotateKey(service.id(), key), "rotated");
        } catch (ProblemException e) {
            return keyRefused(headers, routing, service, e);
        }
    }

    @POST
    @Path("/{id}/keys/{keyId}/revoke")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @RolesAllowed(Roles.ADMIN)
    @Operation(hidden = true)
    public Response revokeKey(@Context HttpHeaders headers, RoutingContext routing, @PathParam("id") String id,
                              @PathParam("keyId") String keyId) {
        ServiceView service = find(id);
        UUID key = keyId(service, keyId);
        return act(headers, routing, service, "revoked", () -> catalog.revokeKey(service.id(), key));
    }

    // ------------------------------------------------------------------ alert grouping

    @POST
    @Path("/{id}/grouping")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @RolesAllowed(Roles.ADMIN)
    @Operation(hidden = true)
    public Response grouping(@Context HttpHeaders headers, RoutingContext routing, @PathParam("id") String id,
                             @FormParam("rule") String rule, @FormParam("windowMinutes") String windowMinutes,
                             @FormParam("template") String template, @FormParam("autoResolve") String autoResolve) {
        ServiceView service = find(id);
        GroupingForm form = new GroupingForm(rule == null ? "" : rule, windowMinutes == null ? "" : windowMinutes,
                template == null ? "" : template, autoResolve != null && !autoResolve.isBlank());
        try {
            FieldProblems problems = new FieldProblems();
            String r = problems.read(() -> FormValues.line("rule", rule, 10));
            Integer minutes = problems.read(() -> minutes(windowMinutes));
            String t = problems.read(() -> FormValues.line("template", template, AlertGrouping.MAX_TEMPLATE));
            problems.throwIfAny();
            grouping.set(service.id(), new GroupingService.GroupingRequest(r, minutes, t, form.autoResolve()));
            return seeOther(service.id(), "grouping");
        } catch (ProblemException e) {
            if (e.status() == 404) {
                throw new PageNotFoundException("service");
            }
            PageContext ctx = context(headers, routing, "services.title");
            FormErrors errors = FormErrors.of(ctx, e, GROUPING_FIELDS, f -> f);
            return refused(e, editPage(ctx, service, ServiceForm.of(service), FormErrors.NONE, KeyForm.EMPTY,
                    FormErrors.NONE, null, null, form, errors));
        }
    }

    // ------------------------------------------------------------------ maintenance windows

    @POST
    @Path("/{id}/maintenance-windows")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @RolesAllowed(Roles.RESPONDER)
    @Operation(hidden = true)
    public Response createWindow(@Context HttpHeaders headers, RoutingContext routing, @PathParam("id") String id,
                                 @FormParam("startsAt") String startsAt, @FormParam("endsAt") String endsAt,
                                 @FormParam("timeZone") String timeZone, @FormParam("recurrence") String recurrence,
                                 @FormParam("reason") String reason, @FormParam("alsoServices") List<String> alsoServices) {
        ServiceView service = find(id);
        List<String> also = alsoServices == null ? List.of() : alsoServices.stream().map(String::strip).distinct().toList();
        WindowForm form = new WindowForm(nz(startsAt), nz(endsAt), nz(timeZone), nz(recurrence), nz(reason), also);
        try {
            FieldProblems problems = new FieldProblems();
            java.time.LocalDateTime start = problems.read(() -> FormValues.dateTime("startsAt", startsAt));
            java.time.LocalDateTime end = problems.read(() -> FormValues.dateTime("endsAt", endsAt));
            String zone = problems.read(() -> FormValues.line("timeZone", timeZone, 64));
            String why = problems.read(() -> FormValues.line("reason", reason, 500));
            List<UUID> covered = problems.read(() -> coveredServices(service, also));
            problems.throwIfAny();
            maintenance.create(new MaintenanceService.WindowRequest(covered, start, end, zone, why, recurrence));
            maintenance.reload();
            return seeOther(service.id(), "window");
        } catch (ProblemException e) {
            PageContext ctx = context(headers, routing, "services.title");
            FormErrors errors = FormErrors.of(ctx, e, WINDOW_FIELDS, f -> f);
            return refused(e, editPage(ctx, service, ServiceForm.of(service), FormErrors.NONE, KeyForm.EMPTY,
                    FormErrors.NONE, null, null, GroupingForm.of(grouping.get(service.id())), FormErrors.NONE,
                    maintenance(service, form, errors), heartbeatsOf(service)));
        }
    }

    @POST
    @Path("/{id}/maintenance-windows/{windowId}/cancel")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @RolesAllowed(Roles.RESPONDER)
    @Operation(hidden = true)
    public Response cancelWindow(@Context HttpHeaders headers, RoutingContext routing, @PathParam("id") String id,
                                 @PathParam("windowId") String windowId) {
        ServiceView service = find(id);
        UUID window;
        try {
            window = UUID.fromString(windowId.strip());
        } catch (IllegalArgumentException e) {
            throw new PageNotFoundException("service");
        }
        if (maintenance.list(service.id(), java.time.Instant.now()).stream().noneMatch(w -> w.id().equals(window))) {
            throw new PageNotFoundException("service");
        }
        maintenance.cancel(window);
        maintenance.reload();
        return seeOther(service.id(), "window_cancelled");
    }

    @POST
    @Path("/{id}/maintenance-mode")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @RolesAllowed(Roles.ADMIN)
    @Operation(hidden = true)
    public Response maintenanceMode(@Context HttpHeaders headers, RoutingContext routing, @PathParam("id") String id,
                                    @FormParam("mode") String mode) {
        ServiceView service = find(id);
        return act(headers, routing, service, "maintenance_mode", () -> maintenance.setMode(service.id(), mode));
    }

    // ------------------------------------------------------------------ heartbeat monitors

    @POST
    @Path("/{id}/heartbeats")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @RolesAllowed(Roles.ADMIN)
    @Operation(hidden = true)
    public Response createHeartbeat(@Context HttpHeaders headers, RoutingContext routing, @PathParam("id") String id,
                                    @FormParam("name") String name, @FormParam("intervalMinutes") String intervalMinutes,
                                    @FormParam("graceMinutes") String graceMinutes) {
        ServiceView service = find(id);
        HeartbeatForm form = new HeartbeatForm(nz(name), nz(intervalMinutes), nz(graceMinutes));
        try {
            FieldProblems problems = new FieldProblems();
            String n = problems.read(() -> FormValues.line("name", name, 100));
            Integer interval = problems.read(() -> FormValues.integer("intervalMinutes", intervalMinutes));
            Integer grace = problems.read(() -> FormValues.integer("graceMinutes", graceMinutes));
            problems.throwIfAny();
            HeartbeatService.NewMonitor created = heartbeats.create(service.id(),
                    new HeartbeatService.MonitorRequest(n, interval, grace));
            // the token rides to the next page in a sealed cookie of this service's page only, never in the URL
            flash.put(routing, BASE + "/" + service.id(), HEARTBEAT_FLASH, identity.getPrincipal().getName(),
                    created.name() + "\n" + created.url());
            return seeOther(service.id(), "heartbeat");
        } catch (ProblemException e) {
            if (e.status() == 404) {
                throw new PageNotFoundException("service");
            }
            PageContext ctx = context(headers, routing, "services.title");
            FormErrors errors = FormErrors.of(ctx, e, HEARTBEAT_FIELDS, f -> f);
            return refused(e, editPage(ctx, service, ServiceForm.of(service), FormErrors.NONE, KeyForm.EMPTY,
                    FormErrors.NONE, null, null, GroupingForm.of(grouping.get(service.id())), FormErrors.NONE,
                    maintenance(service, emptyWindowForm(service), FormErrors.NONE),
                    new Heartbeats(heartbeats.list(service.id()), null, form, errors)));
        }
    }

    @POST
    @Path("/{id}/heartbeats/{monitorId}/delete")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @RolesAllowed(Roles.ADMIN)
    @Operation(hidden = true)
    public Response deleteHeartbeat(@Context HttpHeaders headers, RoutingContext routing, @PathParam("id") String id,
                                    @PathParam("monitorId") String monitorId) {
        ServiceView service = find(id);
        UUID monitor;
        try {
            monitor = UUID.fromString(monitorId.strip());
        } catch (IllegalArgumentException e) {
            throw new PageNotFoundException("service");
        }
        return act(headers, routing, service, "heartbeat_deleted", () -> heartbeats.delete(service.id(), monitor));
    }

    private Heartbeats heartbeatsOf(ServiceView service) {
        return new Heartbeats(heartbeats.list(service.id()), null, HeartbeatForm.EMPTY, FormErrors.NONE);
    }

    private static ShownHeartbeat shownHeartbeat(String value) {
        String[] parts = value.split("\n", 2);
        return parts.length != 2 ? null : new ShownHeartbeat(parts[0], parts[1], "curl -fsS -X POST '" + parts[1] + "'");
    }

    private Maintenance maintenance(ServiceView service, WindowForm form, FormErrors errors) {
        java.time.Instant now = java.time.Instant.now();
        List<ServiceView> others = catalog.list(false, null, null).stream()
                .filter(s -> !s.id().equals(service.id())).toList();
        return new Maintenance(maintenance.mode(service.id()), maintenance.list(service.id(), now),
                maintenance.held(service.id(), 20), form, errors, others);
    }

    /** This service and the others ticked on the form, each an active service (a window can cover several). */
    private List<UUID> coveredServices(ServiceView service, List<String> also) {
        java.util.Set<UUID> active = new java.util.HashSet<>();
        catalog.list(false, null, null).forEach(s -> active.add(s.id()));
        List<UUID> covered = new java.util.ArrayList<>(List.of(service.id()));
        for (String value : also) {
            UUID other;
            try {
                other = UUID.fromString(value);
            } catch (IllegalArgumentException e) {
                throw ProblemException.invalid("alsoServices", "is not a service of the catalog");
            }
            if (!active.contains(other)) {
                throw ProblemException.invalid("alsoServices", "is not a service of the catalog");
            }
            if (!covered.contains(other)) {
                covered.add(other);
            }
        }
        return covered;
    }

    private WindowForm emptyWindowForm(ServiceView service) {
        String zone = service.owningTeam() == null ? null : teams.list().stream()
                .filter(t -> t.id().equals(service.owningTeam().id())).map(TeamView::timeZone).findFirst().orElse(null);
        return new WindowForm("", "", zone == null ? "Asia/Tokyo" : zone, "none", "", List.of());
    }

    /** Whole minutes, or null when left empty (the rule says whether it is needed). */
    private static Integer minutes(String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return Integer.valueOf(value.strip());
        } catch (NumberFormatException e) {
            throw ProblemException.invalid("windowMinutes", "must be a whole number of minutes");
        }
    }

    // ------------------------------------------------------------------ helpers

    private Response act(HttpHeaders headers, RoutingContext routing, ServiceView service, String done, Runnable action) {
        try {
            action.run();
            return seeOther(service.id(), done);
        } catch (ProblemException e) {
            return keyRefused(headers, routing, service, e);
        }
    }

    /** A refusal about the whole service or a key (archive, revoke): the page again with the reason on top. */
    private Response keyRefused(HttpHeaders headers, RoutingContext routing, ServiceView service, ProblemException e) {
        if (e.status() == 404) {
            throw new PageNotFoundException("service");
        }
        PageContext ctx = context(headers, routing, "services.title");
        ServiceView now = find(service.id().toString());
        return refused(e, editPage(ctx, now, ServiceForm.of(now), FormErrors.of(ctx, e, List.of(), f -> null),
                KeyForm.EMPTY, FormErrors.NONE, null, null));
    }

    private Response keyShown(RoutingContext routing, ServiceView service, NewKey key, String done) {
        // the key rides to the next page in a sealed cookie of this service's page only, never in the URL
        flash.put(routing, BASE + "/" + service.id(), FLASH, identity.getPrincipal().getName(),
                key.type().wire() + "\n" + key.name() + "\n" + key.key());
        return seeOther(service.id(), done);
    }

    private ShownKey shownKey(ServiceView service, String value) {
        String[] parts = value.split("\n", 3);
        if (parts.length != 3) {
            return null;
        }
        IntegrationType type = IntegrationType.of(parts[0]);
        String endpoint = catalog.endpoint(type, parts[2]);
        String snippet = type == IntegrationType.EVENTS_V2 ? curl(endpoint, parts[2], service.name())
                : receivers(service.name(), endpoint);
        return new ShownKey(parts[1], type.wire(), parts[2], endpoint, snippet);
    }

    /** A test event for Events API v2 that a shell runs as it is. */
    static String curl(String endpoint, String key, String serviceName) {
        // the service name inside shell single quotes and JSON: quotes and backslashes are left out
        String summary = ("Test alert for " + serviceName + " from the Toban setup page").replaceAll("['\"\\\\]", "");
        return "curl -sS -X POST '" + endpoint + "' \\\n"
                + "  -H 'Content-Type: application/json' \\\n"
                + "  -d '{\"routing_key\":\"" + key + "\",\"event_action\":\"trigger\",\"dedup_key\":\"toban-setup-check\","
                + "\"payload\":{\"summary\":\"" + summary + "\",\"source\":\"setup-check\",\"severity\":\"critical\"}}'";
    }

    /** The receiver to paste into alertmanager.yml (route alerts to it with a route's {@code receiver}). */
    static String receivers(String serviceName, String endpoint) {
        String slug = serviceName.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-").replaceAll("(^-|-$)", "");
        return "receivers:\n"
                + "  - name: toban-" + (slug.isEmpty() ? "service" : slug) + "\n"
                + "    webhook_configs:\n"
                + "      - url: " + endpoint + "\n"
                + "        send_resolved: true\n";
    }

    private TemplateInstance editPage(PageContext ctx, ServiceView service, ServiceForm form, FormErrors errors,
                                      KeyForm keyForm, FormErrors keyErrors, ShownKey shown, String notice) {
        GroupingForm stored = service == null ? GroupingForm.OFF : GroupingForm.of(grouping.get(service.id()));
        return editPage(ctx, service, form, errors, keyForm, keyErrors, shown, notice, stored, FormErrors.NONE);
    }

    private TemplateInstance editPage(PageContext ctx, ServiceView service, ServiceForm form, FormErrors errors,
                                      KeyForm keyForm, FormErrors keyErrors, ShownKey shown, String notice,
                                      GroupingForm groupingForm, FormErrors groupingErrors) {
        return editPage(ctx, service, form, errors, keyForm, keyErrors, shown, notice, groupingForm, groupingErrors,
                service == null ? null : maintenance(service, emptyWindowForm(service), FormErrors.NONE),
                service == null ? null : heartbeatsOf(service));
    }

    private TemplateInstance editPage(PageContext ctx, ServiceView service, ServiceForm form, FormErrors errors,
                                      KeyForm keyForm, FormErrors keyErrors, ShownKey shown, String notice,
                                      GroupingForm groupingForm, FormErrors groupingErrors, Maintenance maintenance,
                                      Heartbeats heartbeatCard) {
        OnCallClient.Policies policies = oncall.policies();
        Map<UUID, String> names = policyNames(policies);
        List<OnCallReference> choices = new ArrayList<>(policies.policies());
        // the stored policy stays selectable (and named) while oncall-service cannot list them
        UUID current = service == null ? null : service.escalationPolicyId();
        if (current != null && choices.stream().noneMatch(p -> p.id().equals(current))) {
            choices.add(0, new OnCallReference(current, policyName(ctx, current, names), null));
        }
        UUID owning = service == null || service.owningTeam() == null ? null : service.owningTeam().id();
        List<TeamView> teamChoices = teams.list().stream()
                .filter(t -> t.archivedAt() == null || t.id().equals(owning)).toList();
        List<KeyView> keys = ctx.admin() && service != null ? service.integrationKeys() : List.of();
        Row facts = service == null ? null : row(ctx, service, names);
        PageContext titled = service == null ? ctx : ctx.with("settings", service.name());
        return Templates.edit(titled, service, form, errors, teamChoices, choices, policies.live(), keys, keyForm, keyErrors,
                shown, notice, facts, groupingForm, groupingErrors, maintenance, heartbeatCard);
    }

    private Row row(PageContext ctx, ServiceView s, Map<UUID, String> policyNames) {
        String team = s.owningTeam() == null || s.owningTeam().name() == null ? ctx.t("services.unknownTeam")
                : s.owningTeam().name();
        long active = s.integrationKeys().stream().filter(KeyView::active).count();
        return new Row(s, team, policyName(ctx, s.escalationPolicyId(), policyNames), active);
    }

    private Map<UUID, String> policyNames(OnCallClient.Policies policies) {
        Map<UUID, String> names = new LinkedHashMap<>();
        policies.policies().forEach(p -> names.put(p.id(), p.name()));
        return names;
    }

    private String policyName(PageContext ctx, UUID id, Map<UUID, String> known) {
        String name = known.get(id);
        if (name == null) {
            name = policyCache.policyName(id).orElse(null);
        }
        return name != null ? name : ctx.t("services.unknownPolicy");
    }

    /**
     * The form as the API's request, with every field's problem at once: the page's own reading (lengths, one
     * line, ids), then the API's Bean Validation rules; the service's checks (unique name, team and policy live in
     * oncall-service) follow in {@link CatalogService}.
     */
    private ServiceRequest request(ServiceForm form) {
        FieldProblems problems = new FieldProblems();
        String name = problems.read(() -> FormValues.line("name", form.name(), 100));
        String description = problems.read(() -> FormValues.text("description", form.description(), 2000));
        UUID team = problems.read(() -> FormValues.uuid("owningTeamId", form.owningTeamId()));
        UUID policy = problems.read(() -> FormValues.uuid("escalationPolicyId", form.escalationPolicyId()));
        String runbook = problems.read(() -> FormValues.line("runbookUrl", form.runbookUrl(), 2000));
        String channel = problems.read(() -> FormValues.line("slackChannel", form.slackChannel(), 100));
        ServiceRequest request = new ServiceRequest(name, description, team, policy, runbook, channel);
        problems.read(() -> forms.valid(request));
        problems.throwIfAny();
        return request;
    }

    private FormErrors serviceErrors(PageContext ctx, ProblemException e) {
        return FormErrors.of(ctx, e, SERVICE_FIELDS, f -> f);
    }

    private ServiceView find(String id) {
        try {
            UUID uuid = UUID.fromString(id.strip());
            return catalog.get(uuid);
        } catch (IllegalArgumentException e) {
            throw new PageNotFoundException("service");
        } catch (ProblemException e) {
            if (e.status() == 404) {
                throw new PageNotFoundException("service");
            }
            throw e;
        }
    }

    private static UUID keyId(ServiceView service, String keyId) {
        try {
            UUID id = UUID.fromString(keyId.strip());
            if (service.integrationKeys().stream().anyMatch(k -> k.id().equals(id))) {
                return id;
            }
        } catch (IllegalArgumentException e) {
            // falls through: not a key of this service
        }
        throw new PageNotFoundException("service");
    }

    private static Response seeOther(UUID id, String done) {
        return Response.seeOther(URI.create(BASE + "/" + id + "?done=" + done)).build();
    }

    private static Response refused(ProblemException e, TemplateInstance page) {
        int status = e.status() == 503 ? 503 : e.status() >= 400 && e.status() < 500 ? e.status() : 400;
        Response.ResponseBuilder answer = Response.status(status).type(MediaType.TEXT_HTML_TYPE).entity(page);
        if (status == 503) {
            answer.header("Retry-After", "10");
        }
        return answer.build();
    }

    private PageContext context(HttpHeaders headers, RoutingContext routing, String title) {
        return pages.context(identity, headers, routing, "settings", title);
    }

    private static String nz(String value) {
        return value == null ? "" : value;
    }
}

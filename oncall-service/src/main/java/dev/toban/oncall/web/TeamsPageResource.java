package dev.toban.oncall.web;

import dev.toban.oncall.people.PersonService;
import dev.toban.oncall.people.PersonService.PersonView;
import dev.toban.oncall.schedule.ScheduleService;
import dev.toban.oncall.team.TeamService;
import dev.toban.oncall.team.TeamService.TeamRequest;
import dev.toban.oncall.team.TeamService.TeamView;
import dev.toban.plumbing.problem.ProblemException;
import dev.toban.plumbing.security.Roles;
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
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.jboss.resteasy.reactive.RestForm;

/**
 * Teams: name, members, Slack channel, time zone and the default war room (the team's Gather or Meet
 * room, where its incidents gather). Admins create, edit and archive; everyone else reads.
 */
@Path(TeamsPageResource.PATH)
public class TeamsPageResource {

    static final String PATH = SettingsPages.ROOT + "/teams";

    public record Link(UUID id, String name) {
    }

    public record TeamItem(UUID id, String name, String slackChannel, String timeZone, String warRoomUrl,
                           List<Link> members, List<Link> schedules, boolean archived) {
    }

    public record Member(UUID id, String name, boolean checked) {
    }

    public record TeamForm(String name, String slackChannel, String timeZone, String warRoomUrl, String nameError,
                           String slackChannelError, String timeZoneError, String warRoomUrlError, String membersError) {
    }

    public record TeamPage(UUID id, TeamForm form, List<Member> people, List<Link> schedules, boolean editable,
                           Instant archivedAt, String archivedBy, List<String> errors, String done, List<String> zones) {
        public boolean isNew() {
            return id == null;
        }
    }

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance list(PageContext ctx, List<TeamItem> teams, boolean archived, String done,
                                            List<String> errors);

        static native TemplateInstance team(PageContext ctx, TeamPage page);
    }

    private final SettingsPages settings;
    private final TeamService teams;
    private final PersonService people;
    private final ScheduleService schedules;
    private final Forms forms;

    public TeamsPageResource(SettingsPages settings, TeamService teams, PersonService people, ScheduleService schedules,
                             Forms forms) {
        this.settings = settings;
        this.teams = teams;
        this.people = people;
        this.schedules = schedules;
        this.forms = forms;
    }

    @GET
    @RolesAllowed(Roles.VIEWER)
    @Produces(MediaType.TEXT_HTML)
    @Operation(hidden = true)
    public TemplateInstance list(@QueryParam("archived") @DefaultValue("false") boolean archived, @QueryParam("done") String done,
                                 @Context HttpHeaders headers, RoutingContext routing) {
        return Templates.list(settings.context(headers, routing, "teams.title"), items(archived), archived,
                SettingsPages.notice(done), List.of());
    }

    @GET
    @Path("/new")
    @RolesAllowed(Roles.ADMIN)
    @Produces(MediaType.TEXT_HTML)
    @Operation(hidden = true)
    public TemplateInstance blank(@Context HttpHeaders headers, RoutingContext routing) {
        PageContext ctx = settings.context(headers, routing, "teams.new");
        return Templates.team(ctx, page(ctx, null, Typed.of(null), FormErrors.NONE, null));
    }

    @POST
    @RolesAllowed(Roles.ADMIN)
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Produces(MediaType.TEXT_HTML)
    @Operation(hidden = true)
    public Response create(@RestForm String csrf, @Context HttpHeaders headers, RoutingContext routing) {
        PageContext ctx = settings.context(headers, routing, "teams.new");
        Typed typed = Typed.read(PageForm.current());
        try {
            TeamView created = teams.create(forms.valid(request(typed)));
            return SettingsPages.done(PATH + "/" + created.id(), "created");
        } catch (ProblemException e) {
            return SettingsPages.html(e.status(), Templates.team(ctx, page(ctx, null, typed, FormErrors.of(ctx, e), null)));
        }
    }

    @GET
    @Path("/{id}")
    @RolesAllowed(Roles.VIEWER)
    @Produces(MediaType.TEXT_HTML)
    @Operation(hidden = true)
    public Response team(@PathParam("id") String id, @QueryParam("done") String done, @Context HttpHeaders headers,
                         RoutingContext routing) {
        PageContext ctx = settings.context(headers, routing, "teams.title");
        try {
            TeamView team = teams.get(SettingsPages.id("Team", id));
            return SettingsPages.html(200, Templates.team(ctx.with("settings", team.name()),
                    page(ctx, team, Typed.of(team), FormErrors.NONE, SettingsPages.notice(done))));
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
        PageContext ctx = settings.context(headers, routing, "teams.title");
        TeamView team;
        try {
            team = teams.get(SettingsPages.id("Team", id));
        } catch (ProblemException e) {
            return notFound(ctx, e);
        }
        Typed typed = Typed.read(PageForm.current());
        try {
            teams.update(team.id(), forms.valid(request(typed)));
            return SettingsPages.done(PATH + "/" + team.id(), "saved");
        } catch (ProblemException e) {
            return SettingsPages.html(e.status(), Templates.team(ctx.with("settings", team.name()),
                    page(ctx, team, typed, FormErrors.of(ctx, e), null)));
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
        return act(id, headers, routing, "archived", teams::archive);
    }

    @POST
    @Path("/{id}/unarchive")
    @RolesAllowed(Roles.ADMIN)
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Produces(MediaType.TEXT_HTML)
    @Operation(hidden = true)
    public Response unarchive(@PathParam("id") String id, @RestForm String csrf, @Context HttpHeaders headers,
                              RoutingContext routing) {
        return act(id, headers, routing, "unarchived", teams::unarchive);
    }

    private Response act(String id, HttpHeaders headers, RoutingContext routing, String done,
                         Function<UUID, TeamView> action) {
        PageContext ctx = settings.context(headers, routing, "teams.title");
        TeamView team;
        try {
            team = teams.get(SettingsPages.id("Team", id));
        } catch (ProblemException e) {
            return notFound(ctx, e);
        }
        try {
            // archiving asks incident-service first: no transaction is open here
            action.apply(team.id());
            return SettingsPages.done(PATH + "/" + team.id(), done);
        } catch (ProblemException e) {
            TeamView now = teams.get(team.id());
            return SettingsPages.html(e.status(), Templates.team(ctx.with("settings", now.name()),
                    page(ctx, now, Typed.of(now), FormErrors.of(ctx, e), null)));
        }
    }

    private Response notFound(PageContext ctx, ProblemException e) {
        return SettingsPages.html(e.status(), Templates.list(ctx, items(false), false, null,
                List.of(ProblemTexts.message(ctx, e.getMessage()))));
    }

    // ------------------------------------------------------------------ the form

    record Typed(String name, String slackChannel, String timeZone, String warRoomUrl, List<String> memberIds) {
        static Typed of(TeamView t) {
            if (t == null) {
                return new Typed("", "", "Asia/Tokyo", "", List.of());
            }
            return new Typed(t.name(), nz(t.slackChannel()), t.timeZone(), nz(t.warRoomUrl()),
                    t.memberIds().stream().map(UUID::toString).toList());
        }

        static Typed read(PageForm f) {
            return new Typed(nz(f.one("name")), nz(f.one("slackChannel")), nz(f.one("timeZone")), nz(f.one("warRoomUrl")),
                    f.all("memberIds"));
        }
    }

    /** The request the form means: every member ticked, in the order shown; a blank war room removes it. */
    private static TeamRequest request(Typed t) {
        PageForm check = new PageForm(Map.of());
        String name = check.read("name", () -> dev.toban.plumbing.web.FormValues.line("name", t.name(), 100));
        List<UUID> members = new ArrayList<>();
        for (String m : t.memberIds()) {
            UUID id = check.read("memberIds", () -> dev.toban.plumbing.web.FormValues.uuid("memberIds", m));
            if (id != null) {
                members.add(id);
            }
        }
        check.throwIfInvalid();
        return new TeamRequest(name == null ? "" : name, t.slackChannel().strip(), t.timeZone().strip(), members,
                t.warRoomUrl().strip());
    }

    // ------------------------------------------------------------------ rendering

    private TeamPage page(PageContext ctx, TeamView saved, Typed t, FormErrors errors, String done) {
        boolean archived = saved != null && saved.archivedAt() != null;
        boolean editable = ctx.admin() && !archived;
        TeamForm form = new TeamForm(t.name(), t.slackChannel(), t.timeZone(), t.warRoomUrl(), errors.at("name"),
                errors.at("slackChannel"), errors.at("timeZone"), errors.at("warRoomUrl"), membersError(errors, t));
        // members in their order first, then everyone else by name
        Map<UUID, String> names = new LinkedHashMap<>();
        for (PersonView p : people.list(false)) {
            names.put(p.id(), p.name());
        }
        if (saved != null) {
            saved.members().forEach(m -> names.putIfAbsent(m.id(), m.name()));
        }
        List<Member> list = new ArrayList<>();
        Set<String> ticked = new HashSet<>(t.memberIds());
        for (String m : t.memberIds()) {
            try {
                UUID id = UUID.fromString(m);
                if (names.containsKey(id) && list.stream().noneMatch(x -> x.id().equals(id))) {
                    list.add(new Member(id, names.get(id), true));
                }
            } catch (IllegalArgumentException ignored) {
                // not an id: the problem is shown above the members
            }
        }
        names.forEach((id, name) -> {
            if (!ticked.contains(id.toString()) && editable) {
                list.add(new Member(id, name, false));
            }
        });
        List<Link> teamSchedules = saved == null ? List.of()
                : schedules.list(saved.id(), null).stream().map(s -> new Link(s.id(), s.name())).toList();
        return new TeamPage(saved == null ? null : saved.id(), form, list, teamSchedules, editable,
                saved == null ? null : saved.archivedAt(), saved == null ? null : saved.archivedBy(), errors.others(), done,
                SettingsPages.ZONES);
    }

    /** Problems about members: the list as a whole or one of them ({@code memberIds[2]}). */
    private static String membersError(FormErrors errors, Typed t) {
        StringBuilder out = new StringBuilder();
        String whole = errors.at("memberIds");
        if (whole != null) {
            out.append(whole);
        }
        for (int i = 0; i < Math.max(t.memberIds().size(), 1); i++) {
            String one = errors.at("memberIds[" + i + "]");
            if (one != null) {
                out.append(out.length() == 0 ? "" : " ").append(one);
            }
        }
        return out.length() == 0 ? null : out.toString();
    }

    private List<TeamItem> items(boolean archived) {
        Map<UUID, List<Link>> schedulesOf = new LinkedHashMap<>();
        schedules.list(null, null).forEach(s -> schedulesOf.computeIfAbsent(s.teamId(), k -> new ArrayList<>())
                .add(new Link(s.id(), s.name())));
        return teams.list(archived).stream()
                .map(t -> new TeamItem(t.id(), t.name(), t.slackChannel(), t.timeZone(), t.warRoomUrl(),
                        t.members().stream().map(m -> new Link(m.id(), m.name())).toList(),
                        schedulesOf.getOrDefault(t.id(), List.of()), t.archivedAt() != null))
                .toList();
    }

    private static String nz(String s) {
        return s == null ? "" : s;
    }
}

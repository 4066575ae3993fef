package dev.toban.incident.slack;

import static dev.toban.incident.slack.SlackTexts.esc;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.toban.contracts.PersonRef;
import dev.toban.contracts.TeamRef;
import dev.toban.contracts.incident.IncidentSnapshot;
import dev.toban.contracts.incident.IncidentState;
import dev.toban.contracts.incident.Severity;
import dev.toban.incident.catalog.CatalogService;
import dev.toban.incident.client.OnCallClient;
import dev.toban.incident.client.OnCallNow;
import dev.toban.incident.client.OnCallUnavailableException;
import dev.toban.incident.client.PostmortemClient;
import dev.toban.incident.client.PostmortemDecision;
import dev.toban.incident.client.PostmortemRejectedException;
import dev.toban.incident.client.PostmortemUnavailableException;
import dev.toban.incident.client.SlackWebClient;
import dev.toban.incident.config.PublicLinks;
import dev.toban.incident.directory.ActorService;
import dev.toban.incident.directory.PeopleDirectoryService;
import dev.toban.incident.directory.TeamDirectoryService;
import dev.toban.incident.lifecycle.CadencePolicy;
import dev.toban.incident.lifecycle.IncidentQueries.ConsoleFacts;
import dev.toban.incident.lifecycle.IncidentQueries;
import dev.toban.incident.lifecycle.IncidentRoles.PersonRequest;
import dev.toban.incident.lifecycle.IncidentRoles.TeamAssignmentRequest;
import dev.toban.incident.lifecycle.IncidentRoles;
import dev.toban.incident.lifecycle.IncidentTimeline;
import dev.toban.incident.lifecycle.IncidentTransitions.DeclareRequest;
import dev.toban.incident.lifecycle.IncidentTransitions;
import dev.toban.incident.lifecycle.IncidentUpdates.StatusUpdateRequest;
import dev.toban.incident.lifecycle.IncidentUpdates.UpdateRequest;
import dev.toban.incident.lifecycle.IncidentUpdates;
import dev.toban.incident.web.FieldProblems;
import dev.toban.incident.web.Forms;
import dev.toban.plumbing.problem.Problem;
import dev.toban.plumbing.problem.ProblemException;
import dev.toban.plumbing.web.FormValues;
import dev.toban.plumbing.web.WebConfig;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.jboss.logging.Logger;

/**
 * The Slack app: what a button, a modal, the global shortcut or {@code /toban} asks for, done through the same
 * service methods as the API and the pages ({@link IncidentTransitions}, {@link IncidentUpdates},
 * {@link IncidentRoles}: the same roles, state machine, timeline line attributed to the person and events), as the
 * person the Slack user is ({@link SlackIdentity}, {@link ActorService#actingAs}). Slack waits 3 s for the
 * answer: a state change is one short transaction before it, a modal opens before it (its {@code trigger_id}
 * lasts 3 s; no transaction is open meanwhile), and private answers and postmortem-service's decision go after it
 * ({@link AfterAnswer}).
 *
 * <p>Nobody acts unless Toban knows them (an ephemeral "ask an admin to add your Slack account") and, for every
 * change, they are a responder as the realm says; a button the incident's state does not allow now is refused
 * privately ({@link SlackVerbs}). Every answer is in the person's language.
 */
@ApplicationScoped
public class SlackApp {

    private static final Logger LOG = Logger.getLogger(SlackApp.class);
    private static final Pattern NUMBER = Pattern.compile("^#(\\d{1,18})(?:\\s+|$)(.*)$", Pattern.DOTALL);
    /** The API's limit for status updates and notes. */
    static final int TEXT_MAX = 4000;

    /** What the endpoint answers Slack: 200 with this JSON body, or with none. */
    public record Answer(Object body) {
        public static final Answer EMPTY = new Answer(null);

        static Answer ephemeral(String text) {
            return new Answer(Map.of("response_type", "ephemeral", "text", text));
        }

        static Answer errors(Map<String, String> errors) {
            return new Answer(Map.of("response_action", "errors", "errors", errors));
        }

        static Answer update(ObjectNode view) {
            return new Answer(Map.of("response_action", "update", "view", view));
        }
    }

    private final SlackIdentity identity;
    private final SlackWebClient slack;
    private final SlackViews views;
    private final AfterAnswer later;
    private final IncidentQueries queries;
    private final IncidentTransitions transitions;
    private final IncidentUpdates updates;
    private final IncidentRoles roles;
    private final ActorService actors;
    private final PeopleDirectoryService people;
    private final TeamDirectoryService teams;
    private final CatalogService catalog;
    private final CadencePolicy cadence;
    private final PostmortemClient postmortems;
    private final OnCallClient oncall;
    private final Forms forms;
    private final PublicLinks links;
    private final WebConfig web;

    public SlackApp(SlackIdentity identity, SlackWebClient slack, SlackViews views, AfterAnswer later,
                    IncidentQueries queries, IncidentTransitions transitions, IncidentUpdates updates,
                    IncidentRoles roles, ActorService actors, PeopleDirectoryService people, TeamDirectoryService teams,
                    CatalogService catalog, CadencePolicy cadence, PostmortemClient postmortems, OnCallClient oncall,
                    Forms forms, PublicLinks links, WebConfig web) {
        this.identity = identity;
        this.slack = slack;
        this.views = views;
        this.later = later;
        this.queries = queries;
        this.transitions = transitions;
        this.updates = updates;
        this.roles = roles;
        this.actors = actors;
        this.people = people;
        this.teams = teams;
        this.catalog = catalog;
        this.cadence = cadence;
        this.postmortems = postmortems;
        this.oncall = oncall;
        this.forms = forms;
        this.links = links;
        this.web = web;
    }

    // ------------------------------------------------------------------ interactions

    /** An interaction payload ({@code payload} of {@code POST /integrations/slack/interactions}). */
    public Answer interaction(JsonNode payload) {
        return switch (payload.path("type").asText("")) {
            case "block_actions" -> blockActions(payload);
            case "view_submission" -> viewSubmission(payload);
            case "shortcut" -> shortcut(payload);
            default -> Answer.EMPTY; // view_closed, message actions...: nothing to do
        };
    }

    private Answer blockActions(JsonNode p) {
        JsonNode action = p.path("actions").path(0);
        String actionId = action.path("action_id").asText("");
        String verb = actionId.startsWith(SlackVerbs.PREFIX) ? actionId.substring(SlackVerbs.PREFIX.length()) : "";
        if (!SlackVerbs.all().contains(verb)) {
            return Answer.EMPTY; // "open" (a link) or not Toban's
        }
        String userId = p.path("user").path("id").asText(null);
        AfterAnswer.Reply reply = new AfterAnswer.Reply(text(p.path("response_url")),
                text(p.path("channel").path("id")) != null ? text(p.path("channel").path("id"))
                        : text(p.path("container").path("channel_id")), userId);
        SlackUser user = identity.match(userId);
        SlackTexts t = identity.texts(user);
        Optional<String> refusal = mayAct(user, t);
        if (refusal.isPresent()) {
            later.reply(reply, refusal.get());
            return Answer.EMPTY;
        }
        UUID id = uuid(action.path("value").asText(null));
        Optional<IncidentSnapshot> found = id == null ? Optional.empty() : find(id);
        if (found.isEmpty()) {
            later.reply(reply, t.t("slack.unknownIncident"));
            return Answer.EMPTY;
        }
        IncidentSnapshot incident = found.get();
        ConsoleFacts facts = queries.consoleFacts(id);
        Optional<String> notNow = notNow(verb, incident, facts, t);
        if (notNow.isPresent()) {
            later.reply(reply, notNow.get());
            return Answer.EMPTY;
        }
        String triggerId = text(p.path("trigger_id"));
        switch (verb) {
            case SlackVerbs.ACK -> act(user, reply, t, id, () -> transitions.acknowledge(id),
                    s -> t.t("slack.done.ack", s.number(), esc(s.title())));
            case SlackVerbs.TAKE_IC -> act(user, reply, t, id,
                    () -> roles.setCommander(id, new PersonRequest(user.person().id, null)),
                    s -> t.t("slack.done.take_ic", s.number(), esc(s.title())));
            case SlackVerbs.MITIGATE -> act(user, reply, t, id, () -> transitions.mitigate(id, null),
                    s -> t.t("slack.done.mitigate", s.number(), esc(s.title())));
            case SlackVerbs.RESOLVE -> act(user, reply, t, id, () -> transitions.resolve(id, null),
                    s -> t.t("slack.done.resolve", s.number(), esc(s.title())));
            case SlackVerbs.DISBAND -> act(user, reply, t, id, () -> transitions.close(id, null),
                    s -> t.t("slack.done.disband", s.number(), esc(s.title())));
            case SlackVerbs.PM_HOLD -> later.run(() -> later.send(reply, decide(user, t, id, "hold", null)));
            default -> open(triggerId, modal(verb, t, incident), reply, t, id);
        }
        return Answer.EMPTY;
    }

    /** Refused unless Toban knows the Slack user as an active responder. */
    private Optional<String> mayAct(SlackUser user, SlackTexts t) {
        Optional<String> unknown = mayRead(user, t);
        if (unknown.isPresent()) {
            return unknown;
        }
        if (!user.responder()) {
            return Optional.of(t.t("slack.needResponder", t.t("slack.role." + user.roleKey())));
        }
        return Optional.empty();
    }

    /** Refused unless Toban knows the Slack user (any role reads). */
    private Optional<String> mayRead(SlackUser user, SlackTexts t) {
        if (user.archived()) {
            return Optional.of(t.t("slack.archived"));
        }
        if (!user.known()) {
            return Optional.of(t.t("slack.unknownUser", esc(user.slackUserId())));
        }
        return Optional.empty();
    }

    private Optional<String> notNow(String verb, IncidentSnapshot incident, ConsoleFacts facts, SlackTexts t) {
        boolean decided = facts.postmortemDecision() != null;
        if (SlackVerbs.allowed(verb, incident.state(), decided)) {
            return Optional.empty();
        }
        if (incident.state() == IncidentState.CLOSED && decided) {
            return Optional.of(t.t("slack.pmDecided", t.verb(verb), incident.number()));
        }
        return Optional.of(t.t("slack.notNow", t.verb(verb), incident.number(), t.state(incident.state())));
    }

    /** One state change as the person, in its own short transaction; the private answer after Slack's answer. */
    private void act(SlackUser user, AfterAnswer.Reply reply, SlackTexts t, UUID id,
                     Supplier<IncidentSnapshot> change, Function<IncidentSnapshot, String> done) {
        String text;
        try {
            text = done.apply(actors.actingAs(user.person(), user.slackUserId(), change));
        } catch (ProblemException e) {
            text = t.t("slack.refused", esc(t.problem(e)));
        } catch (RuntimeException e) {
            LOG.warnf(e, "Slack app: an action on incident %s failed", id);
            text = t.t("slack.failed", links.incident(id));
        }
        later.reply(reply, text);
    }

    private ObjectNode modal(String verb, SlackTexts t, IncidentSnapshot incident) {
        return switch (verb) {
            case SlackVerbs.STATUS_UPDATE -> views.statusUpdate(t, incident, cadence.of(incident.severity()));
            case SlackVerbs.ASSIGN_TEAM -> views.assignTeam(t, incident, teams.list());
            case SlackVerbs.HANDOVER_IC -> views.handoverIc(t, incident, candidates(incident));
            case SlackVerbs.WAR_ROOM -> views.warRoom(t, incident);
            case SlackVerbs.PM_SKIP -> views.pmSkip(t, incident);
            default -> throw new IllegalArgumentException("no modal for " + verb);
        };
    }

    /**
     * Whom the IC role may go to: the incident's teams' members first (a select shows 100 at most), then everyone
     * else, each part by name.
     */
    private List<dev.toban.incident.model.Person> candidates(IncidentSnapshot incident) {
        java.util.Set<UUID> near = new java.util.HashSet<>();
        if (incident.owningTeam() != null) {
            near.addAll(teams.members(incident.owningTeam().id()));
        }
        (incident.assignedTeams() == null ? List.<TeamRef>of() : incident.assignedTeams())
                .forEach(team -> near.addAll(teams.members(team.id())));
        List<dev.toban.incident.model.Person> all = people.list();
        List<dev.toban.incident.model.Person> ordered = new ArrayList<>(all.stream().filter(p -> near.contains(p.id)).toList());
        all.stream().filter(p -> !near.contains(p.id)).forEach(ordered::add);
        return ordered;
    }

    /** views.open now (the trigger lasts 3 s); if Slack refuses, the person is told privately. */
    private void open(String triggerId, ObjectNode view, AfterAnswer.Reply reply, SlackTexts t, UUID incidentId) {
        try {
            if (triggerId == null) {
                throw new SlackWebClient.SlackCallException("no trigger_id", null);
            }
            slack.openView(triggerId, view);
        } catch (SlackWebClient.SlackCallException e) {
            LOG.infof("Slack app: views.open %s failed: %s", view.path("callback_id").asText(), e.error());
            later.reply(reply, t.t("slack.modalFailed", esc(e.error()),
                    incidentId == null ? links.base() + "/ui/incidents" : links.incident(incidentId)));
        }
    }

    // ------------------------------------------------------------------ modals submitted

    private Answer viewSubmission(JsonNode p) {
        JsonNode view = p.path("view");
        String callback = view.path("callback_id").asText("");
        JsonNode values = view.path("state").path("values");
        SlackUser user = identity.match(p.path("user").path("id").asText(null));
        SlackTexts t = identity.texts(user);
        String main = switch (callback) {
            case SlackViews.STATUS_UPDATE -> "message";
            case SlackViews.ASSIGN_TEAM -> "team";
            case SlackViews.HANDOVER_IC -> "person";
            case SlackViews.WAR_ROOM -> "url";
            case SlackViews.DECLARE -> "title";
            case SlackViews.PM_SKIP -> "reason";
            default -> null;
        };
        if (main == null) {
            return Answer.EMPTY;
        }
        Optional<String> refusal = mayAct(user, t);
        if (refusal.isPresent()) {
            return Answer.errors(Map.of(main, plainText(refusal.get())));
        }
        if (SlackViews.DECLARE.equals(callback)) {
            return declare(user, t, values);
        }
        UUID id = uuid(view.path("private_metadata").asText(null));
        Optional<IncidentSnapshot> found = id == null ? Optional.empty() : find(id);
        if (found.isEmpty()) {
            return Answer.errors(Map.of(main, t.t("slack.unknownIncident")));
        }
        String verb = callback.substring(SlackVerbs.PREFIX.length());
        Optional<String> notNow = notNow(verb, found.get(), queries.consoleFacts(id), t);
        if (notNow.isPresent()) {
            return Answer.errors(Map.of(main, plainText(notNow.get())));
        }
        if (SlackViews.PM_SKIP.equals(callback)) {
            return skip(user, t, id, values, view.path("id").asText(null));
        }
        Map<String, String> blockOf = Map.of("message", "message", "impact", "impact",
                "nextUpdateInMinutes", "next_update", "teamId", "team", "personId", "person", "warRoomUrl", "url");
        try {
            actors.actingAs(user.person(), user.slackUserId(), () -> switch (callback) {
                case SlackViews.STATUS_UPDATE -> {
                    FieldProblems problems = new FieldProblems();
                    String message = problems.read(() -> FormValues.required("message",
                            FormValues.text("message", value(values, "message"), TEXT_MAX)));
                    String impact = problems.read(() -> FormValues.text("impact", value(values, "impact"), TEXT_MAX));
                    Integer next = problems.read(() -> minutes(value(values, "next_update")));
                    problems.throwIfAny();
                    yield updates.postStatusUpdate(id, forms.valid(new StatusUpdateRequest(message, impact, next)));
                }
                case SlackViews.ASSIGN_TEAM -> roles.assignTeam(id, new TeamAssignmentRequest(
                        FormValues.required("teamId", FormValues.uuid("teamId", value(values, "team"))), true));
                case SlackViews.HANDOVER_IC -> roles.setCommander(id, new PersonRequest(
                        FormValues.required("personId", FormValues.uuid("personId", value(values, "person"))), null));
                case SlackViews.WAR_ROOM -> updates.update(id, forms.valid(new UpdateRequest(null, null, null,
                        FormValues.required("warRoomUrl", FormValues.line("warRoomUrl", value(values, "url"), 2000)))));
                default -> throw new IllegalStateException(callback);
            });
        } catch (ProblemException e) {
            return Answer.errors(errors(t, e, blockOf, main));
        }
        return Answer.EMPTY;
    }

    private Answer declare(SlackUser user, SlackTexts t, JsonNode values) {
        Map<String, String> blockOf = Map.of("serviceId", "service", "severity", "severity", "title", "title");
        IncidentSnapshot declared;
        try {
            FieldProblems problems = new FieldProblems();
            UUID service = problems.read(() -> FormValues.required("serviceId",
                    FormValues.uuid("serviceId", value(values, "service"))));
            Severity severity = problems.read(() -> FormValues.required("severity", severity(value(values, "severity"))));
            String title = problems.read(() -> FormValues.required("title",
                    FormValues.line("title", value(values, "title"), 1024)));
            problems.throwIfAny();
            DeclareRequest request = forms.valid(new DeclareRequest(service, title, severity, null));
            declared = actors.actingAs(user.person(), user.slackUserId(), () -> transitions.declare(request));
        } catch (ProblemException e) {
            return Answer.errors(errors(t, e, blockOf, "title"));
        }
        return Answer.update(views.notice(t, t.t("slack.modal.declare.title"), t.t("slack.done.declare",
                declared.number(), esc(declared.title()), declared.url())));
    }

    /** Skipping the postmortem: the modal shows "recording…" at once, then the outcome once postmortem-service answers. */
    private Answer skip(SlackUser user, SlackTexts t, UUID id, JsonNode values, String viewId) {
        String reason;
        try {
            reason = FormValues.required("reason", FormValues.text("reason", value(values, "reason"), 2000));
        } catch (ProblemException e) {
            return Answer.errors(errors(t, e, Map.of("reason", "reason"), "reason"));
        }
        String title = t.t("slack.modal.pm_skip.title");
        later.run(() -> {
            String outcome = decide(user, t, id, "skip", reason);
            try {
                slack.updateView(viewId, views.notice(t, title, outcome));
            } catch (SlackWebClient.SlackCallException e) {
                LOG.infof("Slack app: views.update of %s failed (%s): %s", viewId, e.error(), outcome);
            }
        });
        return Answer.update(views.notice(t, title, t.t("slack.pm.working")));
    }

    /** A refused submission as Slack's {@code errors}: each field's problem under its block, the rest under {@code main}. */
    private static Map<String, String> errors(SlackTexts t, ProblemException e, Map<String, String> blockOf, String main) {
        Map<String, String> errors = new LinkedHashMap<>();
        if (e.status() == 400 && !e.errors().isEmpty()) {
            for (Problem.FieldError error : e.errors()) {
                String block = error.field() == null ? main : blockOf.getOrDefault(error.field(), main);
                errors.putIfAbsent(block, t.problem(error.field(), error.message()));
            }
        } else {
            errors.put(main, t.problem(e));
        }
        return errors;
    }

    // ------------------------------------------------------------------ the global shortcut

    private Answer shortcut(JsonNode p) {
        if (!SlackViews.DECLARE.equals(p.path("callback_id").asText(""))) {
            return Answer.EMPTY;
        }
        SlackUser user = identity.match(p.path("user").path("id").asText(null));
        SlackTexts t = identity.texts(user);
        String triggerId = text(p.path("trigger_id"));
        Optional<String> refusal = mayAct(user, t);
        // a global shortcut has no channel and no response_url: a refusal is a modal that says it
        ObjectNode view = refusal.map(r -> views.notice(t, t.t("slack.modal.declare.title"), r))
                .orElseGet(() -> views.declare(t, catalog.list(false, null, null)));
        open(triggerId, view, AfterAnswer.Reply.NOWHERE, t, null);
        return Answer.EMPTY;
    }

    // ------------------------------------------------------------------ /toban

    /**
     * {@code /toban <subcommand>} but {@code sos} (the caller handles it like {@code /sos}): {@code new},
     * {@code update [#42] text}, {@code status [#42]}, {@code oncall}, {@code help}; anything else gets the help.
     */
    public Answer command(Map<String, String> form) {
        String[] words = form.getOrDefault("text", "").strip().split("\\s+", 2);
        String sub = words[0].toLowerCase(Locale.ROOT);
        String rest = words.length < 2 ? "" : words[1].strip();
        String userId = form.get("user_id");
        SlackUser user = identity.match(userId);
        SlackTexts t = identity.texts(user);
        AfterAnswer.Reply reply = new AfterAnswer.Reply(form.get("response_url"), form.get("channel_id"), userId);
        return switch (sub) {
            case "", "help" -> Answer.ephemeral(t.t("slack.help"));
            case "new" -> mayAct(user, t).map(Answer::ephemeral).orElseGet(() -> {
                open(form.get("trigger_id"), views.declare(t, catalog.list(false, null, null)), reply, t, null);
                return Answer.EMPTY;
            });
            case "update" -> mayAct(user, t).map(Answer::ephemeral).orElseGet(() -> update(user, t, rest, form));
            case "status" -> mayRead(user, t).map(Answer::ephemeral).orElseGet(() -> status(t, rest, form));
            case "oncall" -> mayRead(user, t).map(Answer::ephemeral).orElseGet(() -> {
                later.run(() -> later.send(reply, onCallNow(t)));
                return Answer.EMPTY;
            });
            default -> Answer.ephemeral(t.t("slack.unknownCommand", esc(cutWord(sub))) + "\n\n" + t.t("slack.help"));
        };
    }

    private Answer update(SlackUser user, SlackTexts t, String rest, Map<String, String> form) {
        Target target = target(rest, form, "update", t);
        if (target.refusal() != null) {
            return Answer.ephemeral(target.refusal());
        }
        if (target.rest().isBlank()) {
            return Answer.ephemeral(t.t("slack.update.usage"));
        }
        UUID id = target.id();
        try {
            String message = FormValues.text("message", target.rest(), TEXT_MAX);
            IncidentSnapshot s = actors.actingAs(user.person(), user.slackUserId(),
                    () -> updates.postStatusUpdate(id, forms.valid(new StatusUpdateRequest(message))));
            return Answer.ephemeral(t.t("slack.done.status_update", s.number(), esc(s.title())));
        } catch (ProblemException e) {
            return Answer.ephemeral(t.t("slack.refused", esc(t.problem(e))));
        }
    }

    private Answer status(SlackTexts t, String rest, Map<String, String> form) {
        if (rest.isBlank() && queries.openInSlackChannel(form.get("channel_id"), form.get("channel_name")).isEmpty()) {
            return Answer.ephemeral(openList(t));
        }
        Target target = target(rest, form, "status", t);
        if (target.refusal() != null) {
            return Answer.ephemeral(target.refusal());
        }
        return Answer.ephemeral(summary(t, target.id()));
    }

    /** The incident a command means, and the text after its number. */
    private record Target(UUID id, String rest, String refusal) {
    }

    /** {@code #42 ...} names the incident; without it, the channel's most recent open incident. */
    private Target target(String rest, Map<String, String> form, String sub, SlackTexts t) {
        Matcher m = NUMBER.matcher(rest);
        if (m.matches()) {
            long number = Long.parseLong(m.group(1));
            return queries.idByNumber(number).map(id -> new Target(id, m.group(2).strip(), null))
                    .orElseGet(() -> new Target(null, "", t.t("slack.noSuchIncident", number)));
        }
        return queries.openInSlackChannel(form.get("channel_id"), form.get("channel_name"))
                .map(id -> new Target(id, rest, null))
                .orElseGet(() -> new Target(null, "", t.t("slack.noIncident", sub)));
    }

    /** One incident as {@code /toban status} shows it. */
    private String summary(SlackTexts t, UUID id) {
        IncidentSnapshot i = queries.get(id).incident();
        ConsoleFacts facts = queries.consoleFacts(id);
        StringBuilder out = new StringBuilder();
        out.append('*').append(esc("#" + i.number() + " " + i.title())).append("* · ").append(i.severity())
                .append(" · ").append(t.state(i.state())).append('\n');
        out.append(t.t("slack.status.ic")).append(": ")
                .append(i.commander() == null ? t.t("slack.status.nobody") : esc(name(i.commander())));
        List<TeamRef> assigned = i.assignedTeams() == null ? List.of() : i.assignedTeams();
        if (!assigned.isEmpty()) {
            out.append(" · ").append(t.t("slack.status.teams")).append(": ")
                    .append(assigned.stream().map(team -> esc(team.name())).collect(Collectors.joining(", ")));
        }
        out.append('\n');
        List<IncidentTimeline.Entry> updates = queries.timeline(id).stream()
                .filter(e -> "status_update".equals(e.kind())).toList();
        if (!updates.isEmpty()) {
            IncidentTimeline.Entry last = updates.get(updates.size() - 1);
            out.append(t.t("slack.status.lastUpdate")).append(" (").append(t.at(last.at())).append("): ")
                    .append(esc(SlackViews.cut(last.message(), 500))).append('\n');
        }
        if (facts.nextUpdateDueAt() != null && i.state().isOpen()) {
            out.append(t.t("slack.status.nextUpdate")).append(": ").append(t.at(facts.nextUpdateDueAt())).append('\n');
        }
        out.append('<').append(i.url()).append('|').append(esc(t.t("slack.status.link"))).append('>');
        return out.toString();
    }

    private String openList(SlackTexts t) {
        List<IncidentSnapshot> open = queries.list("open", null, null, 20);
        if (open.isEmpty()) {
            return t.t("slack.status.none");
        }
        StringBuilder out = new StringBuilder(t.t("slack.status.open"));
        for (IncidentSnapshot i : open) {
            out.append("\n• <").append(i.url()).append('|').append(esc("#" + i.number() + " " + SlackViews.cut(i.title(), 80)))
                    .append("> · ").append(i.severity()).append(" · ").append(t.state(i.state())).append(" · ")
                    .append(t.t("slack.status.ic")).append(": ")
                    .append(i.commander() == null ? t.t("slack.status.nobody") : esc(name(i.commander())));
        }
        return out.toString();
    }

    /** Who is on call now, by schedule (oncall-service, or its last answer when it does not answer). */
    private String onCallNow(SlackTexts t) {
        OnCallClient.OnCallNowAnswer answer;
        try {
            answer = oncall.onCallNow();
        } catch (OnCallUnavailableException e) {
            return t.t("slack.oncall.unavailable", web.links().oncall() + "/ui/oncall");
        }
        List<String> lines = new ArrayList<>();
        for (OnCallNow schedule : answer.schedules()) {
            String what = schedule.team() != null && schedule.team().name() != null
                    ? schedule.team().name() + (schedule.schedule() == null ? "" : " (" + schedule.schedule().name() + ")")
                    : schedule.schedule() == null ? "?" : schedule.schedule().name();
            String who = schedule.onCallOrEmpty().isEmpty() ? t.t("slack.oncall.nobody")
                    : schedule.onCallOrEmpty().stream().map(shift -> esc(shift.person() == null ? "?"
                            : shift.person().name()) + (shift.until() == null ? ""
                            : " (" + t.t("slack.oncall.until", t.at(shift.until())) + ")"))
                    .collect(Collectors.joining(", "));
            lines.add("• *" + esc(what) + "*: " + who);
        }
        StringBuilder out = new StringBuilder(t.t("slack.oncall.title"));
        if (lines.isEmpty()) {
            out.append('\n').append(t.t("slack.oncall.none"));
        }
        lines.forEach(line -> out.append('\n').append(line));
        if (!answer.live()) {
            out.append('\n').append(t.t("slack.oncall.stale", t.at(answer.asOf())));
        }
        return out.toString();
    }

    // ------------------------------------------------------------------ the postmortem decision

    /** Records hold or skip with postmortem-service as the person; the outcome in their language. */
    private String decide(SlackUser user, SlackTexts t, UUID incidentId, String decision, String reason) {
        IncidentSnapshot incident = queries.get(incidentId).incident();
        ConsoleFacts facts = queries.consoleFacts(incidentId);
        if (facts.postmortemId() == null) {
            return t.t("slack.pm.notReady", incident.number(), incident.url());
        }
        String page = web.links().postmortem() + "/ui/postmortems/" + facts.postmortemId();
        PostmortemDecision body = new PostmortemDecision(decision, reason, new PostmortemDecision.OnBehalfOf(
                user.person().username, user.person().id, user.person().name, List.copyOf(user.person().roleSet())));
        try {
            postmortems.decide(facts.postmortemId(), body);
        } catch (PostmortemRejectedException e) {
            LOG.infof("postmortem-service refused %s of postmortem %s for %s: %s", decision, facts.postmortemId(),
                    user.person().username, e.getMessage());
            String key = e.status() == 403 ? "slack.pm.forbidden" : e.status() == 409 ? "slack.pm.conflict"
                    : "slack.pm.invalid";
            return t.t(key, page);
        } catch (PostmortemUnavailableException e) {
            return t.t("slack.pm.unavailable", page);
        }
        return "hold".equals(decision) ? t.t("slack.done.pm_hold", incident.number(), esc(incident.title()), page)
                : t.t("slack.done.pm_skip", incident.number(), esc(incident.title()));
    }

    // ------------------------------------------------------------------ helpers

    private Optional<IncidentSnapshot> find(UUID id) {
        try {
            return Optional.of(queries.get(id).incident());
        } catch (ProblemException e) {
            return Optional.empty();
        }
    }

    /** The submitted value of block {@code blockId}: a text input's value or a select's chosen option. */
    static String value(JsonNode values, String blockId) {
        JsonNode input = values.path(blockId).path(SlackViews.VALUE);
        if (input.hasNonNull("selected_option")) {
            return input.path("selected_option").path("value").asText(null);
        }
        return input.hasNonNull("value") ? input.path("value").asText() : null;
    }

    private static Integer minutes(String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            int minutes = Integer.parseInt(value.strip());
            if (SlackViews.NEXT_UPDATE_MINUTES.contains(minutes)) {
                return minutes;
            }
        } catch (NumberFormatException e) {
            // not one of the offered choices
        }
        throw ProblemException.invalid("nextUpdateInMinutes", "is required");
    }

    private static Severity severity(String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return Severity.valueOf(value.strip());
        } catch (IllegalArgumentException e) {
            throw ProblemException.invalid("severity", "must be one of SEV1, SEV2, SEV3, SEV4");
        }
    }

    private static UUID uuid(String value) {
        try {
            return value == null || value.isBlank() ? null : UUID.fromString(value.strip());
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static String text(JsonNode node) {
        return node == null || !node.isTextual() || node.asText().isBlank() ? null : node.asText();
    }

    private static String name(PersonRef person) {
        return person.name() != null ? person.name() : person.username() != null ? person.username() : "?";
    }

    /** Slack's modal errors are plain text: the private answer's mrkdwn escapes undone. */
    private static String plainText(String mrkdwn) {
        return mrkdwn.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&");
    }

    private static String cutWord(String word) {
        return SlackViews.cut(word, 40);
    }
}

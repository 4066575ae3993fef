package dev.toban.incident.slack;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.toban.contracts.incident.IncidentSnapshot;
import dev.toban.contracts.incident.Severity;
import dev.toban.incident.catalog.CatalogService;
import dev.toban.incident.directory.TeamDirectoryService;
import dev.toban.incident.model.Person;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

/**
 * The Slack app's modals (contract of issue 17): {@code callback_id} {@code toban.<modal>}, {@code private_metadata}
 * the incident id (empty for declare), one input block per field with {@code action_id} {@code value}. Texts in the
 * person's language; Slack's limits kept (title and buttons 24 characters, option texts 75, 100 options, inputs
 * 3,000 characters).
 */
@ApplicationScoped
public class SlackViews {

    public static final String STATUS_UPDATE = "toban.status_update";
    public static final String ASSIGN_TEAM = "toban.assign_team";
    public static final String HANDOVER_IC = "toban.handover_ic";
    public static final String WAR_ROOM = "toban.war_room";
    public static final String DECLARE = "toban.declare";
    /** Added to the contract's modals: skipping a postmortem needs a reason. */
    public static final String PM_SKIP = "toban.pm_skip";
    /** Minutes the status update's "next update in" offers. */
    public static final List<Integer> NEXT_UPDATE_MINUTES = List.of(15, 30, 60, 120);
    /** The action id of every input. */
    public static final String VALUE = "value";

    static final int TITLE_MAX = 24;
    static final int OPTION_TEXT_MAX = 75;
    static final int OPTIONS_MAX = 100;
    static final int INPUT_MAX = 3000;

    private final ObjectMapper json;

    public SlackViews(ObjectMapper json) {
        this.json = json;
    }

    /** Status update: what is happening, the business impact (optional, prefilled), when the next update comes. */
    public ObjectNode statusUpdate(SlackTexts t, IncidentSnapshot incident, Duration cadence) {
        ObjectNode view = modal(STATUS_UPDATE, incident.id(), t.t("slack.modal.status_update.title"),
                t.t("slack.modal.submit"), t);
        ArrayNode blocks = view.withArray("blocks");
        blocks.add(context(t, incident));
        ObjectNode message = textInput(true, null, INPUT_MAX);
        message.set("placeholder", plain(t.t("slack.modal.message.placeholder")));
        blocks.add(input("message", t.t("slack.modal.message"), message, false));
        String impact = incident.impact() != null && incident.impact().length() <= INPUT_MAX ? incident.impact() : null;
        blocks.add(input("impact", t.t("slack.modal.impact"), textInput(true, impact, INPUT_MAX), true));
        ObjectNode select = json.createObjectNode().put("type", "static_select").put("action_id", VALUE);
        ArrayNode options = select.putArray("options");
        Integer initial = null;
        for (int minutes : NEXT_UPDATE_MINUTES) {
            options.add(option(t.t("slack.modal.minutes", minutes), Integer.toString(minutes)));
            if (initial == null && cadence != null && !cadence.isZero() && cadence.toMinutes() <= minutes) {
                initial = minutes;
            }
        }
        if (initial != null) {
            select.set("initial_option", option(t.t("slack.modal.minutes", initial), Integer.toString(initial)));
        }
        blocks.add(input("next_update", t.t("slack.modal.next_update"), select, true));
        return view;
    }

    /** Assign the owning team: active teams by name. */
    public ObjectNode assignTeam(SlackTexts t, IncidentSnapshot incident, List<TeamDirectoryService.TeamView> teams) {
        ObjectNode view = modal(ASSIGN_TEAM, incident.id(), t.t("slack.modal.assign_team.title"),
                t.t("slack.modal.save"), t);
        ArrayNode blocks = view.withArray("blocks");
        blocks.add(context(t, incident));
        UUID owning = incident.owningTeam() == null ? null : incident.owningTeam().id();
        List<Choice> choices = teams.stream().filter(team -> team.archivedAt() == null)
                .map(team -> new Choice(team.name(), team.id().toString())).toList();
        blocks.add(choice("team", t.t("slack.modal.team"), choices, owning == null ? null : owning.toString(), t));
        return view;
    }

    /** Hand over the IC role: people by name (the console offers the same list). */
    public ObjectNode handoverIc(SlackTexts t, IncidentSnapshot incident, List<Person> people) {
        ObjectNode view = modal(HANDOVER_IC, incident.id(), t.t("slack.modal.handover_ic.title"),
                t.t("slack.modal.save"), t);
        ArrayNode blocks = view.withArray("blocks");
        blocks.add(context(t, incident));
        List<Choice> choices = people.stream().filter(p -> p.archivedAt == null)
                .map(p -> new Choice(p.name, p.id.toString())).toList();
        blocks.add(choice("person", t.t("slack.modal.person"), choices, null, t));
        return view;
    }

    /** The war-room link, prefilled with the current one. */
    public ObjectNode warRoom(SlackTexts t, IncidentSnapshot incident) {
        ObjectNode view = modal(WAR_ROOM, incident.id(), t.t("slack.modal.war_room.title"), t.t("slack.modal.save"), t);
        ArrayNode blocks = view.withArray("blocks");
        blocks.add(context(t, incident));
        ObjectNode url = json.createObjectNode().put("type", "url_text_input").put("action_id", VALUE);
        if (incident.warRoomUrl() != null) {
            url.put("initial_value", incident.warRoomUrl());
        }
        blocks.add(input("url", t.t("slack.modal.url"), url, false));
        return view;
    }

    /** Declare an incident: the service, the severity, a title. */
    public ObjectNode declare(SlackTexts t, List<CatalogService.ServiceView> services) {
        ObjectNode view = modal(DECLARE, null, t.t("slack.modal.declare.title"), t.t("slack.modal.declare.submit"), t);
        ArrayNode blocks = view.withArray("blocks");
        List<Choice> choices = services.stream().filter(s -> s.archivedAt() == null)
                .map(s -> new Choice(s.name(), s.id().toString())).toList();
        blocks.add(choice("service", t.t("slack.modal.service"), choices, null, t));
        List<Choice> severities = java.util.Arrays.stream(Severity.values())
                .map(s -> new Choice(s.name() + " · " + t.t("severity." + s.name()), s.name())).toList();
        blocks.add(choice("severity", t.t("slack.modal.severity"), severities, Severity.SEV3.name(), t));
        blocks.add(input("title", t.t("slack.modal.title"), textInput(false, null, 1024), false));
        return view;
    }

    /** Skip the postmortem: why. */
    public ObjectNode pmSkip(SlackTexts t, IncidentSnapshot incident) {
        ObjectNode view = modal(PM_SKIP, incident.id(), t.t("slack.modal.pm_skip.title"),
                t.t("slack.modal.pm_skip.submit"), t);
        ArrayNode blocks = view.withArray("blocks");
        blocks.add(context(t, incident));
        blocks.add(input("reason", t.t("slack.modal.reason"), textInput(true, null, 2000), false));
        return view;
    }

    /** A modal that only says something (a refusal where no private message can go, a result), with Close. */
    public ObjectNode notice(SlackTexts t, String title, String mrkdwn) {
        ObjectNode view = json.createObjectNode().put("type", "modal");
        view.set("title", plain(cut(title, TITLE_MAX)));
        view.set("close", plain(cut(t.t("slack.modal.close"), TITLE_MAX)));
        ObjectNode section = view.putArray("blocks").addObject().put("type", "section");
        section.set("text", json.createObjectNode().put("type", "mrkdwn").put("text", cut(mrkdwn, 3000)));
        return view;
    }

    // ------------------------------------------------------------------ blocks

    private record Choice(String text, String value) {
    }

    private ObjectNode modal(String callbackId, UUID incidentId, String title, String submit, SlackTexts t) {
        ObjectNode view = json.createObjectNode().put("type", "modal").put("callback_id", callbackId)
                .put("private_metadata", incidentId == null ? "" : incidentId.toString());
        view.set("title", plain(cut(title, TITLE_MAX)));
        view.set("submit", plain(cut(submit, TITLE_MAX)));
        view.set("close", plain(cut(t.t("slack.modal.cancel"), TITLE_MAX)));
        view.putArray("blocks");
        return view;
    }

    private ObjectNode context(SlackTexts t, IncidentSnapshot incident) {
        ObjectNode context = json.createObjectNode().put("type", "context");
        context.putArray("elements").addObject().put("type", "mrkdwn")
                .put("text", cut(t.t("slack.modal.incident", incident.number(), SlackTexts.esc(incident.title())), 3000));
        return context;
    }

    private ObjectNode input(String blockId, String label, ObjectNode element, boolean optional) {
        ObjectNode input = json.createObjectNode().put("type", "input").put("block_id", blockId);
        input.set("label", plain(cut(label, 2000)));
        input.set("element", element);
        if (optional) {
            input.put("optional", true);
        }
        return input;
    }

    private ObjectNode textInput(boolean multiline, String initial, int max) {
        ObjectNode element = json.createObjectNode().put("type", "plain_text_input").put("action_id", VALUE)
                .put("multiline", multiline).put("max_length", Math.min(max, INPUT_MAX));
        if (initial != null && !initial.isEmpty()) {
            element.put("initial_value", initial);
        }
        return element;
    }

    /** A static_select input, or a line saying there is nothing to choose yet (Slack refuses an empty select). */
    private ObjectNode choice(String blockId, String label, List<Choice> choices, String initial, SlackTexts t) {
        if (choices.isEmpty()) {
            ObjectNode section = json.createObjectNode().put("type", "section").put("block_id", blockId);
            section.set("text", json.createObjectNode().put("type", "mrkdwn")
                    .put("text", SlackTexts.esc(label) + ": " + t.t("slack.modal.none")));
            return section;
        }
        ObjectNode select = json.createObjectNode().put("type", "static_select").put("action_id", VALUE);
        ArrayNode options = select.putArray("options");
        for (Choice c : choices.subList(0, Math.min(OPTIONS_MAX, choices.size()))) {
            options.add(option(c.text(), c.value()));
            if (c.value().equals(initial)) {
                select.set("initial_option", option(c.text(), c.value()));
            }
        }
        return input(blockId, label, select, false);
    }

    private ObjectNode option(String text, String value) {
        ObjectNode option = json.createObjectNode();
        option.set("text", plain(cut(text, OPTION_TEXT_MAX)));
        option.put("value", value);
        return option;
    }

    private ObjectNode plain(String text) {
        return json.createObjectNode().put("type", "plain_text").put("text", text).put("emoji", true);
    }

    /** At most {@code max} characters (code points kept whole). */
    static String cut(String text, int max) {
        if (text == null || text.length() <= max) {
            return text == null ? "" : text;
        }
        int end = max - 1;
        if (Character.isHighSurrogate(text.charAt(end - 1))) {
            end--;
        }
        return text.substring(0, end) + "…";
    }
}

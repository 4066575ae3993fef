package dev.toban.notify.service;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Every message notify-service sends, by template key. Each key ships a default in Japanese and
 * English ({@code notify-templates/<locale>/<key>.txt}); admins can override either through the API.
 * The sample names the preview data ({@code notify-templates/samples/<sample>.json}).
 */
public final class TemplateCatalog {

    public static final List<String> LOCALES = List.of("ja", "en");

    /** One template key: what it is for and which sample data previews it. */
    public record Entry(String key, String description, String sample) {
    }

    private static final Map<String, Entry> ENTRIES = new LinkedHashMap<>();

    static {
        add("incident.parent", "Parent message of an incident thread; kept current with chat.update", "incident");
        add("incident.acknowledged", "Thread reply: the incident was acknowledged", "incident");
        add("incident.escalated", "Thread reply: the incident was escalated to the next level", "incident");
        add("incident.assigned", "Thread reply: a team was assigned", "incident");
        add("incident.role_changed", "Thread reply: the IC, liaison or a responder changed", "incident");
        add("incident.status_updated", "Thread reply: the IC posted a status update", "incident");
        add("incident.mitigated", "Thread reply: mitigated (provisional recovery)", "incident");
        add("incident.resolved", "Thread reply: resolved", "incident");
        add("incident.closed", "Thread reply: the IC declared the response disbanded", "incident");
        add("incident.reopened", "Thread reply: the incident reopened", "incident");
        add("incident.update_overdue", "Thread reply nudging the IC to post a status update", "incident");
        add("page", "Page to a person (Slack DM, email): you are needed on this incident", "page");
        add("handoff.notice", "運用当番のお知らせ: DM (or email) to a person whose shift starts, with the IC duties", "shift");
        add("handoff.channel", "Post in the team channel when a shift starts", "shift");
        add("handoff.upcoming", "Short reminder before a shift starts", "shift");
        add("handoff.ended", "Note when a shift ends", "shift");
        add("cover.requested", "Someone asks for cover (DM to the named colleague, or the team channel)", "cover");
        add("cover.accepted", "A cover request was accepted (DM to both sides)", "cover");
        add("cover.cancelled", "A cover request was withdrawn", "cover");
        add("postmortem.opened", "Thread reply: decide whether to hold the postmortem (障害撲滅委員会)", "postmortem");
        add("postmortem.decided", "Thread reply: the postmortem decision", "postmortem");
        add("postmortem.scheduled", "Thread reply: the postmortem meeting is scheduled", "postmortem");
        add("postmortem.rescheduled", "Thread reply: the postmortem meeting moved", "postmortem");
        add("postmortem.cancelled", "Thread reply: the postmortem meeting is cancelled", "postmortem");
        add("postmortem.held", "Thread reply: the postmortem was held", "postmortem");
        add("postmortem.published", "Thread reply: the postmortem document is published", "postmortem");
        add("postmortem.skipped", "Thread reply: the postmortem is skipped", "postmortem");
        add("postmortem.reopened", "Thread reply: the postmortem reopened with the incident", "postmortem");
        add("postmortem.decision_overdue", "Reminder to the IC: the postmortem decision is overdue", "postmortem");
        add("postmortem.action_item.created", "DM to the owner of a new action item", "action_item");
        add("postmortem.action_item.updated", "Thread reply: an action item changed", "action_item");
        add("postmortem.action_item.overdue", "DM to the owner of an overdue action item", "action_item");
        add("reminder.sos_howto", "Recurring post in the incident-report channel: how to report with /sos", "reminder");
    }

    private TemplateCatalog() {
    }

    private static void add(String key, String description, String sample) {
        ENTRIES.put(key, new Entry(key, description, sample));
    }

    public static List<Entry> all() {
        return List.copyOf(ENTRIES.values());
    }

    public static Optional<Entry> find(String key) {
        return Optional.ofNullable(ENTRIES.get(key));
    }

    public static boolean isLocale(String locale) {
        return LOCALES.contains(locale);
    }
}

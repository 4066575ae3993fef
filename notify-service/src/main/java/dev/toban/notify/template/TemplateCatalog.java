package dev.toban.notify.template;

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
    /** The message key prefix of configured webhooks' deliveries (the event as JSON, no template). */
    public static final String WEBHOOK = "webhook";

    /** One template key: what it is for, which sample data previews it, and its title for people in ja and en. */
    public record Entry(String key, String description, String sample, String titleJa, String titleEn) {
        public String title(String locale) {
            return "ja".equals(locale) ? titleJa : titleEn;
        }
    }

    private static final Map<String, Entry> ENTRIES = new LinkedHashMap<>();

    static {
        add("incident.parent", "Parent message of an incident thread; kept current with chat.update", "incident",
                "インシデント: 親メッセージ", "Incident: parent message");
        add("incident.acknowledged", "Thread reply: the incident was acknowledged", "incident",
                "インシデント: 確認", "Incident: acknowledged");
        add("incident.escalated", "Thread reply: the incident was escalated to the next level", "incident",
                "インシデント: エスカレーション", "Incident: escalated");
        add("incident.assigned", "Thread reply: a team was assigned", "incident",
                "インシデント: 担当チームのアサイン", "Incident: team assigned");
        add("incident.role_changed", "Thread reply: the IC, liaison or a responder changed", "incident",
                "インシデント: 役割の変更", "Incident: role changed");
        add("incident.status_updated", "Thread reply: the IC posted a status update", "incident",
                "インシデント: 状況アップデート", "Incident: status update");
        add("incident.mitigated", "Thread reply: mitigated (provisional recovery)", "incident",
                "インシデント: 暫定復旧", "Incident: mitigated");
        add("incident.resolved", "Thread reply: resolved", "incident",
                "インシデント: 解決", "Incident: resolved");
        add("incident.closed", "Thread reply: the IC declared the response disbanded", "incident",
                "インシデント: 対応体制の解散", "Incident: response disbanded");
        add("incident.reopened", "Thread reply: the incident reopened", "incident",
                "インシデント: 再オープン", "Incident: reopened");
        add("incident.update_overdue", "Thread reply nudging the IC to post a status update", "incident",
                "インシデント: アップデートの催促", "Incident: status update overdue");
        add("incident.alerts_grouped", "Thread reply rolling up alerts grouped into the incident (at most one a minute)",
                "incident", "インシデント: アラートのまとめ", "Incident: alerts grouped");
        add("incident.alerts_resolved", "Thread reply: every alert of a grouped incident has resolved", "incident",
                "インシデント: アラートがすべて解決", "Incident: all alerts resolved");
        add("page", "Page to a person (Slack DM, email): you are needed on this incident", "page",
                "呼び出し", "Page");
        add("handoff.notice", "運用当番のお知らせ: DM (or email) to a person whose shift starts, with the IC duties", "shift",
                "運用当番のお知らせ", "On-call duty notice (運用当番のお知らせ)");
        add("handoff.channel", "Post in the team channel when a shift starts", "shift",
                "当番の開始 (チームチャンネル)", "Shift started (team channel)");
        add("handoff.upcoming", "Short reminder before a shift starts", "shift",
                "当番のリマインド", "Shift reminder");
        add("handoff.ended", "Note when a shift ends", "shift",
                "当番の終了", "Shift ended");
        add("cover.requested", "Someone asks for cover (DM to the named colleague, or the team channel)", "cover",
                "代理の依頼", "Cover requested");
        add("cover.accepted", "A cover request was accepted (DM to both sides)", "cover",
                "代理の引き受け", "Cover accepted");
        add("cover.cancelled", "A cover request was withdrawn", "cover",
                "代理依頼の取り下げ", "Cover request withdrawn");
        add("postmortem.opened", "Thread reply: decide whether to hold the postmortem (障害撲滅委員会)", "postmortem",
                "ポストモーテム: 開催の判断", "Postmortem: hold or skip?");
        add("postmortem.decided", "Thread reply: the postmortem decision", "postmortem",
                "ポストモーテム: 判断", "Postmortem: decided");
        add("postmortem.scheduled", "Thread reply: the postmortem meeting is scheduled", "postmortem",
                "ポストモーテム: 会議の予定", "Postmortem: meeting scheduled");
        add("postmortem.rescheduled", "Thread reply: the postmortem meeting moved", "postmortem",
                "ポストモーテム: 会議の変更", "Postmortem: meeting moved");
        add("postmortem.cancelled", "Thread reply: the postmortem meeting is cancelled", "postmortem",
                "ポストモーテム: 会議の中止", "Postmortem: meeting cancelled");
        add("postmortem.held", "Thread reply: the postmortem was held", "postmortem",
                "ポストモーテム: 開催済み", "Postmortem: held");
        add("postmortem.published", "Thread reply: the postmortem document is published", "postmortem",
                "ポストモーテム: 公開", "Postmortem: published");
        add("postmortem.skipped", "Thread reply: the postmortem is skipped", "postmortem",
                "ポストモーテム: 見送り", "Postmortem: skipped");
        add("postmortem.reopened", "Thread reply: the postmortem reopened with the incident", "postmortem",
                "ポストモーテム: 再開", "Postmortem: reopened");
        add("postmortem.decision_overdue", "Reminder to the IC: the postmortem decision is overdue", "postmortem",
                "ポストモーテム: 判断の期限切れ", "Postmortem: decision overdue");
        add("postmortem.action_item.created", "DM to the owner of a new action item", "action_item",
                "アクションアイテム: 担当の割り当て", "Action item: assigned");
        add("postmortem.action_item.updated", "Thread reply: an action item changed", "action_item",
                "アクションアイテム: 変更", "Action item: changed");
        add("postmortem.action_item.overdue", "DM to the owner of an overdue action item", "action_item",
                "アクションアイテム: 期限切れ", "Action item: overdue");
        add("reminder.sos_howto", "Recurring post in the incident-report channel: how to report with /sos", "reminder",
                "/sos での報告のしかた", "How to report with /sos");
    }

    private TemplateCatalog() {
    }

    private static void add(String key, String description, String sample, String titleJa, String titleEn) {
        ENTRIES.put(key, new Entry(key, description, sample, titleJa, titleEn));
    }

    public static List<Entry> all() {
        return List.copyOf(ENTRIES.values());
    }

    public static Optional<Entry> find(String key) {
        return Optional.ofNullable(ENTRIES.get(key));
    }

    /**
     * What a delivery's message key ({@code handoff.notice:<person>}, {@code page:<person>:<step>},
     * {@code incident.parent}, {@code webhook:<id>}) says it is: a template key, {@code webhook}, or null.
     */
    public static String templateKeyOf(String messageKey) {
        if (messageKey == null) {
            return null;
        }
        String head = messageKey.contains(":") ? messageKey.substring(0, messageKey.indexOf(':')) : messageKey;
        if (WEBHOOK.equals(head) || ENTRIES.containsKey(head)) {
            return head;
        }
        return null;
    }

    /** The title people read for a template key (or {@code webhook}) in {@code locale}. */
    public static String title(String templateKey, String locale) {
        boolean ja = "ja".equals(locale);
        if (WEBHOOK.equals(templateKey)) {
            return ja ? "Webhook (イベントの JSON)" : "Webhook (event as JSON)";
        }
        return find(templateKey).map(e -> e.title(locale)).orElse(ja ? "メッセージ" : "Message");
    }

    public static boolean isLocale(String locale) {
        return LOCALES.contains(locale);
    }
}

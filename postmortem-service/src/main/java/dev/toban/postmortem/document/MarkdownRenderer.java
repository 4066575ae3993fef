package dev.toban.postmortem.document;

import dev.toban.contracts.Actor;
import dev.toban.contracts.PersonRef;
import dev.toban.postmortem.lifecycle.Views;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Renders the blameless postmortem document as Markdown, with Japanese or English headings. */
public final class MarkdownRenderer {

    /** Everything the document shows. */
    public record Input(String language, String title, Integer incidentNumber, String severity, String state,
                        String teamName, String incidentUrl, ZoneId zone, String summary, String impact,
                        List<Views.TimelineEntry> timeline, boolean timelineComplete, Views.Downtime downtime,
                        String contributingFactors, String wentWell, String wentPoorly, String gotLucky,
                        List<Views.ActionItemView> actionItems) {
    }

    private static final Map<String, Map<String, String>> TEXT = Map.of(
            "en", Map.ofEntries(
                    Map.entry("title", "Postmortem"),
                    Map.entry("blameless", "This is a blameless postmortem: it describes what happened and why the system allowed it, not who is to blame."),
                    Map.entry("incident", "Incident"),
                    Map.entry("severity", "Severity"),
                    Map.entry("team", "Owning team"),
                    Map.entry("status", "Status"),
                    Map.entry("summary", "Summary"),
                    Map.entry("impact", "Impact"),
                    Map.entry("timeline", "Timeline"),
                    Map.entry("timelinePending", "The detailed timeline from incident-service is not available yet; these are the key times of the incident."),
                    Map.entry("time", "Time"),
                    Map.entry("event", "Event"),
                    Map.entry("by", "By"),
                    Map.entry("downtime", "Downtime"),
                    Map.entry("part", "Part"),
                    Map.entry("duration", "Duration"),
                    Map.entry("detect", "Time to detect (problem start → incident opened)"),
                    Map.entry("assign", "Time to assign (incident opened → IC acknowledged)"),
                    Map.entry("mitigate", "Time to mitigate (IC acknowledged → provisional recovery)"),
                    Map.entry("total", "Total downtime"),
                    Map.entry("unknown", "unknown"),
                    Map.entry("factors", "Contributing factors"),
                    Map.entry("wentWell", "What went well"),
                    Map.entry("wentPoorly", "What went poorly"),
                    Map.entry("gotLucky", "Where we got lucky"),
                    Map.entry("actionItems", "Action items"),
                    Map.entry("noActionItems", "No action items yet."),
                    Map.entry("owner", "Owner"),
                    Map.entry("due", "Due"),
                    Map.entry("link", "Backlog"),
                    Map.entry("empty", "_To be written._")),
            "ja", Map.ofEntries(
                    Map.entry("title", "障害撲滅委員会"),
                    Map.entry("blameless", "この文書はブレームレス（非難しない）形式です。誰が悪かったかではなく、何が起きたか、なぜ仕組みがそれを許したかを記します。"),
                    Map.entry("incident", "インシデント"),
                    Map.entry("severity", "重大度"),
                    Map.entry("team", "担当チーム"),
                    Map.entry("status", "ステータス"),
                    Map.entry("summary", "概要"),
                    Map.entry("impact", "影響"),
                    Map.entry("timeline", "タイムライン"),
                    Map.entry("timelinePending", "incident-service からの詳細なタイムラインはまだ取得できていません。以下はインシデントの主要な時刻です。"),
                    Map.entry("time", "時刻"),
                    Map.entry("event", "出来事"),
                    Map.entry("by", "実施者"),
                    Map.entry("downtime", "ダウンタイム"),
                    Map.entry("part", "区間"),
                    Map.entry("duration", "時間"),
                    Map.entry("detect", "検知までの時間（障害発生 → インシデント起票）"),
                    Map.entry("assign", "アサインまでの時間（起票 → IC の確認）"),
                    Map.entry("mitigate", "暫定復旧までの時間（IC の確認 → 暫定復旧）"),
                    Map.entry("total", "ダウンタイム合計"),
                    Map.entry("unknown", "不明"),
                    Map.entry("factors", "寄与要因"),
                    Map.entry("wentWell", "うまくいったこと"),
                    Map.entry("wentPoorly", "うまくいかなかったこと"),
                    Map.entry("gotLucky", "幸運だったこと"),
                    Map.entry("actionItems", "アクションアイテム"),
                    Map.entry("noActionItems", "アクションアイテムはまだありません。"),
                    Map.entry("owner", "担当者"),
                    Map.entry("due", "期限"),
                    Map.entry("link", "バックログ"),
                    Map.entry("empty", "_（未記入）_")));

    private MarkdownRenderer() {
    }

    public static String render(Input in) {
        Map<String, String> t = TEXT.getOrDefault(in.language(), TEXT.get("en"));
        DateTimeFormatter time = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm", Locale.ROOT).withZone(in.zone());
        StringBuilder md = new StringBuilder();
        md.append("# ").append(t.get("title")).append(": ").append(oneLine(in.title())).append("\n\n");
        md.append("> ").append(t.get("blameless")).append("\n\n");
        md.append("- ").append(t.get("incident")).append(": ");
        String ref = in.incidentNumber() == null ? "" : "#" + in.incidentNumber();
        md.append(in.incidentUrl() == null ? ref : "[" + ref + "](" + in.incidentUrl() + ")").append('\n');
        md.append("- ").append(t.get("severity")).append(": ").append(in.severity()).append('\n');
        if (in.teamName() != null) {
            md.append("- ").append(t.get("team")).append(": ").append(oneLine(in.teamName())).append('\n');
        }
        md.append("- ").append(t.get("status")).append(": ").append(in.state()).append("\n\n");

        section(md, t.get("summary"), in.summary(), t);
        section(md, t.get("impact"), in.impact(), t);

        md.append("## ").append(t.get("timeline")).append("\n\n");
        if (!in.timelineComplete()) {
            md.append("_").append(t.get("timelinePending")).append("_\n\n");
        }
        md.append("| ").append(t.get("time")).append(" (").append(in.zone().getId()).append(") | ")
                .append(t.get("event")).append(" | ").append(t.get("by")).append(" |\n|---|---|---|\n");
        for (Views.TimelineEntry e : in.timeline()) {
            md.append("| ").append(e.at() == null ? "" : time.format(e.at())).append(" | ").append(cell(e.message()))
                    .append(" | ").append(e.actor() == null ? "" : cell(actorName(e.actor()))).append(" |\n");
        }
        md.append('\n');

        md.append("## ").append(t.get("downtime")).append("\n\n");
        md.append("| ").append(t.get("part")).append(" | ").append(t.get("duration")).append(" |\n|---|---|\n");
        md.append("| ").append(t.get("detect")).append(" | ").append(duration(in.downtime().timeToDetectSeconds(), t)).append(" |\n");
        md.append("| ").append(t.get("assign")).append(" | ").append(duration(in.downtime().timeToAssignSeconds(), t)).append(" |\n");
        md.append("| ").append(t.get("mitigate")).append(" | ").append(duration(in.downtime().timeToMitigateSeconds(), t)).append(" |\n");
        md.append("| **").append(t.get("total")).append("** | **").append(duration(in.downtime().totalSeconds(), t)).append("** |\n\n");

        section(md, t.get("factors"), in.contributingFactors(), t);
        section(md, t.get("wentWell"), in.wentWell(), t);
        section(md, t.get("wentPoorly"), in.wentPoorly(), t);
        section(md, t.get("gotLucky"), in.gotLucky(), t);

        md.append("## ").append(t.get("actionItems")).append("\n\n");
        if (in.actionItems().isEmpty()) {
            md.append(t.get("noActionItems")).append('\n');
        } else {
            md.append("| | ").append(t.get("actionItems")).append(" | ").append(t.get("owner")).append(" | ")
                    .append(t.get("team")).append(" | ").append(t.get("due")).append(" | ").append(t.get("status"))
                    .append(" | ").append(t.get("link")).append(" |\n|---|---|---|---|---|---|---|\n");
            for (Views.ActionItemView a : in.actionItems()) {
                boolean done = a.status() == dev.toban.postmortem.model.ActionItemStatus.DONE;
                md.append("| ").append(done ? "☑" : "☐").append(" | ").append(cell(a.title())).append(" | ")
                        .append(a.owner() == null ? "" : cell(personName(a.owner()))).append(" | ")
                        .append(a.team() == null ? "" : cell(a.team().name())).append(" | ")
                        .append(a.dueDate()).append(" | ").append(a.status()).append(" | ")
                        .append(a.externalUrl() == null ? "" : "[" + cell(a.externalUrl()) + "](" + a.externalUrl() + ")")
                        .append(" |\n");
            }
        }
        return md.toString();
    }

    private static void section(StringBuilder md, String heading, String body, Map<String, String> t) {
        md.append("## ").append(heading).append("\n\n");
        md.append(body == null || body.isBlank() ? t.get("empty") : body.strip()).append("\n\n");
    }

    /** 1 h 05 min, 3 min 20 s, 45 s. */
    static String duration(Long seconds, Map<String, String> t) {
        if (seconds == null) {
            return t.get("unknown");
        }
        long h = seconds / 3600;
        long m = (seconds % 3600) / 60;
        long s = seconds % 60;
        if (h > 0) {
            return h + " h " + String.format(Locale.ROOT, "%02d", m) + " min";
        }
        if (m > 0) {
            return m + " min" + (s > 0 ? " " + s + " s" : "");
        }
        return s + " s";
    }

    private static String actorName(Actor actor) {
        return actor.name() != null ? actor.name() : actor.username();
    }

    private static String personName(PersonRef person) {
        return person.name() != null ? person.name() : person.username() != null ? person.username() : person.email();
    }

    /** Table cells: one line, pipes escaped. */
    static String cell(String s) {
        return s == null ? "" : oneLine(s).replace("|", "\\|");
    }

    private static String oneLine(String s) {
        return s == null ? "" : s.replace("\r", " ").replace("\n", " ").strip();
    }
}

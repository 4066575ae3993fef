package dev.toban.incident.web;

import dev.toban.plumbing.web.PageContext;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The service layer's problem messages (English, as the API answers them) in the page's language. Each known
 * message has a text key ({@code error.*} in {@code web/incident_*.properties}) whose {@code {0}}, {@code {1}}...
 * are the message's captured parts. An English page shows the English message as it is (ids dropped); a
 * Japanese page never shows an English sentence: one it does not know becomes a general one. The Slack app's
 * private answers use it too, in the person's language.
 */
public final class ProblemTexts {

    private record Rule(Pattern pattern, String key) {
    }

    private static final Pattern UUID = Pattern.compile(
            "\\s*\\(?\\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\\b\\)?");

    private static final List<Rule> RULES = rules(
            "must not be blank|must not be null|is required", "error.required",
            "size must be between (\\d+) and (\\d+)", "error.size",
            "must be at most (\\d+) characters", "error.maxLength",
            "must be a single line \\(no line breaks or tabs\\)", "error.singleLine",
            "contains a control character.*|contains an unpaired surrogate.*", "error.control",
            "must be an http\\(s\\) URL|must be an absolute http or https URL.*", "error.url",
            "must be a Slack channel name or id", "error.slackChannel",
            "is not a valid id|is not an id", "error.id",
            "must be one of \\[events_v2, alertmanager\\]", "error.keyType",
            "must be one of SEV1, SEV2, SEV3, SEV4", "error.severity",
            "a service named '(.*)' already exists", "error.serviceTaken",
            "is not a team of oncall-service|is not a team known to Toban.*", "error.unknownTeam",
            "is an archived team of oncall-service", "error.archivedTeam",
            "is not an escalation policy of oncall-service", "error.unknownPolicy",
            "is an archived escalation policy of oncall-service", "error.archivedPolicy",
            "cannot be checked against oncall-service right now", "error.oncallDown",
            "oncall-service cannot confirm the .* right now; nothing was saved, retry shortly", "error.oncallDown",
            "is not a service of the catalog", "error.unknownService",
            "(.*) is archived; unarchive it before creating keys", "error.serviceArchivedKeys",
            "(.*) cannot be unarchived: .*", "error.cannotUnarchive",
            "the key '(.*)' is already revoked; create a new key instead", "error.keyRevoked",
            "is not a known person", "error.unknownPerson",
            "is archived \\((.*)\\); an admin may unarchive it", "error.archivedService",
            "name a person by personId or username", "error.required",
            "is required: you \\((.*)\\) are not in the people directory", "error.notInDirectory",
            "name at least one of title, severity, impact", "error.nothingChanged",
            "the incident is (\\w+); only a triggered incident can be acknowledged", "error.ackState",
            "the incident is (\\w+); only a triggered or acknowledged incident can be mitigated", "error.mitigateState",
            "the incident is already (\\w+)", "error.alreadyState",
            "the incident is (\\w+); resolve it before declaring the response disbanded", "error.disbandState",
            "the incident is (\\w+); only a resolved or closed incident can be reopened", "error.reopenState",
            "the incident is closed; reopen it first", "error.closed",
            "the incident's service (.*) is archived; .*", "error.reopenArchived",
            "another open incident has the same dedup key; work on that one", "error.sameDedup",
            "Only the Incident Commander \\((.*)\\) or an admin may (.*)", "error.onlyCommander",
            "the incident is (\\w+); only an open incident can be escalated or paged again", "error.pageState",
            "level (\\d+) is the last level of (.*); page it again instead", "error.lastLevel",
            "nobody is on call at level (\\d+) of (.*)", "error.nobodyOnCall",
            "the incident has no escalation policy", "error.noPolicy",
            "oncall-service cannot say whom to page at level (\\d+) right now; retry shortly", "error.oncallDown",
            "oncall-service refused level (\\d+).*", "error.levelRefused",
            "the page level changed meanwhile; look at the timeline and try again", "error.levelChanged",
            "must be between 1 and (\\d+)", "error.range",
            "open incident #(\\d+) (.*)", "error.ref.openIncident",
            "active integration key '(.*)' \\(…(\\S+), (\\S+)\\)", "error.ref.activeKey",
            "SOS reports go to this service; configure another one first", "error.ref.sos",
            "(?:Incident|Service|Integration key|Responder) does not exist", "error.notFound",
            // alert grouping, maintenance windows, heartbeat monitors (issue 19)
            "must be off, time or content", "error.groupingRule",
            "has an unknown placeholder \\{\\{(.*)\\}\\}: .*", "error.groupingPlaceholder",
            "needs at least one placeholder, e\\.g\\. .*", "error.groupingNoPlaceholder",
            "must be one line without control characters", "error.singleLine",
            "is longer than (\\d+) characters", "error.maxLength",
            "is not a time zone .*", "error.timeZone",
            "must be none or weekly", "error.recurrence",
            "must be after startsAt", "error.endBeforeStart",
            "a weekly window is at most 7 days long", "error.weeklyTooLong",
            "is in the past", "error.inPast",
            "is out of range", "error.outOfRange",
            "names at least one service", "error.atLeastOneService",
            "must be between (\\d+) and (\\d+).*", "error.between",
            "is required.*", "error.required");

    private static final Pattern REQUIRED = Pattern.compile("must not be blank|must not be null|is required");
    private static final Pattern STILL_REFERRED = Pattern.compile("(.*) is still referred to: (.*)");

    private ProblemTexts() {
    }

    /** The message in the page's language. */
    public static String message(PageContext ctx, String english) {
        if (english == null || english.isBlank()) {
            return ctx.t("error.general");
        }
        english = UUID.matcher(english).replaceAll(""); // ids mean nothing to a reader; names stay
        Matcher referred = STILL_REFERRED.matcher(english);
        if (referred.matches()) {
            List<String> parts = new ArrayList<>();
            for (String part : referred.group(2).split("; ")) {
                parts.add(message(ctx, part));
            }
            return fill(ctx.t("error.stillReferred"), referred.group(1), String.join(ctx.ja() ? "、" : "; ", parts));
        }
        if (!ctx.ja()) {
            return english;
        }
        for (Rule rule : RULES) {
            Matcher m = rule.pattern().matcher(english);
            if (m.matches()) {
                String[] args = new String[m.groupCount()];
                for (int i = 0; i < args.length; i++) {
                    args[i] = state(ctx, m.group(i + 1));
                }
                return fill(ctx.t(rule.key()), args);
            }
        }
        return ctx.t("error.general");
    }

    /** The message about {@code field}: a missing choice of a list (an id, a severity, a type) says "choose". */
    public static String message(PageContext ctx, String field, String english) {
        boolean list = field != null && (field.endsWith("Id") || field.equals("severity") || field.endsWith("Type"));
        if (list && english != null && REQUIRED.matcher(english).matches()) {
            return ctx.t("error.choose");
        }
        return message(ctx, english);
    }

    /** A field's label in the page's language ({@code field.<name>}), or the name as it is. */
    static String field(PageContext ctx, String field) {
        String text = ctx.t("field." + field);
        return text.equals("field." + field) ? field : text;
    }

    /** Incident states inside messages are shown as the page shows states. */
    private static String state(PageContext ctx, String value) {
        if (value == null) {
            return "";
        }
        String label = ctx.t("state." + value);
        return label.equals("state." + value) ? value : label;
    }

    public static String fill(String text, String... args) {
        String out = text;
        for (int i = 0; i < args.length; i++) {
            out = out.replace("{" + i + "}", args[i] == null ? "" : args[i]);
        }
        return out;
    }

    private static List<Rule> rules(String... pairs) {
        List<Rule> rules = new ArrayList<>();
        for (int i = 0; i < pairs.length; i += 2) {
            rules.add(new Rule(Pattern.compile(pairs[i]), pairs[i + 1]));
        }
        return List.copyOf(rules);
    }

    /** For tests: every key the rules use. */
    static List<String> keys() {
        List<String> keys = new ArrayList<>(RULES.stream().map(Rule::key).distinct().toList());
        keys.add("error.general");
        keys.add("error.choose");
        keys.add("error.stillReferred");
        return keys;
    }
}

package dev.toban.oncall.web;

import dev.toban.plumbing.web.PageContext;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The service layer's problem messages (English, as the API answers them) in the page's language. Each
 * known message has a text key ({@code error.*} in {@code web/oncall_*.properties}) whose {@code {0}},
 * {@code {1}}... are the message's captured names and numbers. An English page shows the message as it
 * is; a Japanese page never shows an English message: one it does not know becomes a general sentence.
 */
final class ProblemTexts {

    private record Rule(Pattern pattern, String key) {
    }

    private static final DateTimeFormatter UTC = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'").withZone(ZoneOffset.UTC);

    /** One-sentence messages, most of them about one field. */
    private static final List<Rule> RULES = rules(
            "must not be blank|must not be null|is required", "error.required",
            "must be a phone number in E.164 form, such as \\+819012345678", "error.e164",
            "must be an ntfy or UnifiedPush topic URL.*", "error.topicUrl",
            "must be the 6-digit code Toban sent", "error.codeFormat",
            "no code is waiting for this contact method; ask for a new code", "error.noCode",
            "the code was sent to an earlier address; ask for a new code", "error.codeOldAddress",
            "has expired; ask for a new code", "error.codeExpired",
            "is wrong, and that was the last try; ask for a new code", "error.codeLastTry",
            "is wrong; (\\d+) tries left", "error.codeWrong",
            "a webhook is verified by an admin's approval, not by a code", "error.webhookByApproval",
            "this contact method is already verified", "error.alreadyVerified",
            "this contact method is not verified yet; verify it with a code first", "error.notVerified",
            "this webhook waits for an admin's approval; a test page goes only to a verified method",
            "error.webhookAwaitingTest",
            "at most (\\d+) (verification codes|test pages) per contact method in (.+); try again after (.+)",
            "error.tooMany",
            "size must be between (\\d+) and (\\d+)", "error.size",
            "must be at most (\\d+) characters", "error.maxLength",
            "must be a well-formed email address|must be an email address", "error.email",
            "must be a Slack user id such as (\\S+)", "error.slackUser",
            "must be a Slack channel name or id", "error.slackChannel",
            "is not an IANA time zone such as Asia/Tokyo", "error.zone",
            "must be ja or en", "error.locale",
            "may contain letters, digits and \\. _ @ - only", "error.username",
            "must be a single line \\(no line breaks or tabs\\)", "error.singleLine",
            "contains a control character.*|contains an unpaired surrogate.*", "error.control",
            "must be an absolute http or https URL with a host.*", "error.url",
            "a person with username '(.*)' already exists", "error.usernameTaken",
            "a team named '(.*)' already exists \\(archived: unarchive it instead\\)", "error.teamTakenArchived",
            "a team named '(.*)' already exists", "error.teamTaken",
            "a policy named '(.*)' already exists \\(archived: unarchive it instead\\)", "error.policyTakenArchived",
            "a policy named '(.*)' already exists", "error.policyTaken",
            "team already has a '(.*)' schedule.*", "error.roleTaken",
            "is not a known person", "error.unknownPerson",
            "is not a known team", "error.unknownTeam",
            "is not a known schedule", "error.unknownSchedule",
            "is an archived person", "error.archivedPerson",
            "is an archived team", "error.archivedTeam",
            "is an archived schedule", "error.archivedSchedule",
            "is listed twice|is used twice", "error.twice",
            "is used by another layer; each layer needs its own level", "error.levelTaken",
            "must not exceed the number of distinct participants \\((\\d+)\\)", "error.slots",
            "must not repeat a person when more than one slot is on call", "error.repeat",
            "must be between 2000-01-01 and 2200-01-01", "error.startDate",
            "start and end must be whole minutes|must be a whole minute such as 10:00", "error.wholeMinute",
            "must be greater than or equal to (-?\\d+)", "error.min",
            "must be less than or equal to (-?\\d+)", "error.max",
            "must list between 1 and 100 participants", "error.participants",
            "must have between 1 and 10 layers", "error.layers",
            "must have between 1 and 10 levels", "error.levels",
            "must have between 1 and 10 targets", "error.targets",
            "must name at least one day", "error.days",
            "is not a whole number", "error.number",
            "is not a date \\(YYYY-MM-DD\\)", "error.date",
            "is not a date and time \\(YYYY-MM-DDTHH:MM\\)", "error.dateTime",
            "is not a time \\(HH:MM\\)", "error.time",
            "is not a valid id|is not a UUID", "error.id",
            "must be lower-case letters, digits, - or _, such as server", "error.role",
            "must be one of slack, email, sms, voice, push, webhook", "error.contactType",
            "must be schedule or person", "error.targetType",
            "must be one of (.*)", "error.oneOf",
            "must be after start", "error.afterStart",
            "is in the past", "error.past",
            "must be at most 366 days after start", "error.range366",
            "must be someone other than personId", "error.samePerson",
            "must be the id of one of this person's contactMethods.*", "error.ruleMethod",
            "belongs to another person", "error.otherPerson",
            "has too many rows", "error.rows",
            "overlaps override \\S+ \\((\\S+) to (\\S+)\\): an override without replacesPersonId takes the whole schedule",
            "error.overlapsWhole",
            "overlaps override \\S+ \\((\\S+) to (\\S+)\\): that person is already replaced then", "error.overlapsReplaced",
            "overlaps override \\S+ \\((\\S+) to (\\S+)\\): that person already has an override then", "error.overlapsPerson",
            "(.*) is archived; unarchive it first", "error.isArchived",
            "incident-service cannot check whether services still use it, retry", "error.catalogDown",
            "only an admin may .*|only .* or an admin may .*", "forbidden",
            "(?:Person|Team|Schedule|Escalation policy|Override|Contact method|Cover request) \\S+ does not exist",
            "error.notFound");

    /** The parts of an archive refusal, one reference each. */
    private static final List<Rule> REFERENCES = rules(
            "person '(.*)' is a member of team '(.*)'", "error.ref.personTeam",
            "person '(.*)' is a member of layer '(.*)' of schedule '(.*)'", "error.ref.personLayer",
            "person '(.*)' is a target of escalation policy '(.*)' level (\\d+)", "error.ref.personPolicy",
            "person '(.*)' is on call through an override of schedule '(.*)' from (\\S+) to (\\S+)", "error.ref.personOverride",
            "person '(.*)' is replaced by an override of schedule '(.*)' from (\\S+) to (\\S+)", "error.ref.personReplaced",
            "person '(.*)' is named in an open cover request of schedule '(.*)' from (\\S+) to (\\S+)", "error.ref.personCover",
            "schedule '(.*)' is a target of escalation policy '(.*)' level (\\d+)", "error.ref.schedulePolicy",
            "schedule '(.*)' has an open cover request by '(.*)' from (\\S+) to (\\S+)", "error.ref.scheduleCover",
            "team '(.*)' is the team of schedule '(.*)'", "error.ref.teamSchedule",
            "team '(.*)' is the owning team of service '(.*)'", "error.ref.teamService",
            "escalation policy '(.*)' is the escalation policy of service '(.*)'", "error.ref.policyService",
            "member '(.*)' is archived", "error.ref.memberArchived",
            "its team '(.*)' is archived", "error.ref.teamArchived",
            "person '(.*)' of layer '(.*)' is archived", "error.ref.layerPersonArchived",
            "level (\\d+) target schedule '(.*)' is archived", "error.ref.targetScheduleArchived",
            "level (\\d+) target person '(.*)' is archived", "error.ref.targetPersonArchived",
            "and (\\d+) more", "error.ref.more");

    /** Messages that carry an id: shown in their own words on English pages too. */
    private static final java.util.Set<String> NAMED = java.util.Set.of("error.notFound", "error.overlapsWhole",
            "error.overlapsReplaced", "error.overlapsPerson");
    private static final Pattern UUID =
            Pattern.compile("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");

    private static final Pattern CANNOT_ARCHIVE = Pattern.compile("cannot archive: (.*); remove these references first");
    private static final Pattern CANNOT_UNARCHIVE =
            Pattern.compile("cannot unarchive (.*?): (.*); unarchive or replace them first");

    private ProblemTexts() {
    }

    /** The message in the page's language. */
    static String message(PageContext ctx, String english) {
        if (english == null) {
            return ctx.t("error.general");
        }
        if (!ctx.ja()) {
            // English as the API says it, but never an id where the page would show a name
            String named = translate(ctx, RULES.stream().filter(r -> NAMED.contains(r.key())).toList(), english);
            return named != null ? named : UUID.matcher(english).replaceAll("…");
        }
        Matcher archive = CANNOT_ARCHIVE.matcher(english);
        if (archive.matches()) {
            return fill(ctx.t("error.cannotArchive"), references(ctx, archive.group(1)));
        }
        Matcher unarchive = CANNOT_UNARCHIVE.matcher(english);
        if (unarchive.matches()) {
            return fill(ctx.t("error.cannotUnarchive"), references(ctx, unarchive.group(2)));
        }
        String known = translate(ctx, RULES, english);
        return known != null ? known : ctx.t("error.general");
    }

    private static String references(PageContext ctx, String list) {
        List<String> out = new ArrayList<>();
        for (String part : list.split("; ")) {
            String known = translate(ctx, REFERENCES, part);
            out.add(known != null ? known : ctx.t("error.ref.other"));
        }
        return String.join("、", out);
    }

    private static String translate(PageContext ctx, List<Rule> rules, String english) {
        for (Rule rule : rules) {
            Matcher m = rule.pattern().matcher(english);
            if (m.matches()) {
                String[] args = new String[m.groupCount()];
                for (int i = 0; i < args.length; i++) {
                    args[i] = instant(m.group(i + 1));
                }
                return fill(ctx.t(rule.key()), args);
            }
        }
        return null;
    }

    /** An ISO instant in a message, written as a short UTC time; anything else as it is. */
    private static String instant(String value) {
        if (value == null || !value.matches("\\d{4}-\\d{2}-\\d{2}T.*Z")) {
            return value == null ? "" : value;
        }
        try {
            return UTC.format(Instant.parse(value));
        } catch (DateTimeParseException e) {
            return value;
        }
    }

    private static String fill(String text, String... args) {
        String out = text;
        for (int i = 0; i < args.length; i++) {
            out = out.replace("{" + i + "}", args[i]);
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
        List<String> keys = new ArrayList<>();
        RULES.forEach(r -> keys.add(r.key()));
        REFERENCES.forEach(r -> keys.add(r.key()));
        keys.addAll(Arrays.asList("error.general", "error.cannotArchive", "error.cannotUnarchive", "error.ref.other"));
        return keys;
    }
}

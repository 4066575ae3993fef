package dev.toban.incident.sos;

import dev.toban.contracts.Actor;
import dev.toban.contracts.incident.IncidentSnapshot;
import dev.toban.contracts.incident.IncidentSource;
import dev.toban.contracts.incident.Severity;
import dev.toban.incident.config.IncidentConfig;
import dev.toban.incident.ingestion.IntegrationKeys;
import dev.toban.incident.lifecycle.IncidentOpener;
import dev.toban.incident.lifecycle.IncidentSnapshots;
import dev.toban.incident.model.Incident;
import dev.toban.incident.model.IncidentRepository;
import dev.toban.incident.model.Sql;
import dev.toban.incident.model.TechnicalService;
import dev.toban.incident.model.TechnicalServiceRepository;
import dev.toban.plumbing.problem.ProblemException;
import dev.toban.plumbing.security.RandomTokens;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * SOS from business staff (Slack {@code /sos} or {@code POST /api/sos}). An SOS names no service, so it
 * opens an incident on the configured triage service; the IC re-assigns the owning team after triage.
 * Only the database is touched on this path: the IC lookup happens after commit.
 */
@ApplicationScoped
public class SosService {

    private final TechnicalServiceRepository services;
    private final IncidentRepository incidents;
    private final IncidentOpener opener;
    private final IncidentSnapshots snapshots;
    private final Sql sql;
    private final SosLimiter limiter;
    private final IncidentConfig.Sos config;

    public SosService(TechnicalServiceRepository services, IncidentRepository incidents, IncidentOpener opener,
                      IncidentSnapshots snapshots, Sql sql, SosLimiter limiter, IncidentConfig config) {
        this.services = services;
        this.incidents = incidents;
        this.opener = opener;
        this.snapshots = snapshots;
        this.sql = sql;
        this.limiter = limiter;
        this.config = config.sos();
    }

    /**
     * {@code affected} (optional): how many users are affected, {@code one}, {@code few}, {@code many}, {@code all} or
     * {@code unknown}; it sets the severity ({@link #severity(String)}).
     */
    public record SosRequest(@NotBlank @Size(max = 4000) String description, @Size(max = 4000) String impact,
                             @Pattern(regexp = "one|few|many|all|unknown", message = "must be one of one, few, many, all, unknown")
                             String affected) {
    }

    /** The answers to "how many users are affected?", in the form's order. */
    public static final List<String> AFFECTED = List.of("one", "few", "many", "all", "unknown");

    /**
     * The severity an SOS starts at: all users SEV1, many SEV2, a few SEV3, one SEV4 (toban.incident.sos.affected.*);
     * not said or "I don't know": toban.incident.sos.severity (SEV3). The IC changes it on the console.
     */
    public Severity severity(String affected) {
        if (affected == null) {
            return config.severity();
        }
        return switch (affected) {
            case "all" -> config.affected().all();
            case "many" -> config.affected().many();
            case "few" -> config.affected().few();
            case "one" -> config.affected().one();
            default -> config.severity();
        };
    }

    /**
     * Who raises an SOS, and whose count it goes to (toban.incident.sos.limit): a person of the directory
     * however they report (Slack, API, page), else the signed-in user or the Slack user.
     */
    public record Reporter(Actor actor, String key) {

        public static Reporter of(Actor actor) {
            return new Reporter(actor, actor.personId() != null ? "person:" + actor.personId() : "user:" + actor.username());
        }

        /** A Slack user, by their workspace and user id (names change; ids do not). */
        public static Reporter slack(Actor actor, String teamId, String userId) {
            return new Reporter(actor, actor.personId() != null ? "person:" + actor.personId()
                    : "slack:" + (teamId == null ? "" : teamId + "/") + userId);
        }
    }

    @Transactional
    public IncidentSnapshot raise(String description, String impact, Reporter reporter, String via) {
        return raise(new Sos(description, impact, null, null, null, null), reporter, via);
    }

    /**
     * What an SOS says: what is wrong, the impact, since when, which service (null: the triage service), its
     * severity (null: {@code sos.severity}) and the form's one-time {@code token} (null: none).
     */
    public record Sos(String description, String impact, Instant problemStartedAt, UUID serviceId, Severity severity,
                      String token) {
    }

    /**
     * An SOS, from any source; the web form may say since when the problem exists, which service it is about, how
     * many users are affected, and carries a one-time token: the same form sent again (back, then submit) opens
     * nothing new and answers the incident the first sending opened. Over the reporter's limit:
     * {@link SosLimitedException} and nothing is written.
     */
    @Transactional
    public IncidentSnapshot raise(Sos sos, Reporter reporter, String via) {
        String description = sos.description();
        String impact = sos.impact();
        Instant problemStartedAt = sos.problemStartedAt();
        UUID serviceId = sos.serviceId();
        String token = sos.token() == null ? null : tokenKey(reporter, sos.token());
        if (token != null) {
            // one sending at a time per token: a second one waits for the first's commit, then finds its incident
            sql.query("select cast(pg_advisory_xact_lock(hashtextextended(?, 0)) as text)", "toban.sos-token:" + token);
            List<Sql.Row> first = sql.query("select id from incident where sos_token = ?", token);
            if (!first.isEmpty()) {
                return snapshots.of(incidents.findById(first.get(0).uuid(0)));
            }
        }
        TechnicalService triage = services.findById(serviceId == null ? config.serviceId() : serviceId);
        if (triage == null && serviceId != null) {
            throw ProblemException.invalid("serviceId", "is not a service of the catalog");
        }
        if (triage == null || serviceId == null && triage.archivedAt != null) {
            throw new ProblemException(503, "SOS is not set up", "The SOS triage service " + config.serviceId()
                    + " is not in the catalog or archived; an admin must restore it or set toban.incident.sos.service-id",
                    List.of());
        }
        Instant now = Instant.now();
        UUID counted = limiter.take(reporter.key(), now);
        String text = description.strip();
        String firstLine = text.lines().findFirst().orElse(text);
        IncidentOpener.Opened opened = opener.open(new IncidentOpener.NewIncident(
                "SOS: " + IncidentOpener.truncate(firstLine, 200), sos.severity() == null ? config.severity() : sos.severity(),
                IncidentOpener.truncate(impact == null || impact.isBlank() ? text : impact.strip(), 4000),
                IncidentSource.SOS, triage, null, null, problemStartedAt, reporter.actor()));
        limiter.opened(counted, opened.incidentId());
        sql.update("""
                insert into alert (id, incident_id, service_id, kind, status, summary, source, created_at, last_event_at,
                    event_count)
                values (?, ?, ?, 'sos', 'triggered', ?, ?, ?, ?, 1)""",
                UUID.randomUUID(), opened.incidentId(), triage.id, IncidentOpener.truncate(text, 1024),
                via + ":" + reporter.actor().username(), now, now);
        Incident incident = incidents.findById(opened.incidentId());
        incident.sosToken = token;
        return snapshots.of(incident);
    }

    /** A form's token as stored: bound to its reporter, so nobody else's sending can stand for theirs. */
    static String tokenKey(Reporter reporter, String token) {
        return IntegrationKeys.hash(reporter.key() + "\u0000" + token);
    }

    /** A token the SOS form hands out: 128 random bits, URL-safe. */
    public static String newToken() {
        return RandomTokens.urlSafe(16);
    }

    /** A token as the form sends it back, or null when it is not one (an old form, a forged field). */
    public static String token(String value) {
        return value != null && value.matches("[A-Za-z0-9_-]{16,64}") ? value : null;
    }

    /** The ephemeral Slack reply, in plain Japanese or English. */
    public static String reply(String locale, IncidentSnapshot incident) {
        if (isEnglish(locale)) {
            return "Got it. Incident #" + incident.number() + " is open and the on-call engineer is being paged. "
                    + "Updates will follow in a thread in " + channel(incident, "the incident channel") + ".\n"
                    + "War room: " + incident.warRoomUrl() + "\nIncident page: " + incident.url();
        }
        return "SOS を受け付けました（インシデント #" + incident.number() + "）。運用当番に連絡しています。"
                + "対応の様子は" + channel(incident, "インシデントチャンネル") + "のスレッドでお知らせします。\n"
                + "障害対応優先スペース: " + incident.warRoomUrl() + "\nインシデントのページ: " + incident.url();
    }

    public static String usage(String locale) {
        return isEnglish(locale)
                ? "Usage: /sos what is wrong (for example: /sos article pages do not load)"
                : "使い方: /sos 何が起きているか（例: /sos 記事ページが表示されません）";
    }

    public static String failure(String locale) {
        return isEnglish(locale)
                ? "Your SOS could not be recorded. Please contact the on-call engineer directly."
                : "SOS を記録できませんでした。お手数ですが運用当番に直接連絡してください。";
    }

    /** The answer when the reporter is over the limit (Slack's ephemeral text and the page's message). */
    public static String limited(String locale, SosLimitedException e) {
        String numbers = e.incidentNumbers().stream().map(n -> "#" + n).collect(Collectors.joining(", "));
        long minutes = e.retryAfterMinutes();
        if (isEnglish(locale)) {
            return "You have already sent " + e.maxReports() + " SOS reports in the last " + e.window().toMinutes()
                    + " minutes, so this one was not sent." + (numbers.isEmpty() ? "" : " Your reports: " + numbers + ".")
                    + " The on-call engineer is on them: please add details there, or try again in about " + minutes
                    + (minutes == 1 ? " minute." : " minutes.");
        }
        return "直近 " + e.window().toMinutes() + " 分間に SOS を " + e.maxReports() + " 件受け付けているため、今回の SOS は"
                + "送信されていません。" + (numbers.isEmpty() ? "" : "これまでの報告: " + numbers + "。")
                + "運用当番が対応しています。補足はそちらに書き込むか、約 " + minutes + " 分後にもう一度送ってください。";
    }

    private static String channel(IncidentSnapshot incident, String fallback) {
        return incident.service() != null && incident.service().slackChannel() != null
                ? incident.service().slackChannel() : fallback;
    }

    static boolean isEnglish(String locale) {
        return locale != null && locale.toLowerCase().startsWith("en");
    }
}

package dev.toban.incident.slack;

import dev.toban.incident.client.SlackWebClient;
import dev.toban.incident.config.IncidentConfig;
import dev.toban.incident.directory.PeopleDirectoryService;
import dev.toban.incident.model.Person;
import dev.toban.plumbing.web.Pages;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.jboss.logging.Logger;

/**
 * One identity, Slack side: the Slack user who acts is the person whose stored Slack user id it is (the people
 * replica oncall-service announces), else the one active person with the email Slack gives for them
 * ({@code users.info}, scope {@code users:read.email}). A match by email is remembered for
 * {@code toban.incident.slack.identity-cache} (10 min), "nobody" for {@code unknown-identity-cache} (1 min), per
 * instance, so a click costs at most one Slack call now and then. Never call this inside a database transaction.
 */
@ApplicationScoped
public class SlackIdentity {

    private static final Logger LOG = Logger.getLogger(SlackIdentity.class);
    /** Beyond this many remembered Slack users, expired ones are dropped. */
    private static final int CACHE_LIMIT = 10_000;

    /** What users.info told: the person with that email (or none) and the Slack user's own language. */
    private record Remembered(UUID personId, String slackLang, Instant until) {
    }

    private final PeopleDirectoryService people;
    private final SlackWebClient slack;
    private final Pages pages;
    private final IncidentConfig config;
    private final Map<String, Remembered> remembered = new ConcurrentHashMap<>();

    public SlackIdentity(PeopleDirectoryService people, SlackWebClient slack, Pages pages, IncidentConfig config) {
        this.people = people;
        this.slack = slack;
        this.pages = pages;
        this.config = config;
    }

    /** The person behind {@code slackUserId}, or an unknown user (with the language to answer them in). */
    public SlackUser match(String slackUserId) {
        if (slackUserId == null || slackUserId.isBlank()) {
            return new SlackUser(slackUserId, null, language(null, null));
        }
        Optional<Person> stored = people.bySlackUserId(slackUserId);
        if (stored.isPresent()) {
            return new SlackUser(slackUserId, stored.get(), language(stored.get(), null));
        }
        Instant now = Instant.now();
        Remembered known = remembered.get(slackUserId);
        if (known == null || known.until().isBefore(now)) {
            known = ask(slackUserId, now);
        }
        Person person = known == null || known.personId() == null ? null : people.find(known.personId()).orElse(null);
        return new SlackUser(slackUserId, person, language(person, known == null ? null : known.slackLang()));
    }

    /** The texts for this user's language and time zone. */
    public SlackTexts texts(SlackUser user) {
        return new SlackTexts(pages.context(user.lang()), user.person() == null ? null : user.person().timeZone);
    }

    /** Texts in the default language (a request whose user is not known yet). */
    public SlackTexts texts(String lang) {
        return new SlackTexts(pages.context(lang == null ? defaultLanguage() : lang), null);
    }

    /** users.info, then the person with that email; null (nothing remembered) when Slack cannot answer. */
    private Remembered ask(String slackUserId, Instant now) {
        if (!slack.enabled()) {
            return null;
        }
        Optional<SlackWebClient.UserInfo> info;
        try {
            info = slack.userInfo(slackUserId);
        } catch (SlackWebClient.SlackCallException e) {
            LOG.infof("Slack cannot say who %s is (%s); they are treated as unknown this time", slackUserId, e.error());
            return null;
        }
        Optional<Person> person = info.filter(i -> !i.deleted()).map(SlackWebClient.UserInfo::email)
                .flatMap(people::byEmail);
        Duration keep = person.isPresent() ? config.slack().identityCache() : config.slack().unknownIdentityCache();
        Remembered answer = new Remembered(person.map(p -> p.id).orElse(null),
                info.map(SlackWebClient.UserInfo::locale).map(SlackIdentity::lang).orElse(null), now.plus(keep));
        if (remembered.size() >= CACHE_LIMIT) {
            remembered.values().removeIf(r -> r.until().isBefore(now));
        }
        remembered.put(slackUserId, answer);
        return answer;
    }

    /** The person's language, else their Slack language, else {@code toban.incident.sos.default-locale}. */
    private String language(Person person, String slackLang) {
        String own = person == null ? null : lang(person.locale);
        return own != null ? own : slackLang != null ? slackLang : defaultLanguage();
    }

    private String defaultLanguage() {
        String configured = lang(config.sos().defaultLocale());
        return configured == null ? Pages.JA : configured;
    }

    /** {@code ja} or {@code en} from a locale such as {@code ja-JP}; null for anything else. */
    static String lang(String locale) {
        if (locale == null) {
            return null;
        }
        String l = locale.strip().toLowerCase(Locale.ROOT);
        return l.startsWith("ja") ? Pages.JA : l.startsWith("en") ? Pages.EN : null;
    }
}

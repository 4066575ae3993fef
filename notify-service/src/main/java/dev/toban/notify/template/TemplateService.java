package dev.toban.notify.template;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.toban.notify.model.TemplateOverride;
import dev.toban.notify.model.TemplateOverrideRepository;
import dev.toban.plumbing.problem.Problem;
import dev.toban.plumbing.problem.ProblemException;
import io.quarkus.qute.Engine;
import io.quarkus.qute.EvalContext;
import io.quarkus.qute.Expression;
import io.quarkus.qute.NamespaceResolver;
import io.quarkus.qute.RawString;
import io.quarkus.qute.ResultMapper;
import io.quarkus.qute.Template;
import io.quarkus.qute.TemplateException;
import io.quarkus.qute.TemplateInstance;
import io.quarkus.qute.TemplateNode;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import org.jboss.logging.Logger;

/**
 * Qute templates of every message, in Japanese and English. Defaults ship in the jar; admins'
 * overrides live in the database and apply at once on every replica. A template is checked before
 * it is saved: a syntax error, or an expression the sample data cannot resolve, is refused with the line.
 */
@ApplicationScoped
public class TemplateService {

    private static final Logger LOG = Logger.getLogger(TemplateService.class);
    private static final DateTimeFormatter DATE_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm z", Locale.ENGLISH);
    private static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("yyyy-MM-dd", Locale.ENGLISH);
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm", Locale.ENGLISH);
    private static final int MAX_SOURCE = 20_000;

    private final Engine engine;
    private final TemplateOverrideRepository overrides;
    private final Links links;
    private final ObjectMapper mapper;
    private final Map<String, Template> compiled = new ConcurrentHashMap<>();
    private final Map<String, String> defaults = new ConcurrentHashMap<>();
    private final Map<String, JsonNode> samples = new ConcurrentHashMap<>();
    /** Overrides as last read, per key and locale; edits on this instance clear it, other replicas see them within the TTL. */
    private final Map<String, CachedOverride> overrideCache = new ConcurrentHashMap<>();
    static final long OVERRIDE_TTL_MILLIS = 2000;

    private record CachedOverride(String source, long loadedAt) {
    }

    public TemplateService(TemplateOverrideRepository overrides, ObjectMapper mapper, Links links) {
        this.overrides = overrides;
        this.links = links;
        this.mapper = mapper;
        this.engine = Engine.builder()
                .addDefaults()
                .addValueResolver(io.quarkus.qute.ValueResolvers.rawResolver())
                .addNamespaceResolver(timeResolver())
                .addResultMapper(new SlackEscaper())
                .strictRendering(true)
                .removeStandaloneLines(true)
                .build();
    }

    /**
     * What a rendering produced, in the forms the channels need. The plain, HTML and subject forms are derived
     * when first asked: a Slack message (a parent, a DM) needs only the mrkdwn, and deriving the others cost about
     * half of a rendering on the hot path (docs/performance.md).
     */
    public static final class Rendered {
        private final String mrkdwn;
        private final String locale;
        private String plain;
        private String html;
        private String subject;

        Rendered(String mrkdwn, String locale) {
            this.mrkdwn = mrkdwn;
            this.locale = locale;
        }

        public String mrkdwn() {
            return mrkdwn;
        }

        public String plain() {
            if (plain == null) {
                plain = Markup.toPlain(mrkdwn);
            }
            return plain;
        }

        public String subject() {
            if (subject == null) {
                subject = Markup.firstLine(mrkdwn, 150);
            }
            return subject;
        }

        public String html() {
            if (html == null) {
                html = Markup.htmlDocument(mrkdwn, locale, subject());
            }
            return html;
        }
    }

    public record Preview(String key, String locale, String text, String plain, String subject, String html) {
    }

    public record LocaleSource(String locale, String source, String defaultSource, boolean overridden,
                               Instant updatedAt, String updatedBy) {
    }

    /** @param titles the title people read, by locale */
    public record TemplateView(String key, String description, Map<String, String> titles, String sample,
                               List<LocaleSource> locales) {
    }

    public record TemplateSummary(String key, String description, Map<String, String> titles,
                                  List<String> overriddenLocales) {
    }

    // ------------------------------------------------------------------ rendering

    /**
     * Renders a template to Slack mrkdwn (and the plain and HTML forms). Never fails: a broken
     * override falls back to the shipped default, and that to a one-line summary, so a message is
     * never lost to a template.
     */
    public Rendered render(String key, String locale, Map<String, Object> model) {
        String loc = TemplateCatalog.isLocale(locale) ? locale : "ja";
        String source = source(key, loc);
        String text;
        try {
            text = renderSource(key, loc, source, model);
        } catch (RuntimeException e) {
            LOG.warnf("Template %s (%s) failed, using the default: %s", key, loc, e.getMessage());
            try {
                text = renderSource(key, loc, defaultSource(key, loc), model);
            } catch (RuntimeException e2) {
                LOG.errorf("Default template %s (%s) failed: %s", key, loc, e2.getMessage());
                text = "Toban: " + key;
            }
        }
        return rendered(text, loc);
    }

    private Rendered rendered(String text, String locale) {
        return new Rendered(text, locale);
    }

    private String renderSource(String key, String locale, String source, Map<String, Object> model) {
        Template template = compiled.computeIfAbsent(source, s -> engine.parse(s, null, key + "." + locale));
        TemplateInstance instance = template.instance();
        links.apply(model).forEach(instance::data);
        instance.data("locale", locale);
        return instance.render().strip();
    }

    /** The source in use: the admin's override, else the shipped default. */
    public String source(String key, String locale) {
        String cacheKey = key + "/" + locale;
        long now = System.currentTimeMillis();
        CachedOverride cached = overrideCache.get(cacheKey);
        if (cached == null || now - cached.loadedAt() > OVERRIDE_TTL_MILLIS) {
            String override = overrides.findByIdOptional(new TemplateOverride.Key(key, locale)).map(o -> o.source).orElse(null);
            cached = new CachedOverride(override, now);
            overrideCache.put(cacheKey, cached);
        }
        return cached.source() != null ? cached.source() : defaultSource(key, locale);
    }

    public String defaultSource(String key, String locale) {
        return defaults.computeIfAbsent(key + "/" + locale, k -> {
            String path = "notify-templates/" + locale + "/" + key + ".txt";
            try (InputStream in = Thread.currentThread().getContextClassLoader().getResourceAsStream(path)) {
                if (in == null) {
                    throw new IllegalStateException("missing default template " + path);
                }
                return new String(in.readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new IllegalStateException("cannot read " + path, e);
            }
        });
    }

    /** Sample model of a template key, as the preview uses it. */
    public Map<String, Object> sampleModel(String key, Models.Flavor flavor) {
        TemplateCatalog.Entry entry = entry(key);
        return Models.map(sample(entry.sample()), flavor);
    }

    private JsonNode sample(String name) {
        return samples.computeIfAbsent(name, n -> {
            String path = "notify-templates/samples/" + n + ".json";
            try (InputStream in = Thread.currentThread().getContextClassLoader().getResourceAsStream(path)) {
                if (in == null) {
                    throw new IllegalStateException("missing sample " + path);
                }
                return mapper.readTree(in);
            } catch (IOException e) {
                throw new IllegalStateException("cannot read " + path, e);
            }
        });
    }

    // ------------------------------------------------------------------ admin API

    public List<TemplateSummary> list() {
        Map<String, List<String>> overridden = new LinkedHashMap<>();
        overrides.listAll().forEach(o -> overridden.computeIfAbsent(o.id.templateKey, k -> new ArrayList<>()).add(o.id.locale));
        return TemplateCatalog.all().stream()
                .map(e -> new TemplateSummary(e.key(), e.description(), titles(e),
                        overridden.getOrDefault(e.key(), List.of()).stream().sorted().toList()))
                .toList();
    }

    public TemplateView get(String key) {
        TemplateCatalog.Entry entry = entry(key);
        List<LocaleSource> locales = TemplateCatalog.LOCALES.stream().map(locale -> {
            Optional<TemplateOverride> o = overrides.findByIdOptional(new TemplateOverride.Key(key, locale));
            String def = defaultSource(key, locale);
            return new LocaleSource(locale, o.map(x -> x.source).orElse(def), def, o.isPresent(),
                    o.map(x -> x.updatedAt).orElse(null), o.map(x -> x.updatedBy).orElse(null));
        }).toList();
        return new TemplateView(entry.key(), entry.description(), titles(entry), entry.sample(), locales);
    }

    /** Saves an override after checking it parses and renders with the sample data. */
    @Transactional
    public TemplateView put(String key, String locale, String source, String user) {
        entry(key);
        checkLocale(locale);
        check(key, locale, source, sampleModel(key, Models.Flavor.SLACK));
        TemplateOverride o = overrides.findByIdOptional(new TemplateOverride.Key(key, locale)).orElseGet(() -> {
            TemplateOverride created = new TemplateOverride();
            created.id = new TemplateOverride.Key(key, locale);
            return created;
        });
        o.source = source;
        o.updatedAt = Instant.now();
        o.updatedBy = user;
        overrides.persist(o);
        overrideCache.clear();
        return get(key);
    }

    /**
     * Saves the texts of several locales at once (the templates page edits ja and en side by side):
     * every text is checked first, and nothing is saved unless all pass. A text equal to the one in use
     * is left alone, so saving an unchanged default creates no override.
     *
     * @throws LocalesRefusedException naming each refused locale
     */
    @Transactional
    public TemplateView putAll(String key, Map<String, String> sources, String user) {
        entry(key);
        Map<String, TemplateRefusedException> refused = new LinkedHashMap<>();
        sources.forEach((locale, source) -> {
            checkLocale(locale);
            try {
                check(key, locale, source, sampleModel(key, Models.Flavor.SLACK));
            } catch (TemplateRefusedException e) {
                refused.put(locale, e);
            }
        });
        if (!refused.isEmpty()) {
            throw new LocalesRefusedException(refused);
        }
        sources.forEach((locale, source) -> {
            if (!source.equals(source(key, locale))) {
                put(key, locale, source, user);
            }
        });
        return get(key);
    }

    /** Several locales' texts refused at once: each locale's problem. */
    public static class LocalesRefusedException extends ProblemException {
        private final Map<String, TemplateRefusedException> byLocale;

        LocalesRefusedException(Map<String, TemplateRefusedException> byLocale) {
            super(400, "Invalid template", byLocale.entrySet().stream()
                            .map(e -> e.getKey() + ": " + e.getValue().message()).reduce((a, b) -> a + "; " + b).orElse(""),
                    byLocale.entrySet().stream()
                            .map(e -> new Problem.FieldError("source." + e.getKey(), e.getValue().message())).toList());
            this.byLocale = Map.copyOf(byLocale);
        }

        public Map<String, TemplateRefusedException> byLocale() {
            return byLocale;
        }
    }

    /**
     * The template in use (an admin's override included) rendered with its sample data for people to
     * read: names rather than Slack mentions, plain text (links as "label (url)"), and the subject line.
     */
    public Notice renderedSample(String key, String locale) {
        entry(key);
        checkLocale(locale);
        Rendered r = render(key, locale, sampleModel(key, Models.Flavor.PLAIN));
        return new Notice(r.subject(), r.plain());
    }

    /** A template as people read it (see {@link #renderedSample}). */
    public record Notice(String subject, String text) {
    }

    /** Drops the override of one locale, or of every locale; the shipped default applies again. */
    @Transactional
    public TemplateView restore(String key, String locale) {
        entry(key);
        if (locale == null) {
            overrides.delete("id.templateKey", key);
        } else {
            checkLocale(locale);
            overrides.deleteById(new TemplateOverride.Key(key, locale));
        }
        overrideCache.clear();
        return get(key);
    }

    /** Renders {@code source} (or the template in use) with {@code data} (or the sample) without saving anything. */
    public Preview preview(String key, String locale, String source, JsonNode data, String flavorName) {
        entry(key);
        checkLocale(locale);
        Models.Flavor flavor = "email".equals(flavorName) ? Models.Flavor.PLAIN : Models.Flavor.SLACK;
        Map<String, Object> model = data == null || data.isNull() ? sampleModel(key, flavor) : Models.map(data, flavor);
        String src = source == null ? source(key, locale) : source;
        String text = check(key, locale, src, model);
        Rendered r = rendered(text, locale);
        return new Preview(key, locale, r.mrkdwn(), r.plain(), r.subject(), r.html());
    }

    private String check(String key, String locale, String source, Map<String, Object> model) {
        if (source == null || source.isBlank()) {
            throw new TemplateRefusedException(TemplateRefusedException.BLANK, 0, null, null, "must not be blank");
        }
        if (source.length() > MAX_SOURCE) {
            throw new TemplateRefusedException(TemplateRefusedException.TOO_LONG, 0, null, null,
                    "must be at most " + MAX_SOURCE + " characters");
        }
        Template template;
        try {
            template = engine.parse(source, null, key + "." + locale);
        } catch (TemplateException e) {
            throw templateProblem(TemplateRefusedException.SYNTAX, "has a syntax error", e);
        }
        try {
            TemplateInstance instance = template.instance();
            links.apply(model).forEach(instance::data);
            instance.data("locale", locale);
            String text = instance.render().strip();
            if (text.isEmpty()) {
                throw new TemplateRefusedException(TemplateRefusedException.EMPTY, 0, null, null,
                        "renders to an empty message");
            }
            return text;
        } catch (TemplateException e) {
            throw templateProblem(TemplateRefusedException.RENDER, "cannot be rendered with the sample data", e);
        }
    }

    /** Qute names the failing expression at the end of a rendering error: "... in expression {incident.titel}". */
    private static final java.util.regex.Pattern FAILED_EXPRESSION =
            java.util.regex.Pattern.compile("in expression \\{(.{1,200}?)\\}\\s*$");

    private static TemplateRefusedException templateProblem(String kind, String what, TemplateException e) {
        TemplateNode.Origin origin = e.getOrigin();
        int line = origin == null ? -1 : origin.getLine();
        String reason = String.valueOf(e.getMessage()).replaceAll("\\s+", " ").strip();
        String message = (line > 0 ? "line " + line + ": " : "") + what + ": " + reason;
        java.util.regex.Matcher expression = FAILED_EXPRESSION.matcher(reason);
        return new TemplateRefusedException(kind, Math.max(line, 0), e.getCodeName().orElse(null),
                expression.find() ? expression.group(1) : null, message);
    }

    private static Map<String, String> titles(TemplateCatalog.Entry entry) {
        Map<String, String> titles = new LinkedHashMap<>();
        TemplateCatalog.LOCALES.forEach(l -> titles.put(l, entry.title(l)));
        return titles;
    }

    private static TemplateCatalog.Entry entry(String key) {
        return TemplateCatalog.find(key).orElseThrow(() -> ProblemException.notFound("Template", key));
    }

    private static void checkLocale(String locale) {
        if (locale == null || !TemplateCatalog.isLocale(locale)) {
            throw ProblemException.invalid("locale", "must be one of " + TemplateCatalog.LOCALES);
        }
    }

    // ------------------------------------------------------------------ engine parts

    /** Values printed by expressions are escaped for Slack; RawString (mentions) passes as is. */
    static final class SlackEscaper implements ResultMapper {
        @Override
        public boolean appliesTo(TemplateNode.Origin origin, Object result) {
            return !(result instanceof RawString);
        }

        @Override
        public String map(Object result, Expression expression) {
            return Markup.escapeSlack(result.toString());
        }
    }

    /**
     * {@code {time:format(value, tz)}} prints an instant in a time zone ("2026-12-02 10:00 JST");
     * {@code time:date}, {@code time:time} print only the date or the time.
     */
    private static NamespaceResolver timeResolver() {
        return NamespaceResolver.builder("time").resolveAsync(ctx -> {
            List<Expression> params = ctx.getParams();
            if (params.isEmpty() || params.size() > 2) {
                return CompletableFuture.failedFuture(new TemplateException(
                        "time:" + ctx.getName() + " takes a time and an optional time zone"));
            }
            CompletionStage<Object> value = ctx.evaluate(params.get(0));
            CompletionStage<Object> zone = params.size() == 2 ? ctx.evaluate(params.get(1))
                    : CompletableFuture.completedFuture("UTC");
            return value.thenCombine(zone, (v, z) -> formatTime(ctx, v, z));
        }).build();
    }

    private static Object formatTime(EvalContext ctx, Object value, Object zone) {
        if (value == null) {
            return "";
        }
        ZoneId zoneId;
        try {
            zoneId = ZoneId.of(zone == null ? "UTC" : zone.toString());
        } catch (DateTimeException e) {
            zoneId = ZoneId.of("UTC");
        }
        String text = value.toString();
        try {
            Instant instant = text.length() == 10 ? LocalDate.parse(text).atStartOfDay(zoneId).toInstant()
                    : OffsetDateTime.parse(text).toInstant();
            var zoned = instant.atZone(zoneId);
            return switch (ctx.getName()) {
                case "date" -> DATE.format(zoned);
                case "time" -> TIME.format(zoned);
                default -> DATE_TIME.format(zoned);
            };
        } catch (DateTimeException e) {
            return text;
        }
    }
}

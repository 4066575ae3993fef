package dev.toban.notify.web;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.toban.notify.template.Markup;
import dev.toban.notify.template.Models;
import dev.toban.notify.template.TemplateCatalog;
import dev.toban.notify.template.TemplateRefusedException;
import dev.toban.notify.template.TemplateService;
import dev.toban.notify.template.TemplateService.LocaleSource;
import dev.toban.notify.template.TemplateService.LocalesRefusedException;
import dev.toban.notify.template.TemplateService.TemplateView;
import dev.toban.plumbing.input.Text;
import dev.toban.plumbing.problem.ProblemException;
import dev.toban.plumbing.security.Roles;
import dev.toban.plumbing.web.PageContext;
import dev.toban.plumbing.web.Pages;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import io.quarkus.security.identity.SecurityIdentity;
import io.vertx.ext.web.RoutingContext;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.jboss.resteasy.reactive.RestForm;

/**
 * The message templates for admins: the list, and one template's Japanese and English texts side by
 * side, each with a preview rendered from the sample data. {@code /template-preview.js} posts the text
 * to {@code /{key}/preview} as the admin types (debounced, with the CSRF header) and shows the fragment
 * it answers; without JavaScript the "Show preview" button renders the whole page with the previews.
 * Saving goes through {@link TemplateService#putAll}, the same checks as the API's PUT.
 */
@Path("/ui/settings/templates")
@Produces(MediaType.TEXT_HTML)
@RolesAllowed(Roles.ADMIN)
public class TemplatePageResource {

    static final MediaType HTML = MediaType.TEXT_HTML_TYPE.withCharset("UTF-8");
    static final Set<String> DONE = Set.of("saved", "unchanged", "restored");
    /** The groups of the list, in order, by the first word of the key. */
    static final List<String> GROUPS = List.of("handoff", "page", "incident", "postmortem", "cover", "reminder");
    /** As the service allows (TemplateService); checked here first to say so in the page language. */
    static final int MAX_SOURCE = 20_000;

    /** One template in the list and which of its languages an admin edited. */
    public record Row(String key, String title, String help, boolean editedJa, boolean editedEn, boolean highlight) {
    }

    public record Group(String name, List<Row> rows) {
    }

    /** A rendered preview: the subject line and the message as HTML (escaped by {@link Markup}), or the problem. */
    public record Preview(String locale, String subject, String html, String error) {
    }

    /** One language's column of the editor. */
    public record Column(String locale, String label, String source, boolean overridden, String updated,
                         Preview preview, String error) {
    }

    public record Editor(String key, String title, String help, boolean highlight, List<Column> columns,
                         String sample, String done, String error) {
    }

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance list(PageContext ctx, List<Group> groups, String error);

        static native TemplateInstance edit(PageContext ctx, Editor editor);

        static native TemplateInstance preview(PageContext ctx, Preview preview);
    }

    private final Pages pages;
    private final SecurityIdentity identity;
    private final TemplateService templates;
    private final ObjectMapper mapper;

    public TemplatePageResource(Pages pages, SecurityIdentity identity, TemplateService templates, ObjectMapper mapper) {
        this.pages = pages;
        this.identity = identity;
        this.templates = templates;
        this.mapper = mapper;
    }

    @GET
    @Operation(hidden = true)
    public Response list(@Context HttpHeaders headers, RoutingContext routing) {
        PageContext ctx = context(headers, routing);
        return Response.ok(Templates.list(ctx, groups(ctx), null)).type(HTML).build();
    }

    private List<Group> groups(PageContext ctx) {
        Map<String, List<Row>> byGroup = new LinkedHashMap<>();
        GROUPS.forEach(g -> byGroup.put(g, new ArrayList<>()));
        for (TemplateService.TemplateSummary t : templates.list()) {
            String group = t.key().contains(".") ? t.key().substring(0, t.key().indexOf('.')) : t.key();
            byGroup.computeIfAbsent(group, g -> new ArrayList<>()).add(new Row(t.key(), title(ctx, t.key()),
                    ctx.t("template." + t.key() + ".help"), t.overriddenLocales().contains("ja"),
                    t.overriddenLocales().contains("en"), TemplatePages.NOTICE.equals(t.key())));
        }
        return byGroup.entrySet().stream().filter(e -> !e.getValue().isEmpty())
                .map(e -> new Group(e.getKey(), e.getValue())).toList();
    }

    @GET
    @Path("/{key}")
    @Operation(hidden = true)
    public Response edit(@PathParam("key") String key, @QueryParam("done") String done, @Context HttpHeaders headers,
                         RoutingContext routing) {
        PageContext ctx = context(headers, routing);
        if (TemplateCatalog.find(key).isEmpty()) {
            return unknown(ctx);
        }
        return editor(ctx, key, Map.of(), Map.of(), done != null && DONE.contains(done) ? "templates.done." + done : null,
                null, 200);
    }

    /**
     * Saves both texts ({@code action=save}), or only shows their previews ({@code action=preview}, the
     * no-JavaScript preview). A refused text is shown again as typed, with the problem next to it.
     */
    @POST
    @Path("/{key}")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Operation(hidden = true)
    public Response save(@PathParam("key") String key, @RestForm("source_ja") String ja, @RestForm("source_en") String en,
                         @RestForm String action, @Context HttpHeaders headers, RoutingContext routing) {
        PageContext ctx = context(headers, routing);
        if (TemplateCatalog.find(key).isEmpty()) {
            return unknown(ctx);
        }
        Map<String, String> typed = new LinkedHashMap<>();
        typed.put("ja", normalise(ja));
        typed.put("en", normalise(en));
        Map<String, String> errors = new LinkedHashMap<>();
        typed.forEach((locale, source) -> {
            String problem = formProblem(ctx, source);
            if (problem != null) {
                errors.put(locale, problem);
            }
        });
        if ("preview".equals(action)) {
            return editor(ctx, key, typed, errors, null, null, 200);
        }
        if (!errors.isEmpty()) {
            return editor(ctx, key, typed, errors, null, ctx.t("templates.refused"), 400);
        }
        TemplateView before = templates.get(key);
        try {
            TemplateView after = templates.putAll(key, typed, identity.getPrincipal().getName());
            boolean changed = !before.equals(after);
            return Response.seeOther(URI.create("/ui/settings/templates/" + key + "?done=" + (changed ? "saved" : "unchanged")))
                    .build();
        } catch (LocalesRefusedException e) {
            e.byLocale().forEach((locale, refused) -> errors.put(locale, TemplatePages.message(ctx, refused)));
            return editor(ctx, key, typed, errors, null, ctx.t("templates.refused"), 400);
        }
    }

    @POST
    @Path("/{key}/restore")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Operation(hidden = true)
    public Response restore(@PathParam("key") String key, @RestForm String locale, @Context HttpHeaders headers,
                            RoutingContext routing) {
        PageContext ctx = context(headers, routing);
        if (TemplateCatalog.find(key).isEmpty()) {
            return unknown(ctx);
        }
        if (locale == null || !TemplateCatalog.isLocale(locale.strip())) {
            return editor(ctx, key, Map.of(), Map.of(), null, ctx.t("templates.error.locale"), 400);
        }
        templates.restore(key, locale.strip());
        return Response.seeOther(URI.create("/ui/settings/templates/" + key + "?done=restored")).build();
    }

    /**
     * The live preview: the text rendered with the sample data, as an HTML fragment for the page's
     * script (400 with the problem, in the page language, when the text is refused). Nothing is saved.
     */
    @POST
    @Path("/{key}/preview")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Operation(hidden = true)
    public Response preview(@PathParam("key") String key, @RestForm String locale, @RestForm String source,
                            @Context HttpHeaders headers, RoutingContext routing) {
        PageContext ctx = context(headers, routing);
        if (TemplateCatalog.find(key).isEmpty()) {
            return Response.status(404).type(HTML)
                    .entity(Templates.preview(ctx, new Preview(null, null, null, ctx.t("templates.error.unknown")))).build();
        }
        if (locale == null || !TemplateCatalog.isLocale(locale.strip())) {
            return Response.status(400).type(HTML)
                    .entity(Templates.preview(ctx, new Preview(null, null, null, ctx.t("templates.error.locale")))).build();
        }
        String text = normalise(source);
        String problem = formProblem(ctx, text);
        Preview preview = problem != null ? new Preview(locale.strip(), null, null, problem)
                : render(ctx, key, locale.strip(), text);
        return Response.status(preview.error() == null ? 200 : 400).type(HTML).entity(Templates.preview(ctx, preview))
                .build();
    }

    // ------------------------------------------------------------------ rendering

    /**
     * The editor; {@code typed} holds what the admin sent (shown instead of the text in use), {@code errors}
     * each language's problem.
     */
    private Response editor(PageContext ctx, String key, Map<String, String> typed, Map<String, String> errors,
                            String done, String error, int status) {
        TemplateView view = templates.get(key);
        String zone = ctx.ja() ? "Asia/Tokyo" : "UTC";
        List<Column> columns = new ArrayList<>();
        for (LocaleSource l : view.locales()) {
            String source = typed.containsKey(l.locale()) ? typed.get(l.locale()) : l.source();
            String fieldError = errors.get(l.locale());
            Preview preview = fieldError != null ? new Preview(l.locale(), null, null, fieldError)
                    : render(ctx, key, l.locale(), source);
            String updated = l.overridden() ? ctx.t("templates.overridden")
                    .replace("{0}", l.updatedBy() == null ? "?" : l.updatedBy())
                    .replace("{1}", at(l.updatedAt(), zone)) : null;
            // a live-preview error is shown next to the field too, as a save would refuse it
            columns.add(new Column(l.locale(), ctx.t("templates.lang." + l.locale()), source == null ? "" : source,
                    l.overridden(), updated, preview, fieldError != null ? fieldError : preview.error()));
        }
        Editor editor = new Editor(key, title(ctx, key), ctx.t("template." + key + ".help"),
                TemplatePages.NOTICE.equals(key), columns, sample(key), done, error);
        return Response.status(status).type(HTML).entity(Templates.edit(ctx.with("settings", editor.title()), editor))
                .build();
    }

    private Preview render(PageContext ctx, String key, String locale, String source) {
        try {
            TemplateService.Preview p = templates.preview(key, locale, source, null, "email");
            return new Preview(locale, p.subject(), Markup.toHtml(p.text()), null);
        } catch (TemplateRefusedException e) {
            return new Preview(locale, null, null, TemplatePages.message(ctx, e));
        } catch (ProblemException e) {
            return new Preview(locale, null, null, ctx.t("templates.refused"));
        }
    }

    /** The sample data of a template, pretty-printed, so the admin sees which fields there are. */
    private String sample(String key) {
        try {
            Map<String, Object> model = new LinkedHashMap<>(templates.sampleModel(key, Models.Flavor.PLAIN));
            model.remove("tz");
            return mapper.writerWithDefaultPrettyPrinter().writeValueAsString(model);
        } catch (JsonProcessingException | RuntimeException e) {
            return "";
        }
    }

    /** What the page itself refuses before the service sees the text: nothing, too long, control characters. */
    private static String formProblem(PageContext ctx, String source) {
        if (source == null || source.isBlank()) {
            return ctx.t("templates.error.blank");
        }
        if (source.length() > MAX_SOURCE) {
            return ctx.t("templates.error.tooLong");
        }
        if (Text.problem(source, false) != null) {
            return ctx.t("templates.error.control");
        }
        return null;
    }

    /** A textarea sends CRLF line breaks; templates use LF. */
    static String normalise(String value) {
        return value == null ? null : value.replace("\r\n", "\n").replace('\r', '\n');
    }

    private Response unknown(PageContext ctx) {
        return Response.status(404).type(HTML).entity(Templates.list(ctx, groups(ctx), ctx.t("templates.error.unknown")))
                .build();
    }

    static String title(PageContext ctx, String key) {
        return TemplateCatalog.title(key, ctx.lang());
    }

    private static String at(Instant instant, String zone) {
        return instant == null ? "" : DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm").format(instant.atZone(ZoneId.of(zone)));
    }

    private PageContext context(HttpHeaders headers, RoutingContext routing) {
        return pages.context(identity, headers, routing, "settings", "templates.title");
    }
}

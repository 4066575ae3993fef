package dev.toban.notify.rest;

import com.fasterxml.jackson.databind.JsonNode;
import dev.toban.notify.config.NotifyConfig;
import dev.toban.notify.template.TemplateCatalog;
import dev.toban.notify.template.TemplateService;
import dev.toban.notify.template.TemplateService.Preview;
import dev.toban.notify.template.TemplateService.TemplateSummary;
import dev.toban.notify.template.TemplateService.TemplateView;
import dev.toban.plumbing.problem.ProblemException;
import dev.toban.plumbing.security.Roles;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import java.util.Set;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

@Path("/api/templates")
@Tag(name = "Templates", description = "Qute templates of every message, in Japanese and English")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class TemplateResource {

    /** Rendered templates everyone may read: the handoff notice is on the on-call board. */
    static final Set<String> PUBLIC = Set.of("handoff.notice");

    private final TemplateService templates;
    private final SecurityIdentity identity;
    private final NotifyConfig config;

    public TemplateResource(TemplateService templates, SecurityIdentity identity, NotifyConfig config) {
        this.templates = templates;
        this.identity = identity;
        this.config = config;
    }

    /** A new text for one locale of a template. */
    public record TemplateRequest(
            @NotBlank @Pattern(regexp = "ja|en", message = "must be one of [ja, en]") String locale,
            @NotBlank String source) {
    }

    /**
     * Renders without saving.
     *
     * @param source  the text to try; omitted: the template in use
     * @param data    the model; omitted: the template's sample data
     * @param channel slack (mentions as {@code <@U…>}) or email
     */
    public record PreviewRequest(
            @NotBlank @Pattern(regexp = "ja|en", message = "must be one of [ja, en]") String locale,
            String source,
            JsonNode data,
            @Pattern(regexp = "slack|email", message = "must be one of [email, slack]") String channel) {
    }

    @GET
    @RolesAllowed(Roles.RESPONDER)
    @Operation(summary = "List templates", description = "Every message notify-service sends, and which locales an admin overrode.")
    public List<TemplateSummary> list() {
        return templates.list();
    }

    @GET
    @Path("/{key}")
    @RolesAllowed(Roles.RESPONDER)
    @Operation(summary = "Get a template", description = "Both locales: the source in use and the shipped default.")
    public TemplateView get(@PathParam("key") String key) {
        return templates.get(key);
    }

    @GET
    @Path("/{key}/rendered")
    @RolesAllowed({Roles.VIEWER, Roles.SERVICE})
    @Operation(summary = "A template as people read it",
            description = "The template in use (an admin's override included) rendered with its representative sample "
                    + "data: `{\"subject\", \"text\"}`, plain text with people's names (no Slack mentions) and links "
                    + "as \"label (url)\". `locale` is `ja` or `en` (default: the default locale). Viewers and services "
                    + "read `handoff.notice` (運用当番のお知らせ, shown on the on-call board); other templates need `responder`.")
    public TemplateService.Notice rendered(@PathParam("key") String key, @QueryParam("locale") String locale) {
        if (TemplateCatalog.find(key).isEmpty()) {
            throw ProblemException.notFound("Template", key);
        }
        if (!PUBLIC.contains(key) && !identity.hasRole(Roles.RESPONDER)) {
            throw ProblemException.forbidden("Only responders read this template");
        }
        String loc = locale == null || locale.isBlank() ? config.defaultLocale() : locale.strip();
        if (!TemplateCatalog.isLocale(loc)) {
            throw ProblemException.invalid("locale", "must be one of " + TemplateCatalog.LOCALES);
        }
        return templates.renderedSample(key, loc);
    }

    @PUT
    @Path("/{key}")
    @RolesAllowed(Roles.ADMIN)
    @Operation(summary = "Override a template in one locale",
            description = "Takes effect at once, without a redeploy. Refused with 400 naming the line when the Qute "
                    + "syntax is wrong or the sample data cannot be rendered.")
    public TemplateView put(@PathParam("key") String key, @NotNull @Valid TemplateRequest body) {
        return templates.put(key, body.locale(), body.source(), identity.getPrincipal().getName());
    }

    @DELETE
    @Path("/{key}")
    @RolesAllowed(Roles.ADMIN)
    @Operation(summary = "Restore the shipped default", description = "Of one locale (`?locale=ja`) or of both.")
    public TemplateView restore(@PathParam("key") String key, @QueryParam("locale") String locale) {
        return templates.restore(key, locale == null || locale.isBlank() ? null : locale);
    }

    @POST
    @Path("/{key}/preview")
    @RolesAllowed(Roles.ADMIN)
    @Operation(summary = "Preview a template", description = "Renders a draft (or the template in use) with sample or given data; nothing is saved.")
    public Preview preview(@PathParam("key") String key, @NotNull @Valid PreviewRequest body) {
        return templates.preview(key, body.locale(), body.source(), body.data(), body.channel());
    }
}

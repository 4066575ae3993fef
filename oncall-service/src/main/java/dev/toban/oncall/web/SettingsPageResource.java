package dev.toban.oncall.web;

import dev.toban.oncall.model.Person;
import dev.toban.plumbing.security.Roles;
import dev.toban.plumbing.web.PageContext;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import io.vertx.ext.web.RoutingContext;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;

/**
 * The settings hub: an admin reaches every configuration page of every service from here (people, teams,
 * schedules and escalation policies in this service; services and integration keys in incident-service;
 * message templates in notify-service); everyone else finds their own profile.
 */
@Path(SettingsPages.ROOT)
public class SettingsPageResource {

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance hub(PageContext ctx, Person me);
    }

    private final SettingsPages settings;

    public SettingsPageResource(SettingsPages settings) {
        this.settings = settings;
    }

    @GET
    @RolesAllowed(Roles.VIEWER)
    @Produces(MediaType.TEXT_HTML)
    @Operation(hidden = true)
    public TemplateInstance hub(@Context HttpHeaders headers, RoutingContext routing) {
        return Templates.hub(settings.context(headers, routing, "settings.title"), settings.me().orElse(null));
    }
}

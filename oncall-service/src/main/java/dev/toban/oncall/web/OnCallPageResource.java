package dev.toban.oncall.web;

import dev.toban.plumbing.security.Roles;
import dev.toban.plumbing.web.Pages;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import io.quarkus.security.identity.SecurityIdentity;
import io.vertx.ext.web.RoutingContext;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;

/** The on-call board: who is on call per team and role. */
@Path("/ui/oncall")
public class OnCallPageResource {

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance board(dev.toban.plumbing.web.PageContext ctx);
    }

    private final Pages pages;
    private final SecurityIdentity identity;

    public OnCallPageResource(Pages pages, SecurityIdentity identity) {
        this.pages = pages;
        this.identity = identity;
    }

    @GET
    @RolesAllowed(Roles.VIEWER)
    @Produces(MediaType.TEXT_HTML)
    @Operation(hidden = true)
    public TemplateInstance board(@Context HttpHeaders headers, RoutingContext routing) {
        return Templates.board(pages.context(identity, headers, routing, "oncall", "oncall.title"));
    }
}

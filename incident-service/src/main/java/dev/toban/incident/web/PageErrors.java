package dev.toban.incident.web;

import dev.toban.plumbing.web.PageContext;
import dev.toban.plumbing.web.Pages;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import io.quarkus.security.identity.SecurityIdentity;
import io.vertx.ext.web.RoutingContext;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** Pages that cannot show what was asked for answer with a page in the page's language, never a JSON problem. */
public class PageErrors {

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance notFound(PageContext ctx, String what);
    }

    private final Pages pages;
    private final SecurityIdentity identity;

    public PageErrors(Pages pages, SecurityIdentity identity) {
        this.pages = pages;
        this.identity = identity;
    }

    @ServerExceptionMapper
    public Response notFound(PageNotFoundException e, HttpHeaders headers, RoutingContext routing) {
        PageContext ctx = pages.context(identity, headers, routing, e.what().equals("service") ? "settings" : "incidents",
                "notFound.title");
        return Response.status(404).type(MediaType.TEXT_HTML_TYPE.withCharset("UTF-8"))
                .entity(Templates.notFound(ctx, e.what()).render()).build();
    }
}

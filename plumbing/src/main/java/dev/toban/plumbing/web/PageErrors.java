package dev.toban.plumbing.web;

import dev.toban.plumbing.problem.Problem;
import io.quarkus.qute.Location;
import io.quarkus.qute.Template;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.identity.CurrentIdentityAssociation;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * A role check that fails: a page in the page's language for the pages (a bare 403 would leave the
 * browser showing its own error page), an RFC 9457 problem for the APIs.
 */
@ApplicationScoped
public class PageErrors {

    private final Template forbidden;
    private final Pages pages;
    private final CurrentIdentityAssociation identity;

    public PageErrors(@Location("toban/forbidden.html") Template forbidden, Pages pages,
                      CurrentIdentityAssociation identity) {
        this.forbidden = forbidden;
        this.pages = pages;
        this.identity = identity;
    }

    @ServerExceptionMapper
    public Response forbidden(ForbiddenException e, HttpHeaders headers, RoutingContext routing) {
        if (CsrfFilter.isPage(routing.normalizedPath())) {
            PageContext ctx = pages.context(identity.getIdentity(), headers, routing, "", "forbidden.title");
            return Response.status(403).type(MediaType.TEXT_HTML_TYPE.withCharset("UTF-8"))
                    .entity(forbidden.data("ctx", ctx).render()).build();
        }
        return Problem.of(403, "Forbidden", "Your role does not allow this", List.of()).toResponse();
    }
}

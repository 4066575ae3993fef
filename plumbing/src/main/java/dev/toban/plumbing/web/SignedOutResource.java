package dev.toban.plumbing.web;

import io.quarkus.qute.Location;
import io.quarkus.qute.Template;
import io.quarkus.qute.TemplateInstance;
import io.vertx.ext.web.RoutingContext;
import jakarta.annotation.security.PermitAll;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;

/** Where Keycloak sends the browser after signing out: a public page with a way back in. */
@Path("/signed-out")
public class SignedOutResource {

    private final Template signedOut;
    private final Pages pages;

    public SignedOutResource(@Location("toban/signed-out.html") Template signedOut, Pages pages) {
        this.signedOut = signedOut;
        this.pages = pages;
    }

    @GET
    @PermitAll
    @Produces(MediaType.TEXT_HTML)
    @Operation(hidden = true)
    public TemplateInstance get(@Context HttpHeaders headers, RoutingContext routing) {
        return signedOut.data("ctx", pages.context(null, headers, routing, "", "signedOut.title"));
    }
}

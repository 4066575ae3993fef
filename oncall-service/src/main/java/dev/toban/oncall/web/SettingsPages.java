package dev.toban.oncall.web;

import dev.toban.oncall.model.Person;
import dev.toban.oncall.security.Caller;
import dev.toban.plumbing.problem.ProblemException;
import dev.toban.plumbing.web.PageContext;
import dev.toban.plumbing.web.Pages;
import io.quarkus.qute.TemplateInstance;
import io.quarkus.security.identity.SecurityIdentity;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.time.ZoneId;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;

/** What the configuration pages under {@code /ui/settings} share: their context, answers and redirects. */
@ApplicationScoped
public class SettingsPages {

    static final String ROOT = "/ui/settings";
    /** The notices a redirect may ask for ({@code ?done=}); anything else is ignored. */
    static final Set<String> DONE = Set.of("created", "saved", "archived", "unarchived", "approved", "overrideAdded",
            "overrideRemoved", "synced", "codeSent", "verified", "testSent");
    /** Every IANA zone, for the time-zone fields' suggestions. */
    static final List<String> ZONES = List.copyOf(new TreeSet<>(ZoneId.getAvailableZoneIds()));

    private final Pages pages;
    private final SecurityIdentity identity;
    private final Caller caller;

    public SettingsPages(Pages pages, SecurityIdentity identity, Caller caller) {
        this.pages = pages;
        this.identity = identity;
        this.caller = caller;
    }

    PageContext context(HttpHeaders headers, RoutingContext routing, String titleKey) {
        return pages.context(identity, headers, routing, "settings", titleKey);
    }

    /** The signed-in user's own person, when they have a live one. */
    Optional<Person> me() {
        return caller.person();
    }

    static Response html(int status, TemplateInstance page) {
        return Response.status(status).entity(page).type(MediaType.TEXT_HTML_TYPE.withCharset("UTF-8")).build();
    }

    /** 303 to a page, with a "done" notice. */
    static Response done(String path, String done) {
        return Response.seeOther(URI.create(path + (path.contains("?") ? "&" : "?") + "done=" + done)).build();
    }

    /** The text key of a known notice, or null. */
    static String notice(String done) {
        return done != null && DONE.contains(done) ? "done.settings." + done : null;
    }

    /** An id from a URL: 404 for a malformed one, as for an unknown one. */
    static UUID id(String what, String value) {
        try {
            return UUID.fromString(value);
        } catch (IllegalArgumentException | NullPointerException e) {
            throw ProblemException.notFound(what, value);
        }
    }
}

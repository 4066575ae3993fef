package dev.toban.plumbing.web;

import io.vertx.core.http.Cookie;
import io.vertx.core.http.CookieSameSite;
import io.vertx.ext.web.RoutingContext;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Set;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;
import org.jboss.resteasy.reactive.server.spi.ResteasyReactiveContainerRequestContext;

/**
 * Double-submit-cookie CSRF protection for the pages under {@code /ui}. A page GET sets a random
 * token cookie (SameSite=Strict); every form POST to {@code /ui} must echo it in the {@code csrf}
 * field or the {@code X-CSRF-Token} header.
 *
 * <p>Scoped to {@code /ui} on purpose: the JSON APIs use bearer tokens, which a browser never sends
 * by itself, and Slack's slash commands are form posts authenticated by their signature.
 */
public class CsrfFilter {

    public static final String FIELD = "csrf";
    public static final String HEADER = "X-CSRF-Token";
    static final String ATTRIBUTE = "toban.csrf";
    private static final Set<String> SAFE = Set.of("GET", "HEAD", "OPTIONS");
    private static final SecureRandom RANDOM = new SecureRandom();

    private final WebConfig config;

    public CsrfFilter(WebConfig config) {
        this.config = config;
    }

    // readBody: the form is parsed before the check, so a plain HTML form's csrf field is seen
    @ServerRequestFilter(readBody = true)
    public Response check(ResteasyReactiveContainerRequestContext request, RoutingContext routing) {
        String path = routing.normalizedPath();
        if (!path.equals("/ui") && !path.startsWith("/ui/")) {
            return null;
        }
        Cookie cookie = routing.request().getCookie(config.csrfCookie());
        String token = cookie == null ? null : cookie.getValue();
        if (SAFE.contains(request.getMethod())) {
            if (token == null || token.length() < 20) {
                token = newToken();
                routing.response().addCookie(Cookie.cookie(config.csrfCookie(), token)
                        .setPath("/").setHttpOnly(true).setSameSite(CookieSameSite.STRICT));
            }
            routing.put(ATTRIBUTE, token);
            return null;
        }
        String sent = request.getHeaderString(HEADER);
        if (sent == null && MediaType.APPLICATION_FORM_URLENCODED_TYPE.isCompatible(request.getMediaType())) {
            Object field = request.getServerRequestContext() instanceof
                    org.jboss.resteasy.reactive.server.core.ResteasyReactiveRequestContext rc
                    ? rc.getFormParameter(FIELD, true, false) : null;
            sent = field == null ? null : field.toString();
        }
        if (token == null || sent == null || !MessageDigest.isEqual(
                token.getBytes(StandardCharsets.US_ASCII), sent.getBytes(StandardCharsets.US_ASCII))) {
            return Response.status(403).type("text/plain; charset=UTF-8")
                    .entity("The form has expired or did not come from Toban. Reload the page and try again.").build();
        }
        routing.put(ATTRIBUTE, token);
        return null;
    }

    /** The token to put in forms of the current request. */
    public static String tokenOf(RoutingContext routing) {
        Object token = routing.get(ATTRIBUTE);
        return token == null ? "" : token.toString();
    }

    private static String newToken() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}

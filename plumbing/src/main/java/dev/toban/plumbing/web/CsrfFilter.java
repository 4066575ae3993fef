package dev.toban.plumbing.web;

import dev.toban.plumbing.security.RandomTokens;
import io.vertx.core.http.Cookie;
import io.vertx.core.http.CookieSameSite;
import io.vertx.ext.web.RoutingContext;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Locale;
import java.util.Set;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;
import org.jboss.resteasy.reactive.server.SimpleResourceInfo;
import org.jboss.resteasy.reactive.server.spi.ResteasyReactiveContainerRequestContext;

/**
 * Double-submit-cookie CSRF protection for the pages. A page GET sets a random token cookie
 * (SameSite=Strict); every unsafe request that reaches a page handler must echo it in the {@code csrf}
 * field or the {@code X-CSRF-Token} header, and must not come from another site ({@code Sec-Fetch-Site},
 * {@code Origin}).
 *
 * <p>"Reaches a page handler" is decided on what the router matched (the resource class's path) as well
 * as the request path, so no spelling of the path ({@code /ui;x=1/...}, dot segments, escapes) skips the
 * check; {@link RequestHygiene} also refuses {@code ;} in paths. The JSON APIs use bearer tokens, which a
 * browser never sends by itself, and Slack's callbacks are authenticated by their signature.
 */
public class CsrfFilter {

    public static final String FIELD = "csrf";
    public static final String HEADER = "X-CSRF-Token";
    static final String ATTRIBUTE = "toban.csrf";
    private static final Set<String> SAFE = Set.of("GET", "HEAD", "OPTIONS");

    private final WebConfig config;

    public CsrfFilter(WebConfig config) {
        this.config = config;
    }

    // readBody: the form is parsed before the check, so a plain HTML form's csrf field is seen
    @ServerRequestFilter(readBody = true)
    public Response check(ResteasyReactiveContainerRequestContext request, RoutingContext routing,
                          SimpleResourceInfo resource) {
        if (!isPage(routing.normalizedPath()) && !isPageResource(resource)) {
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
        if (!sameOrigin(routing)) {
            return refuse("The form did not come from this Toban page. Reload the page and try again.");
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
            return refuse("The form has expired or did not come from Toban. Reload the page and try again.");
        }
        routing.put(ATTRIBUTE, token);
        return null;
    }

    /** A page path, with any matrix parameters removed from its segments. */
    static boolean isPage(String path) {
        if (path == null) {
            return false;
        }
        String plain = path.replaceAll(";[^/]*", "");
        return plain.equals("/ui") || plain.startsWith("/ui/");
    }

    private static boolean isPageResource(SimpleResourceInfo resource) {
        if (resource == null || resource.getResourceClass() == null) {
            return false;
        }
        Path path = resource.getResourceClass().getAnnotation(Path.class);
        return path != null && isPage(path.value().startsWith("/") ? path.value() : "/" + path.value());
    }

    /**
     * A browser says where an unsafe request comes from: {@code Sec-Fetch-Site} must be same-origin and
     * {@code Origin}, when sent, must be this host. Clients that send neither (curl, tests) still need the token.
     */
    static boolean sameOrigin(RoutingContext routing) {
        String site = routing.request().getHeader("Sec-Fetch-Site");
        if (site != null && !site.equalsIgnoreCase("same-origin")) {
            return false;
        }
        String origin = routing.request().getHeader("Origin");
        if (origin == null) {
            return true;
        }
        String host = routing.request().getHeader("Host");
        return host != null && authority(origin) != null && authority(origin).equals(normalize(host, origin));
    }

    /** host[:port] of an origin, with the scheme's default port left out; null when it is not an origin. */
    static String authority(String origin) {
        try {
            URI uri = URI.create(origin.strip());
            if (uri.getHost() == null || uri.getScheme() == null) {
                return null;
            }
            int port = uri.getPort();
            boolean defaultPort = port == -1 || (uri.getScheme().equals("https") && port == 443)
                    || (uri.getScheme().equals("http") && port == 80);
            return uri.getHost().toLowerCase(Locale.ROOT) + (defaultPort ? "" : ":" + port);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static String normalize(String host, String origin) {
        String scheme = origin.strip().toLowerCase(Locale.ROOT).startsWith("https:") ? "https" : "http";
        return authority(scheme + "://" + host.strip());
    }

    private static Response refuse(String message) {
        return Response.status(403).type("text/plain; charset=UTF-8").entity(message).build();
    }

    /** The token to put in forms of the current request. */
    public static String tokenOf(RoutingContext routing) {
        Object token = routing.get(ATTRIBUTE);
        return token == null ? "" : token.toString();
    }

    private static String newToken() {
        return RandomTokens.urlSafe(32);
    }
}

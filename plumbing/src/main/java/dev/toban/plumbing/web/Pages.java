package dev.toban.plumbing.web;

import dev.toban.plumbing.security.Roles;
import io.quarkus.security.identity.SecurityIdentity;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.HttpHeaders;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.security.Principal;
import java.util.Collections;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import org.eclipse.microprofile.jwt.JsonWebToken;

/**
 * Builds the {@link PageContext} of a request. Texts come from {@code web/texts_<lang>.properties}
 * (the shared navigation, in toban-plumbing) and {@code web/<service>_<lang>.properties} (each
 * service's own), so the browser's language picks Japanese or English everywhere.
 */
@ApplicationScoped
public class Pages {

    public static final String JA = "ja";
    public static final String EN = "en";

    private final WebConfig config;
    private final Map<String, Map<String, String>> textsByLang;

    public Pages(WebConfig config,
                 @org.eclipse.microprofile.config.inject.ConfigProperty(name = "quarkus.application.name") String app) {
        this.config = config;
        String service = app.replace("-service", "");
        Map<String, Map<String, String>> texts = new HashMap<>();
        for (String lang : new String[] {EN, JA}) {
            Map<String, String> merged = new HashMap<>(readTexts("web/texts_" + lang + ".properties", true));
            // a service's own texts are required; plumbing's tests run as a bare application without any
            merged.putAll(readTexts("web/" + service + "_" + lang + ".properties", app.endsWith("-service")));
            texts.put(lang, Collections.unmodifiableMap(merged));
        }
        this.textsByLang = texts;
    }

    /** The context of the current request for a page titled by the text {@code titleKey}. */
    public PageContext context(SecurityIdentity identity, HttpHeaders headers, RoutingContext routing,
                               String section, String titleKey) {
        String lang = languageOf(headers);
        Map<String, String> texts = textsByLang.get(lang);
        String username = null;
        String displayName = null;
        if (identity != null && !identity.isAnonymous()) {
            Principal principal = identity.getPrincipal();
            username = principal.getName();
            displayName = username;
            if (principal instanceof JsonWebToken jwt) {
                String preferred = jwt.getClaim("preferred_username");
                String name = jwt.getClaim("name");
                username = preferred == null ? username : preferred;
                displayName = name == null ? username : name;
            }
        }
        boolean admin = identity != null && identity.hasRole(Roles.ADMIN);
        boolean responder = admin || identity != null && identity.hasRole(Roles.RESPONDER);
        boolean viewer = responder || identity != null && (identity.hasRole(Roles.VIEWER) || identity.hasRole(Roles.SERVICE));
        String title = texts.getOrDefault(titleKey, titleKey);
        return new PageContext(lang, username, displayName, viewer, responder, admin, CsrfFilter.tokenOf(routing),
                section, title, config.refreshSeconds(), config.links(), texts);
    }

    /**
     * A context for texts outside any page request, in {@code lang} ({@code ja}, anything else is English): a
     * Slack reply in a person's language. No user, no roles, no CSRF token.
     */
    public PageContext context(String lang) {
        String chosen = JA.equals(lang) ? JA : EN;
        return new PageContext(chosen, null, null, false, false, false, null, null, null, config.refreshSeconds(),
                config.links(), textsByLang.get(chosen));
    }

    /** {@code ja} when the browser prefers Japanese to English, otherwise {@code en}. */
    public static String languageOf(HttpHeaders headers) {
        if (headers != null) {
            for (Locale locale : headers.getAcceptableLanguages()) {
                String language = locale.getLanguage();
                if (JA.equals(language) || EN.equals(language)) {
                    return language;
                }
            }
        }
        return EN;
    }

    /**
     * Reads a UTF-8 texts file (page texts, notify's paging texts). A required one that is missing fails: a native
     * image built without its resources would otherwise render every page with bare keys.
     */
    public static Map<String, String> readTexts(String resource, boolean required) {
        Map<String, String> values = new HashMap<>();
        try (InputStream in = Thread.currentThread().getContextClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                if (required) {
                    throw new IllegalStateException(resource + " is missing from the application");
                }
                return values;
            }
            Properties properties = new Properties();
            properties.load(new InputStreamReader(in, StandardCharsets.UTF_8));
            properties.forEach((k, v) -> values.put(k.toString(), v.toString()));
            return values;
        } catch (IOException e) {
            throw new IllegalStateException("Cannot read " + resource, e);
        }
    }
}

package dev.toban.incident.config;

import dev.toban.plumbing.web.WebConfig;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.UUID;

/**
 * Every link incident-service hands out (the API's and the events' incident {@code url}, ingestion endpoints,
 * Slack replies) starts at one configured public base URL: {@code toban.web.links.incident}
 * (env {@code TOBAN_INCIDENT_PUBLIC_URL}), the same the shared navigation links to.
 */
@ApplicationScoped
public class PublicLinks {

    private final String base;

    public PublicLinks(WebConfig web) {
        String url = web.links().incident().strip();
        this.base = url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }

    /** The public base URL, without a trailing slash. */
    public String base() {
        return base;
    }

    /** The incident's page (the IC console). */
    public String incident(UUID id) {
        return base + "/ui/incidents/" + id;
    }

    /** A catalog service's settings page. */
    public String service(UUID id) {
        return base + "/ui/settings/services/" + id;
    }
}

package dev.toban.plumbing.web;

import io.quarkus.qute.TemplateData;
import java.util.Map;

/**
 * What the shared layout needs on every page: language, the signed-in user and their roles, the
 * CSRF token for forms and the links to the other services.
 *
 * @param section the navigation entry to highlight: oncall, incidents, sos, postmortems, downtime,
 *                deliveries, settings (every configuration page, in any service)
 */
@TemplateData
public record PageContext(
        String lang,
        String username,
        String displayName,
        boolean viewer,
        boolean responder,
        boolean admin,
        String csrf,
        String section,
        String title,
        int refreshSeconds,
        WebConfig.Links links,
        Map<String, String> texts) {

    /** A text in the page's language; the key itself if there is none. */
    public String t(String key) {
        String text = texts.get(key);
        return text == null ? key : text;
    }

    /** A text whose key ends in a value, e.g. {@code {ctx.tx('sos.since.', choice)}}. */
    public String tx(String prefix, String value) {
        return t(prefix + value);
    }

    public boolean ja() {
        return "ja".equals(lang);
    }

    public String oncallUrl() {
        return links.oncall();
    }

    public String incidentUrl() {
        return links.incident();
    }

    public String notifyUrl() {
        return links.notifications();
    }

    public String postmortemUrl() {
        return links.postmortem();
    }

    /** Another page of this context, e.g. with a different title and section. */
    public PageContext with(String newSection, String newTitle) {
        return new PageContext(lang, username, displayName, viewer, responder, admin, csrf, newSection, newTitle,
                refreshSeconds, links, texts);
    }
}

package dev.toban.plumbing.web;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Settings shared by every service's pages. */
@ConfigMapping(prefix = "toban.web")
public interface WebConfig {

    /** Public base URLs of the four services, for the shared navigation. */
    Links links();

    /** Name of the double-submit CSRF cookie; each service has its own (cookies ignore ports). */
    @WithDefault("toban_csrf")
    String csrfCookie();

    /** Seconds between refreshes of live page fragments (the IC console, the on-call board). */
    @WithDefault("5")
    int refreshSeconds();

    interface Links {
        @WithDefault("http://localhost:8081")
        String oncall();

        @WithDefault("http://localhost:8082")
        String incident();

        /** notify-service ({@code notify()} is taken by Object). */
        @WithDefault("http://localhost:8083")
        String notifications();

        @WithDefault("http://localhost:8084")
        String postmortem();
    }
}

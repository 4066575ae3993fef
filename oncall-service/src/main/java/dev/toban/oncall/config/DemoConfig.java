package dev.toban.oncall.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Demo data shared by all Toban services. */
@ConfigMapping(prefix = "toban.demo")
public interface DemoConfig {

    /** Create the demo people, teams, schedules and policies at startup if absent (env TOBAN_DEMO_ENABLED). */
    @WithDefault("false")
    boolean enabled();

    /**
     * The ntfy server of the demo people's push topics (Sato's and Tanaka's, env TOBAN_DEMO_NTFY_URL): point it at
     * a local or fake ntfy to see the push pages; the topics are {@code <url>/toban-<username>-<suffix>}.
     */
    @WithDefault("https://ntfy.example.com")
    String ntfyUrl();
}

package dev.toban.oncall.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Demo data shared by all Toban services. */
@ConfigMapping(prefix = "toban.demo")
public interface DemoConfig {

    /** Create the demo people, teams, schedules and policies at startup if absent (env TOBAN_DEMO_ENABLED). */
    @WithDefault("false")
    boolean enabled();
}

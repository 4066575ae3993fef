package dev.toban.incident.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.util.Optional;

/** Demo data (prefix {@code toban.demo}). */
@ConfigMapping(prefix = "toban.demo")
public interface DemoConfig {

    /** Create the demo catalog at start-up if absent (env TOBAN_DEMO_ENABLED). */
    @WithDefault("false")
    boolean enabled();

    /**
     * The News API demo integration key, 32 characters (env TOBAN_DEMO_INTEGRATION_KEY). The Mobile App
     * and Triage keys are derived from it; without it a random key is generated and logged once.
     */
    Optional<String> integrationKey();
}

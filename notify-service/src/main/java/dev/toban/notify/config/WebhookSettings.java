package dev.toban.notify.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Optional;

/** Outgoing webhooks. */
@ConfigMapping(prefix = "toban.webhooks")
public interface WebhookSettings {

    /** Timeout of one webhook call, connection included. */
    @WithDefault("10s")
    Duration timeout();

    /**
     * Secret that signs webhooks to a person's own webhook contact method (those have no secret of
     * their own); env {@code TOBAN_WEBHOOK_SECRET}. Without it such calls are sent unsigned.
     */
    Optional<String> personSecret();
}

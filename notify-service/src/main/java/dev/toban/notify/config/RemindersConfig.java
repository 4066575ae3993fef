package dev.toban.notify.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Recurring reminders posted to Slack channels. */
@ConfigMapping(prefix = "toban.reminders")
public interface RemindersConfig {

    /** How to report an incident (/sos), posted in the incident-report channel. */
    SosHowto sosHowto();

    interface SosHowto {
        /** Whether the reminder runs at all. */
        @WithDefault("true")
        boolean enabled();

        /** Quartz-style cron (seconds first): every Monday at 10:00 by default. */
        @WithDefault("0 0 10 ? * MON")
        String cron();

        /** IANA time zone the cron is read in. */
        @WithDefault("Asia/Tokyo")
        String timeZone();

        /** Channel to post in. */
        @WithDefault("#incident-report")
        String channel();

        /** Locale of the post. */
        @WithDefault("ja")
        String locale();
    }
}

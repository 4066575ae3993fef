package dev.toban.oncall.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** Settings of oncall-service. */
@ConfigMapping(prefix = "toban.oncall")
public interface OnCallConfig {

    Handoff handoff();

    Now now();

    Ical ical();

    HandoffNotice handoffNotice();

    /** Base URL under which this service is reachable from calendar apps, used in iCal subscription links. */
    @WithDefault("http://localhost:8081")
    String publicUrl();

    interface Handoff {
        /** Whether this instance runs the handoff ticker (shift started, ended and upcoming events). */
        @WithDefault("true")
        boolean enabled();

        /** How often the ticker looks for handoffs; a schedule or override change also wakes it at once. */
        @WithDefault("30s")
        Duration tickInterval();

        /** How long before a shift starts toban.oncall.shift.upcoming is published. */
        @WithDefault("24h")
        Duration upcomingLead();

        /**
         * A shift found running that started longer ago than this is recorded without a started event,
         * so a first deployment or a long outage does not announce old shifts.
         */
        @WithDefault("2h")
        Duration announceLookback();

        /** Most people listed in a shift event's onCallWith: the same schedule first, then the same team, then others. */
        @WithDefault("50")
        int onCallWithLimit();

        /** Ended shifts and past upcoming notices are deleted after this long. */
        @WithDefault("30d")
        Duration retention();
    }

    /** The handoff notice the on-call board shows, from notify-service. */
    interface HandoffNotice {
        /** How long a rendered notice is reused before notify-service is asked again. */
        @WithDefault("60s")
        java.time.Duration cache();

        /** How long "not available right now" is reused after notify-service did not answer. */
        @WithDefault("10s")
        java.time.Duration failureCache();
    }

    interface Now {
        /** Largest window rendered around an instant to find since, until and the next handoff; beyond it they are null. */
        @WithDefault("400d")
        Duration maxWindow();
    }

    interface Ical {
        /** How far back a feed lists shifts. */
        @WithDefault("30d")
        Duration past();

        /** How far ahead a feed lists shifts. */
        @WithDefault("180d")
        Duration future();
    }
}

package dev.toban.notify.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** How notify-service turns events into deliveries and how its dispatcher sends them. */
@ConfigMapping(prefix = "toban.notify")
public interface NotifyConfig {

    /** Locale of posts to channels (incident threads, team channels); people get their own locale. */
    @WithDefault("ja")
    String defaultLocale();

    /** Time zone for times shown in channel posts; people see their own time zone. */
    @WithDefault("Asia/Tokyo")
    String defaultTimeZone();

    /** How the dispatcher sends, retries and gives up. */
    Delivery delivery();

    /** Paging people. */
    Pages pages();

    /**
     * Incident events are applied by this many single-threaded partitions, chosen by incident id:
     * one incident's events stay in order while different incidents are applied in parallel.
     */
    @WithDefault("4")
    int incidentPartitions();

    interface Delivery {
        /** Worker threads sending deliveries (mostly waiting on Slack and SMTP); one channel each at a time. */
        @WithDefault("8")
        int workers();

        /**
         * Longest idle sleep of the dispatcher's worker. Commits of new or freed deliveries wake it at once (in
         * every replica: plumbing's replica signals) and due times, lane holds and stale claims are waited for
         * exactly, so this only bounds how late a delivery whose signal was lost, or changed by hand in the
         * database, is seen. It is what an idle notify-service pays: one look per interval.
         */
        @WithDefault("5m")
        Duration pollInterval();

        /** Attempts before a delivery is marked dead. Slack's 429 answers do not count. */
        @WithDefault("12")
        int maxAttempts();

        /** Wait before the second attempt; doubles for each further one, with jitter. */
        @WithDefault("2s")
        Duration initialBackoff();

        /** Longest wait between attempts. With the defaults the schedule spans about 18 minutes. */
        @WithDefault("5m")
        Duration maxBackoff();

        /**
         * A delivery still marked sending after this long belongs to a crashed instance: its outcome
         * is unknown and it is checked (Slack) or sent again (email, webhooks).
         */
        @WithDefault("2m")
        Duration sendingTimeout();

        /**
         * A thread reply whose incident version skips one this service has not seen yet waits this
         * long for the missing event, so replies consumed out of order still post in version order.
         */
        @WithDefault("2s")
        Duration reorderWindow();

        /** Sent, skipped and cancelled deliveries are deleted after this long; dead ones are kept. */
        @WithDefault("P30D")
        Duration retention();
    }

    interface Pages {
        /** When oncall-service cannot say how to reach a person: Slack DM now, then email after this delay. */
        @WithDefault("5m")
        Duration fallbackEmailDelay();

        /**
         * Incidents of these severities page with high urgency (every rule for high or any urgency); the others
         * with low urgency (the rules for low or any urgency).
         */
        @WithDefault("SEV1,SEV2")
        java.util.List<String> highUrgencySeverities();

        /**
         * How long a person's contact methods and rules, as oncall-service gave them, are reused for pages. Every
         * {@code toban.oncall.person.*} event forgets that person at once; this only bounds staleness should an
         * event be late (oncall-service's broker link down). 0 asks oncall-service for every page.
         */
        @WithDefault("60s")
        Duration contactsCacheTtl();
    }
}

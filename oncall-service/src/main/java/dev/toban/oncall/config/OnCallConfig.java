package dev.toban.oncall.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** Settings of oncall-service. */
@ConfigMapping(prefix = "toban.oncall")
public interface OnCallConfig {

    Handoff handoff();

    Now now();

    Targets targets();

    Ical ical();

    HandoffNotice handoffNotice();

    Directory directory();

    Verification verification();

    Reachability reachability();

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

    /** {@code GET /api/escalation-policies/{id}/targets}: whom a level pages at an instant. */
    interface Targets {
        /**
         * Longest {@code validUntil} of an answer after its {@code at}: callers (incident-service) reuse the answer
         * until then, so the shifts and overrides are looked at over this window only. A change of configuration
         * (schedule, override, policy, person, team) is announced by its event; this bounds what a missed event costs.
         */
        @WithDefault("15m")
        Duration maxValidity();
    }

    interface Ical {
        /** How far back a feed lists shifts. */
        @WithDefault("30d")
        Duration past();

        /** How far ahead a feed lists shifts. */
        @WithDefault("180d")
        Duration future();
    }

    /**
     * People from the Keycloak realm (issue 17): a periodic sync through Keycloak's admin REST API, and a
     * match on sign-in. See docs/operations.md ("People and Keycloak users").
     */
    interface Directory {
        /**
         * Whether this instance runs the periodic sync (env TOBAN_DIRECTORY_SYNC_ENABLED). Off, people are
         * still matched on sign-in and an admin can sync by hand.
         */
        @WithDefault("true")
        boolean syncEnabled();

        /** How often the sync runs on the periodic worker (plumbing {@code Periodic}); {@code off} turns it off. */
        @WithDefault("5m")
        String syncEvery();

        /** How long after start the first sync runs. */
        @WithDefault("20s")
        String syncDelay();

        /** Whether a sign-in links the token's user to their person, creating the person when missing. */
        @WithDefault("true")
        boolean signIn();

        /** Keycloak's base URL (without /realms). */
        @WithDefault("http://localhost:8180")
        String serverUrl();

        /** The realm whose users are Toban's people. */
        @WithDefault("toban")
        String realm();

        Client client();

        /** Time zone of a person made from a Keycloak user (they change it on their profile). */
        @WithDefault("Asia/Tokyo")
        String timeZone();

        /** Language of a person made from a Keycloak user without a {@code locale} attribute of ja or en. */
        @WithDefault("ja")
        String locale();

        /** Users read per call of the admin API. */
        @WithDefault("200")
        int pageSize();

        /**
         * The confidential client whose service account reads the realm's users (realm-management
         * {@code view-users}); client credentials, or a password grant when {@code username} is set.
         */
        interface Client {
            /** The realm the client signs in to (the tests use the master realm's administrator). */
            @WithDefault("toban")
            String realm();

            @WithDefault("toban-directory")
            String id();

            /** env TOBAN_DIRECTORY_CLIENT_SECRET; without it (and without a username) the sync is skipped. */
            java.util.Optional<String> secret();

            /** Only for a password grant (tests). */
            java.util.Optional<String> username();

            java.util.Optional<String> password();
        }
    }

    /** Proving a contact method is the person's (a code sent through it) and "send me a test page" (issue 18). */
    interface Verification {
        /** How long a verification code is valid. */
        @WithDefault("10m")
        Duration codeTtl();

        /** Wrong codes accepted before the code is void and a new one must be asked for. */
        @WithDefault("5")
        int maxAttempts();

        /** Most codes asked for per contact method within {@link #codeWindow()}; more is a 429. */
        @WithDefault("5")
        int maxCodes();

        @WithDefault("1h")
        Duration codeWindow();

        /** Most test pages per contact method within {@link #testWindow()}; more is a 429. */
        @WithDefault("3")
        int maxTests();

        @WithDefault("15m")
        Duration testWindow();
    }

    /** Who is on call soon without a verified way to wake them (sms, voice or push). */
    interface Reachability {
        /** How far ahead the check looks at shifts (now included). */
        @WithDefault("7d")
        Duration window();
    }
}

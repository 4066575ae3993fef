package dev.toban.incident.config;

import dev.toban.contracts.incident.Severity;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;
import java.time.Duration;
import java.util.Optional;
import java.util.UUID;

/** Settings of incident-service (prefix {@code toban.incident}). */
@ConfigMapping(prefix = "toban.incident")
public interface IncidentConfig {

    /**
     * War-room link of an incident whose owning team has no default room of its own ({@code warRoomUrl} of
     * oncall-service's team); {@code {number}} and {@code {id}} are replaced (Gather or Meet style).
     */
    @WithDefault("https://meet.example/toban-{number}")
    String warRoomUrlTemplate();

    SeverityMapping severity();

    Cadence cadence();

    Ingest ingest();

    Commander commander();

    Escalation escalation();

    Sos sos();

    Slack slack();

    Grouping grouping();

    Heartbeat heartbeat();

    OnCall oncall();

    /** Calls to oncall-service. */
    interface OnCall {
        /**
         * Longest time a live answer to "whom to page at level k" is reused from memory, within the answer's own
         * {@code validUntil} (the next handoff or override edge) and until an on-call change event (schedule,
         * override, policy, person, team) reaches this replica; {@code 0} asks oncall-service every time. Other
         * replicas may not see that event (one queue for all): this bounds how long they keep the old answer after
         * an override or a schedule change, so it is short; a storm still asks once a minute, not once per incident.
         */
        @WithDefault("1m")
        Duration targetsCacheMax();
    }

    /** Heartbeat monitors: how misses are found and what they open. */
    interface Heartbeat {
        /**
         * Longest idle sleep of the heartbeat worker (state is in the database, so misses survive restarts). It
         * sleeps until the next monitor is due and a new monitor wakes it (in every replica); a monitor due while
         * its miss incident is still open is looked at every 30 s. This bounds how late a change whose signal was
         * lost is seen.
         */
        @WithDefault("5m")
        String checkEvery();

        /** The severity of a "no heartbeat" incident. */
        @WithDefault("SEV2")
        Severity severity();
    }

    /** Alert grouping (per service rule: AlertGrouping): how grouped alerts reach the Slack thread. */
    interface Grouping {
        /**
         * At most one roll-up ({@code toban.incident.alerts_grouped}, "+37 alerts") per incident this often;
         * the first one this long after the first grouped alert.
         */
        @WithDefault("1m")
        Duration rollupInterval();

        /**
         * Longest idle sleep of the roll-up worker. It sleeps until the next roll-up is due, and a new one wakes it
         * after its commit (in every replica), so this only bounds how late a roll-up whose signal was lost is seen.
         */
        @WithDefault("5m")
        String checkEvery();

        /** How many alert summaries a roll-up names. */
        @WithDefault("5")
        int rollupSummaries();
    }

    /** How alert severities become incident severities. */
    interface SeverityMapping {
        /** For PagerDuty {@code critical} and an Alertmanager {@code severity=critical} label. */
        @WithDefault("SEV1")
        Severity critical();

        /** For {@code error}. */
        @WithDefault("SEV2")
        Severity error();

        /** For {@code warning}. */
        @WithDefault("SEV3")
        Severity warning();

        /** For {@code info}. */
        @WithDefault("SEV4")
        Severity info();

        /** For an Alertmanager group without a known {@code severity} label. */
        @WithName("unknown")
        @WithDefault("SEV3")
        Severity unknown();
    }

    /** How often the IC must post a status update, per severity; {@code 0s} switches the reminder off. */
    interface Cadence {
        @WithDefault("30m")
        Duration sev1();

        @WithDefault("60m")
        Duration sev2();

        @WithDefault("4h")
        Duration sev3();

        @WithDefault("0s")
        Duration sev4();

        /**
         * Longest idle sleep of the overdue check's worker; it sleeps until the next update is due, at most this.
         * A due time set sooner (a severity change, "next update in 1 minute") wakes it; the cap covers a replica
         * that stopped between setting one and its own pass.
         */
        @WithDefault("5m")
        String checkEvery();
    }

    interface Ingest {
        /** Largest Events API v2 body accepted (PagerDuty's limit is 512 KB); larger bodies get 413. */
        @WithDefault("524288")
        int maxBodyBytes();

        /** Largest Alertmanager webhook body accepted; larger bodies get 413. */
        @WithDefault("2097152")
        int alertmanagerMaxBodyBytes();

        /** How long a resolved integration key is remembered; a revocation reaches other replicas within this time. */
        @WithDefault("10s")
        Duration keyCacheTtl();

        /**
         * Longest time between two reloads of the maintenance windows alerts are checked against. A window made or
         * cancelled applies at once on every replica (its commit wakes each one's reload, plumbing's replica
         * signals); this bounds how late a change whose signal was lost is seen.
         */
        @WithDefault("5m")
        Duration maintenanceReloadEvery();

        RateLimit rateLimit();
    }

    /** Token bucket per integration key and per instance; over the limit the sender gets 429. */
    interface RateLimit {
        /** Sustained events per minute per integration key (PagerDuty allows about 120). */
        @WithDefault("120")
        int eventsPerMinute();

        /** Events a key may send at once before the sustained rate applies. */
        @WithDefault("120")
        int burst();
    }

    /** The job that makes the person on call the IC once an incident has committed. */
    interface Commander {
        /** Wait before the second attempt when oncall-service cannot answer; it doubles up to {@link #retryMax()}. */
        @WithDefault("5s")
        Duration retryInitial();

        /** Longest wait between attempts. */
        @WithDefault("60s")
        Duration retryMax();

        /** How long a claimed job stays with one replica before another may take it over. */
        @WithDefault("60s")
        Duration claimLease();

        /**
         * Longest idle sleep of the worker. A new incident wakes it after its commit (in every replica: plumbing's
         * replica signals) and a retry's due time is waited for exactly, so this only bounds how late a job whose
         * signal was lost is seen.
         */
        @WithDefault("5m")
        Duration pollInterval();

        /** Incidents whose IC is looked up at the same time (an alert storm opens many at once). */
        @WithDefault("4")
        int parallelism();
    }

    interface Escalation {
        /**
         * Longest idle sleep of the escalation worker. It sleeps until the earliest timer is due and a new timer
         * due before its next look wakes it after its commit (in every replica: plumbing's replica signals), so
         * this only bounds how late a timer whose signal was lost, or moved in the database, is seen.
         */
        @WithDefault("5m")
        String checkEvery();

        /** Wait before trying a level again when oncall-service cannot answer and nothing is cached. */
        @WithDefault("30s")
        Duration retryWhenUnavailable();

        /** How long a claimed timer stays with one replica before another may take it over. */
        @WithDefault("60s")
        Duration claimLease();
    }

    interface Sos {
        /** The technical service SOS reports go to (they name none): demo "Triage (SOS)". */
        @WithDefault("55555555-0000-4000-8000-000000000003")
        UUID serviceId();

        /**
         * Severity of an incident raised by SOS when the reporter did not say how many users are affected (Slack,
         * the API without {@code affected}, the form's "I don't know"); the IC adjusts it after triage.
         */
        @WithDefault("SEV3")
        Severity severity();

        /** Severity by the SOS form's answer to "how many users are affected?" ({@code affected}). */
        Affected affected();

        /**
         * How long the SOS page waits for the IC to be found before showing the confirmation, so that it names them
         * at once in the usual case (about half a second); after it, the confirmation refreshes until they are known.
         */
        @WithDefault("3s")
        Duration confirmationWait();

        /** Language of the Slack reply when the reporter is not in the people directory ({@code ja} or {@code en}). */
        @WithDefault("ja")
        String defaultLocale();

        Limit limit();
    }

    /** The SOS severity of each answer to "how many users are affected?" ("I don't know": {@code sos.severity}). */
    interface Affected {
        /** "All users": everyone is hit. */
        @WithDefault("SEV1")
        Severity all();

        /** "Many users". */
        @WithDefault("SEV2")
        Severity many();

        /** "A few users". */
        @WithDefault("SEV3")
        Severity few();

        /** "Only me or one user". */
        @WithDefault("SEV4")
        Severity one();
    }

    /**
     * SOS per reporter (a person, or a Slack user unknown to the directory), counted in the database so it
     * holds across replicas: Slack, the API and the page share one count.
     */
    interface Limit {
        /** SOS one reporter may raise within {@link #window()}; 0 switches the limit off. */
        @WithDefault("3")
        int maxReports();

        /** The sliding window the reports are counted in. */
        @WithDefault("10m")
        Duration window();
    }

    interface Slack {
        /**
         * Slack app signing secret (env TOBAN_SLACK_SIGNING_SECRET); without it every slash command and interaction is
         * refused.
         */
        Optional<String> signingSecret();

        /**
         * Oldest (or furthest ahead) request timestamp accepted; within it each signed request is accepted
         * once (a replay is refused, see ReplayGuard).
         */
        @WithDefault("5m")
        Duration tolerance();

        /**
         * How long a request body is remembered, so that Slack sending it again (a retry, {@code X-Slack-Retry-Num},
         * signed anew) is answered 200 and does nothing new.
         */
        @WithDefault("30m")
        Duration retryWindow();

        /**
         * Base URL of the Slack Web API methods (env SLACK_API_URL): views.open, users.info, chat.postEphemeral.
         * Tests point it at a fake Slack, {@code bin/toban up} at notify-service's Slack sandbox.
         */
        @WithDefault("https://slack.com/api/")
        String apiUrl();

        /**
         * Bot token ({@code xoxb-...}, env SLACK_BOT_TOKEN), the same app as notify-service's. Without it no modal
         * opens (buttons that need one answer so), Slack users are matched by stored Slack user id only, and private
         * answers go through Slack's {@code response_url} only.
         */
        Optional<String> botToken();

        /** Timeout of one Web API call: views.open must happen within Slack's 3 s of the click. */
        @WithDefault("2s")
        Duration timeout();

        /** How long a Slack user matched to a person by email (users.info) is remembered. */
        @WithDefault("10m")
        Duration identityCache();

        /** How long a Slack user matched to nobody is remembered (short: an admin may add them meanwhile). */
        @WithDefault("1m")
        Duration unknownIdentityCache();
    }
}

package dev.toban.postmortem.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.List;
import java.util.Optional;

/** Settings of the postmortem service ({@code toban.postmortem.*}). */
@ConfigMapping(prefix = "toban.postmortem")
public interface PostmortemConfig {

    Policy policy();

    Calendar calendar();

    Scheduling scheduling();

    Invitations invitations();

    Document document();

    Jobs jobs();

    Backlog backlog();

    interface Policy {
        /** Severities whose postmortem is required: the IC cannot skip it, only an admin can. */
        @WithDefault("SEV1,SEV2")
        List<String> requiredSeverities();

        /** Business days after the resolution by which the IC records hold or skip (end of that working day). */
        @WithDefault("3")
        int decisionBusinessDays();
    }

    interface Calendar {
        /** Public-holiday data shipped with the service: {@code jp} (Japan, 2025-2028) or {@code none}. */
        @WithDefault("jp")
        String publicHolidays();

        /** Extra non-working dates (company holidays such as year-end), ISO dates separated by commas. */
        Optional<List<LocalDate>> extraHolidays();
    }

    interface Scheduling {
        /** Start of working hours in the owning team's time zone. */
        @WithDefault("10:00")
        LocalTime workdayStart();

        /** End of working hours in the owning team's time zone; a meeting must end by then. */
        @WithDefault("18:00")
        LocalTime workdayEnd();

        /** Default length of a postmortem meeting. */
        @WithDefault("PT1H")
        Duration meetingLength();

        /** The proposal looks at today and this many following business days. */
        @WithDefault("5")
        int windowBusinessDays();

        /** Proposed start times are multiples of this step from the start of working hours. */
        @WithDefault("PT30M")
        Duration slotStep();

        /** The earliest proposed start is at least this far from now, so people can prepare. */
        @WithDefault("PT2H")
        Duration minNotice();

        /** Zone used when the owning team has none (or the incident has no owning team). */
        @WithDefault("Asia/Tokyo")
        ZoneId defaultTimeZone();

        /** Where the meeting happens; when empty the incident's war-room URL is used. */
        Optional<String> location();
    }

    interface Invitations {
        /** Organizer address when the IC has no email; also the SENT-BY of every invitation. */
        @WithDefault("postmortem@toban.example")
        String organizerEmail();

        /** Display name for {@link #organizerEmail()}. */
        @WithDefault("Toban")
        String organizerName();

        /** Attempts per invitation email before it is left for an operator (see docs/operations.md). */
        @WithDefault("10")
        int maxAttempts();

        /** Emails sent per relay run. */
        @WithDefault("50")
        int batchSize();
    }

    interface Document {
        /** Language of the headings of new documents: {@code ja} or {@code en}. */
        @WithDefault("ja")
        String defaultLanguage();
    }

    interface Jobs {
        /**
         * How often the reminder job looks for missed decision deadlines (days ahead) and overdue action items (once a
         * day per item): a reminder is at most this late.
         */
        @WithDefault("5m")
        String remindersEvery();

        /**
         * Longest idle sleep of the timeline job ({@code off}: no job). A new postmortem wakes it at once, in every
         * replica, and retries are waited for exactly, so this only bounds how late a timeline whose signal was
         * lost is seen.
         */
        @WithDefault("5m")
        String timelineEvery();

        /**
         * Longest idle sleep of the mail relay. A commit that queues mail wakes it at once, in every replica
         * (plumbing's replica signals), and retries are waited for exactly, so this only bounds how late mail whose
         * signal was lost is seen.
         */
        @WithDefault("5m")
        String mailEvery();

        /** Longest pause between two timeline attempts for one postmortem. */
        @WithDefault("PT1H")
        Duration timelineMaxBackoff();
    }

    interface Backlog {
        /** Header that carries a GitHub webhook's secret. */
        @WithDefault("Authorization")
        String githubTokenHeader();

        /** Prefix before the GitHub secret in that header (GitHub expects a bearer token). */
        @WithDefault("Bearer ")
        String githubTokenPrefix();

        /** Header that carries a Jira webhook's secret. */
        @WithDefault("Authorization")
        String jiraTokenHeader();

        /** Prefix before the Jira secret ({@code Bearer } for a personal access token, {@code Basic } for email:token in base64). */
        @WithDefault("Bearer ")
        String jiraTokenPrefix();

        /** Time limit for one export call. */
        @WithDefault("PT10S")
        Duration timeout();

        /** An export claimed longer ago than this is considered abandoned (the process died mid-call). */
        @WithDefault("PT2M")
        Duration claimTimeout();
    }
}

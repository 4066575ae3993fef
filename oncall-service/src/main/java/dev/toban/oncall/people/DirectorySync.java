package dev.toban.oncall.people;

import dev.toban.oncall.client.KeycloakDirectory;
import dev.toban.oncall.client.KeycloakDirectory.DirectoryUnavailableException;
import dev.toban.oncall.config.OnCallConfig;
import dev.toban.oncall.people.PersonLogins.SyncReport;
import dev.toban.plumbing.jobs.Periodic;
import dev.toban.plumbing.problem.ProblemException;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.runtime.configuration.DurationConverter;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.jboss.logging.Logger;

/**
 * The periodic sync of people from the Keycloak realm (plumbing's {@link Periodic} worker, every
 * {@code toban.oncall.directory.sync-every}; {@code off}: never), and the same sync on demand for admins.
 * Keycloak is read first, outside any transaction; then {@link PersonLogins#apply} writes everything in one. A
 * failed read changes nothing: a person is treated as deleted only when Keycloak answers 404 for their user.
 */
@ApplicationScoped
public class DirectorySync {

    private static final Logger LOG = Logger.getLogger(DirectorySync.class);

    private final KeycloakDirectory directory;
    private final PersonLogins logins;
    private final OnCallConfig.Directory config;

    public DirectorySync(KeycloakDirectory directory, PersonLogins logins, OnCallConfig config) {
        this.directory = directory;
        this.logins = logins;
        this.config = config.directory();
    }

    void start(@Observes StartupEvent event, Periodic periodic) {
        if (config.syncEnabled()) {
            Duration delay = config.syncDelay().isBlank() ? Duration.ZERO
                    : DurationConverter.parseDuration(config.syncDelay());
            Periodic.interval(config.syncEvery()).ifPresent(every ->
                    periodic.every("directory-sync", every, delay, this::scheduled));
        }
    }

    void scheduled() {
        if (!config.syncEnabled()) {
            return;
        }
        if (!directory.configured()) {
            LOG.debug("Keycloak sync skipped: no credentials for the directory client (TOBAN_DIRECTORY_CLIENT_SECRET)");
            return;
        }
        try {
            SyncReport report = run();
            if (report.created() + report.updated() > 0) {
                LOG.infof("Keycloak sync: %s", report);
            }
        } catch (RuntimeException e) {
            LOG.warnf("Keycloak sync failed (%s); trying again at the next run", e.getMessage());
        }
    }

    /** One sync now (admins: API and people page); 503 naming why when Keycloak cannot be read. */
    public SyncReport syncNow() {
        if (!directory.configured()) {
            throw new ProblemException(503, "Keycloak directory not configured",
                    "the Keycloak sync has no credentials: set TOBAN_DIRECTORY_CLIENT_SECRET (docs/operations.md)", List.of());
        }
        try {
            return run();
        } catch (DirectoryUnavailableException e) {
            throw new ProblemException(503, "Keycloak directory unavailable", "cannot read Keycloak's users: "
                    + e.getMessage(), List.of());
        }
    }

    private SyncReport run() {
        Instant seenAt = Instant.now(); // compared with tokens' issue times, so the real clock
        List<Login> users = directory.users(seenAt);
        Set<String> listed = new HashSet<>();
        users.forEach(u -> listed.add(u.subject()));
        Set<String> gone = new HashSet<>();
        for (String subject : logins.linkedSubjects()) {
            if (!listed.contains(subject) && !directory.exists(subject)) {
                gone.add(subject);
            }
        }
        return logins.apply(users, gone);
    }
}

package dev.toban.plumbing.jobs;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.persistence.EntityManager;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Optional;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.hibernate.Session;
import org.jboss.logging.Logger;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;

/**
 * Wakes the other replicas' workers when this replica commits work for them, and this replica's when they do:
 * PostgreSQL {@code NOTIFY} on channel {@value #CHANNEL}, sent in the transaction that wrote the work (so it is
 * delivered when, and only if, that transaction commits), and {@code LISTEN} on one connection of its own that
 * waits in a blocking read (no CPU while nothing comes). Payload: {@code <replica>:<worker>}; a replica ignores its
 * own, which its after-commit wake-up has already handled.
 *
 * <p>With it, a worker's idle cap ({@link JobsConfig#idleCap()}) only bounds how late work is seen when a signal
 * was lost: the listener was reconnecting (every worker is woken once it is back), or a row was changed by hand.
 * Channels are per database, so each service signals only its own replicas. Off
 * ({@code toban.jobs.replica-signals=false}): no NOTIFY, no extra connection; other replicas see the work at their
 * idle cap.
 */
@ApplicationScoped
public class ReplicaSignals {

    private static final Logger LOG = Logger.getLogger(ReplicaSignals.class);
    static final String CHANNEL = "toban_jobs";
    private static final Duration MAX_RECONNECT_PAUSE = Duration.ofSeconds(30);

    private final JobsConfig config;
    private final AfterCommit afterCommit;
    /** The session whose connection the NOTIFY goes through: the caller's transaction's; null without ORM. */
    private final EntityManager entityManager;
    private final Optional<String> url;
    private final Optional<String> username;
    private final Optional<String> password;
    /** This replica's name in payloads: random per process, so a restarted replica is a new one. */
    private final String replica = UUID.randomUUID().toString().substring(0, 8);
    private final CountDownLatch stopping = new CountDownLatch(1);
    private volatile Thread thread;
    private volatile Connection listening;

    public ReplicaSignals(JobsConfig config, AfterCommit afterCommit,
                          Instance<EntityManager> entityManager,
                          @ConfigProperty(name = "quarkus.datasource.jdbc.url") Optional<String> url,
                          @ConfigProperty(name = "quarkus.datasource.username") Optional<String> username,
                          @ConfigProperty(name = "quarkus.datasource.password") Optional<String> password) {
        this.config = config;
        this.afterCommit = afterCommit;
        this.entityManager = entityManager != null && entityManager.isResolvable() ? entityManager.get() : null;
        this.url = url.filter(u -> u.startsWith("jdbc:postgresql:"));
        this.username = username;
        this.password = password;
    }

    boolean enabled() {
        return config.replicaSignals() && url.isPresent() && entityManager != null;
    }

    /**
     * Tells the other replicas' worker {@code worker} to look once the caller's transaction commits (once per
     * transaction and worker); nothing without a transaction (there is nothing to commit with).
     */
    void signalAfterCommit(String worker) {
        if (!enabled() || !afterCommit.firstInTransaction(new SignalKey(worker))) {
            return;
        }
        entityManager.unwrap(Session.class).doWork(connection -> {
            try (PreparedStatement notify = connection.prepareStatement("select pg_notify(?, ?)")) {
                notify.setString(1, CHANNEL);
                notify.setString(2, replica + ":" + worker);
                notify.execute();
            }
        });
    }

    /** Keeps these keys apart from the workers' own once-per-transaction wake-ups. */
    private record SignalKey(String worker) {
    }

    /**
     * Starts listening on a thread of its own: {@code onSignal} gets the worker named by another replica's signal,
     * {@code onReconnect} runs when the connection is back after a loss (signals may have been missed meanwhile).
     */
    synchronized void start(Consumer<String> onSignal, Runnable onReconnect) {
        if (!enabled() || thread != null || stopping.getCount() == 0) {
            return;
        }
        thread = Thread.ofPlatform().daemon().priority(Worker.BACKGROUND).name("job-signals")
                .start(() -> listen(onSignal, onReconnect));
    }

    private void listen(Consumer<String> onSignal, Runnable onReconnect) {
        boolean lost = false;
        long pauseMillis = 0;
        while (stopping.getCount() > 0) {
            try (Connection connection = connect()) {
                listening = connection;
                try (Statement listen = connection.createStatement()) {
                    listen.execute("listen " + CHANNEL);
                }
                if (lost) {
                    LOG.infof("Listening for other replicas' work again; every worker looks now");
                    onReconnect.run();
                }
                lost = false;
                pauseMillis = 0;
                PGConnection pg = connection.unwrap(PGConnection.class);
                int probeMillis = (int) Math.min(Integer.MAX_VALUE, config.idleCap().toMillis());
                while (stopping.getCount() > 0) {
                    PGNotification[] signals = pg.getNotifications(probeMillis); // blocks until one comes
                    if (signals == null || signals.length == 0) {
                        try (Statement probe = connection.createStatement()) {
                            probe.execute("select 1"); // a silently dropped connection shows here
                        }
                        continue;
                    }
                    for (PGNotification signal : signals) {
                        String payload = signal.getParameter();
                        int colon = payload.indexOf(':');
                        if (colon > 0 && !payload.substring(0, colon).equals(replica)) {
                            onSignal.accept(payload.substring(colon + 1));
                        }
                    }
                }
            } catch (SQLException | RuntimeException e) {
                if (stopping.getCount() == 0) {
                    return;
                }
                if (!lost) {
                    LOG.warnf("Not listening for other replicas' work (%s); their work is seen at the idle cap until "
                            + "the connection is back", Worker.rootMessage(e));
                }
                lost = true;
                pauseMillis = pauseMillis == 0 ? 500 : Math.min(MAX_RECONNECT_PAUSE.toMillis(), pauseMillis * 2);
                try {
                    if (stopping.await(pauseMillis, TimeUnit.MILLISECONDS)) {
                        return;
                    }
                } catch (InterruptedException interrupted) {
                    return;
                }
            } finally {
                listening = null;
            }
        }
    }

    private Connection connect() throws SQLException {
        Properties properties = new Properties();
        username.ifPresent(u -> properties.setProperty("user", u));
        password.ifPresent(p -> properties.setProperty("password", p));
        properties.setProperty("ApplicationName", "toban-replica-signals");
        properties.setProperty("tcpKeepAlive", "true");
        properties.setProperty("connectTimeout", "10");
        Connection connection = new org.postgresql.Driver().connect(url.orElseThrow(), properties);
        if (connection == null) {
            throw new SQLException("Not a PostgreSQL URL: " + url.orElseThrow());
        }
        connection.setAutoCommit(true); // notifications arrive between transactions only
        return connection;
    }

    /** Stops listening: aborting the connection (its socket closed, no lock taken) ends the blocking read. */
    synchronized void stop() {
        stopping.countDown();
        Connection connection = listening;
        if (connection != null) {
            try {
                connection.abort(Runnable::run);
            } catch (SQLException ignored) {
                // stopping anyway
            }
        }
        Thread t = thread;
        if (t != null) {
            try {
                t.join(2000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}

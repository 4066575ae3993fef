package dev.toban.oncall.jobs;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.toban.plumbing.jobs.JobSpec;
import dev.toban.plumbing.jobs.Jobs;
import dev.toban.plumbing.jobs.Next;
import dev.toban.plumbing.jobs.Worker;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;

/**
 * Plumbing's replica signals against the real PostgreSQL: another replica's committed NOTIFY wakes a worker that
 * would otherwise sleep for an hour, a rolled-back one does not, and this replica's commits signal the others.
 */
@QuarkusTest
class ReplicaSignalsTest {

    @Inject
    Jobs jobs;

    private final List<Worker> workers = new ArrayList<>();

    @AfterEach
    void stopWorkers() {
        workers.forEach(Worker::stop);
    }

    private static Connection connect() throws SQLException {
        var config = ConfigProvider.getConfig();
        return DriverManager.getConnection(config.getValue("quarkus.datasource.jdbc.url", String.class),
                config.getValue("quarkus.datasource.username", String.class),
                config.getOptionalValue("quarkus.datasource.password", String.class).orElse(""));
    }

    /** A worker that counts its passes and otherwise sleeps for an hour. */
    private Worker counting(String name, AtomicInteger passes) {
        Worker worker = jobs.define(JobSpec.pass(name, () -> {
            passes.incrementAndGet();
            return Next.IDLE;
        }).idleCap(Duration.ofHours(1)));
        workers.add(worker);
        worker.start();
        await().atMost(10, TimeUnit.SECONDS).until(() -> passes.get() == 1); // the first pass at start
        return worker;
    }

    private static void notifyAs(String replica, String worker, boolean commit) throws SQLException {
        try (Connection other = connect()) {
            other.setAutoCommit(false);
            try (Statement st = other.createStatement()) {
                st.execute("select pg_notify('toban_jobs', '" + replica + ":" + worker + "')");
            }
            if (commit) {
                other.commit();
            } else {
                other.rollback();
            }
        }
    }

    @Test
    void anotherReplicasCommittedSignalWakesTheWorkerAndARolledBackOneDoesNot() throws Exception {
        String name = "signal-probe-" + UUID.randomUUID().toString().substring(0, 8);
        AtomicInteger passes = new AtomicInteger();
        counting(name, passes);

        notifyAs("elsewhere", name, false);
        notifyAs("elsewhere", "another-worker", true);
        await().during(500, TimeUnit.MILLISECONDS).atMost(2, TimeUnit.SECONDS).until(() -> passes.get() == 1);

        notifyAs("elsewhere", name, true);
        await().atMost(10, TimeUnit.SECONDS).until(() -> passes.get() == 2);
    }

    @Test
    void aLostListenerReconnectsWakesEveryWorkerAndHearsSignalsAgain() throws Exception {
        String name = "signal-reconnect-" + UUID.randomUUID().toString().substring(0, 8);
        AtomicInteger passes = new AtomicInteger();
        counting(name, passes);

        // the database ends the listening session (a failover, a restart, an idle-session killer)
        try (Connection admin = connect(); Statement st = admin.createStatement()) {
            st.execute("select pg_terminate_backend(pid) from pg_stat_activity"
                    + " where application_name = 'toban-replica-signals' and datname = current_database()");
        }
        // signals sent while it was away may be lost: once back, every worker looks
        await().atMost(20, TimeUnit.SECONDS).until(() -> passes.get() == 2);
        await().atMost(10, TimeUnit.SECONDS).until(() -> {
            try (Connection admin = connect(); Statement st = admin.createStatement();
                 var rs = st.executeQuery("select count(*) from pg_stat_activity where application_name ="
                         + " 'toban-replica-signals' and datname = current_database() and query ilike 'listen%'")) {
                rs.next();
                return rs.getInt(1) == 1;
            }
        });
        notifyAs("elsewhere", name, true);
        await().atMost(10, TimeUnit.SECONDS).until(() -> passes.get() == 3);
    }

    @Test
    void aCommitThatWakesAWorkerSignalsTheOtherReplicasOnceAndARollbackDoesNot() throws Exception {
        String name = "signal-source-" + UUID.randomUUID().toString().substring(0, 8);
        Worker worker = counting(name, new AtomicInteger());
        try (Connection listener = connect(); Statement listen = listener.createStatement()) {
            listen.execute("listen toban_jobs");
            PGConnection pg = listener.unwrap(PGConnection.class);

            QuarkusTransaction.begin();
            worker.wakeAfterCommit();
            QuarkusTransaction.rollback();
            QuarkusTransaction.requiringNew().run(() -> {
                worker.wakeAfterCommit();
                worker.wakeAfterCommit();
            });

            List<String> heard = new ArrayList<>();
            await().atMost(10, TimeUnit.SECONDS).until(() -> {
                PGNotification[] signals = pg.getNotifications(100);
                if (signals != null) {
                    Arrays.stream(signals).map(PGNotification::getParameter).filter(p -> p.endsWith(":" + name))
                            .forEach(heard::add);
                }
                return !heard.isEmpty();
            });
            PGNotification[] more = pg.getNotifications(300);
            long extra = more == null ? 0 : Arrays.stream(more).filter(n -> n.getParameter().endsWith(":" + name)).count();
            assertEquals(1, heard.size() + extra, "one signal for the committed transaction, none for the rolled-back one");
            assertTrue(heard.get(0).indexOf(':') > 0, "the payload names the replica: " + heard.get(0));
        }
    }
}

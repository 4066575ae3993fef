package dev.toban.system;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** Stops and starts the machine's real RabbitMQ and PostgreSQL for fault tests. */
public final class LocalServices {

    private LocalServices() {
    }

    /** Stops the RabbitMQ application (the Erlang node stays up, so it starts again in seconds). */
    public static void stopRabbitMq() {
        run("rabbitmqctl", "-q", "stop_app");
    }

    public static void startRabbitMq() {
        run("rabbitmqctl", "-q", "start_app");
        run("rabbitmqctl", "-q", "await_startup");
    }

    public static void stopPostgres() {
        run("pg_ctlcluster", "--skip-systemctl-redirect", postgresVersion(), "main", "stop", "-m", "fast");
    }

    public static void startPostgres() {
        run("pg_ctlcluster", "--skip-systemctl-redirect", postgresVersion(), "main", "start");
        await().atMost(Duration.ofSeconds(30)).until(() -> exitCode("pg_isready", "-q", "-h", "127.0.0.1") == 0);
    }

    private static String postgresVersion() {
        String[] versions = new java.io.File("/etc/postgresql").list();
        if (versions == null || versions.length == 0) {
            throw new IllegalStateException("no PostgreSQL cluster in /etc/postgresql");
        }
        java.util.Arrays.sort(versions);
        return versions[versions.length - 1];
    }

    private static void run(String... command) {
        int code = exitCode(command);
        if (code != 0) {
            throw new IllegalStateException(String.join(" ", command) + " exited with " + code);
        }
    }

    private static int exitCode(String... command) {
        List<String> full = new ArrayList<>();
        if (!"root".equals(System.getProperty("user.name"))) {
            full.add("sudo");
            full.add("-n");
        }
        full.addAll(List.of(command));
        try {
            Process process = new ProcessBuilder(full).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            return process.waitFor();
        } catch (IOException e) {
            throw new IllegalStateException("cannot run " + full, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}

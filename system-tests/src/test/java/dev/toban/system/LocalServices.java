package dev.toban.system;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Stops and starts the machine's real RabbitMQ and PostgreSQL, and freezes processes (Keycloak) with SIGSTOP, for
 * fault tests; and makes sure none of that outlives the test run.
 *
 * <p>Every fault is written to a record ({@code .toban/run/test-faults}, one line {@code <what> <target> <pid of
 * this JVM>}) before it is made, and its line is removed once it is undone. A shutdown hook undoes whatever is
 * still recorded when this JVM ends, so a run interrupted with Ctrl-C or SIGTERM (a CI timeout; bin/toban test
 * forwards both) resumes Keycloak and starts RabbitMQ and PostgreSQL again. If this JVM is killed outright
 * (SIGKILL) the hook cannot run: then {@code bin/toban} undoes what the record lists, once the JVM that wrote a
 * line is gone (after {@code bin/toban test}, and before {@code stack}, {@code up} and {@code test}).
 */
public final class LocalServices {

    /** Where faults are recorded; {@code toban.faults.record} moves it (LocalServicesTest uses a file of its own). */
    static final Path RECORD = Path.of(System.getProperty("toban.faults.record",
            ServiceProcess.repositoryRoot().resolve(".toban/run/test-faults").toString()));
    private static final long OWNER = ProcessHandle.current().pid();
    /** Set once the shutdown hook has run: no new fault after that. */
    private static boolean shuttingDown;

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(LocalServices::undoAll, "toban-undo-faults"));
    }

    private LocalServices() {
    }

    /** Stops the RabbitMQ application (the Erlang node stays up, so it starts again in seconds). */
    public static synchronized void stopRabbitMq() {
        record("rabbitmq", "app");
        run("rabbitmqctl", "-q", "stop_app");
    }

    public static synchronized void startRabbitMq() {
        run("rabbitmqctl", "-q", "start_app");
        run("rabbitmqctl", "-q", "await_startup");
        forget("rabbitmq", "app");
    }

    public static synchronized void stopPostgres() {
        record("postgres", postgresVersion());
        run("pg_ctlcluster", "--skip-systemctl-redirect", postgresVersion(), "main", "stop", "-m", "fast");
    }

    public static synchronized void startPostgres() {
        run("pg_ctlcluster", "--skip-systemctl-redirect", postgresVersion(), "main", "start");
        await().atMost(Duration.ofSeconds(30)).until(() -> exitCode("pg_isready", "-q", "-h", "127.0.0.1") == 0);
        forget("postgres", postgresVersion());
    }

    /** SIGSTOP to a whole process group (for Keycloak: kc.sh and its JVM), until {@link #resume}. */
    public static synchronized void freeze(long processGroup) {
        record("frozen", String.valueOf(processGroup));
        signal("STOP", processGroup);
    }

    /** SIGCONT to the process group {@link #freeze} stopped. */
    public static synchronized void resume(long processGroup) {
        signal("CONT", processGroup);
        forget("frozen", String.valueOf(processGroup));
    }

    private static void signal(String name, long processGroup) {
        int code = exitCodeAsIs("kill", "-" + name, "--", "-" + processGroup);
        if (code != 0) {
            throw new IllegalStateException("kill -" + name + " -- -" + processGroup + " exited with " + code);
        }
    }

    /** Undoes every fault this JVM recorded and has not undone: runs at shutdown, whatever ended the run. */
    static synchronized void undoAll() {
        shuttingDown = true;
        for (String line : lines()) {
            String[] parts = line.trim().split("\\s+");
            if (parts.length != 3 || !parts[2].equals(String.valueOf(OWNER))) {
                continue;
            }
            try {
                switch (parts[0]) {
                    case "frozen" -> resume(Long.parseLong(parts[1]));
                    case "rabbitmq" -> startRabbitMq();
                    case "postgres" -> startPostgres();
                    default -> forget(parts[0], parts[1]);
                }
                System.err.println("[toban] undid the test fault '" + parts[0] + " " + parts[1] + "' at shutdown");
            } catch (RuntimeException e) {
                System.err.println("[toban] could not undo '" + line + "' (bin/toban will): " + e);
            }
        }
    }

    private static synchronized void record(String what, String target) {
        if (shuttingDown) {
            throw new IllegalStateException("the test run is ending: no new fault (" + what + " " + target + ")");
        }
        write(what + " " + target + " " + OWNER + System.lineSeparator(), StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }

    private static synchronized void forget(String what, String target) {
        String entry = what + " " + target + " " + OWNER;
        List<String> kept = lines().stream().filter(l -> !l.trim().equals(entry)).toList();
        if (kept.isEmpty()) {
            try {
                Files.deleteIfExists(RECORD);
            } catch (IOException e) {
                throw new IllegalStateException(RECORD.toString(), e);
            }
        } else {
            write(String.join(System.lineSeparator(), kept) + System.lineSeparator(),
                    StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING);
        }
    }

    private static List<String> lines() {
        try {
            return Files.exists(RECORD) ? Files.readAllLines(RECORD, StandardCharsets.UTF_8).stream()
                    .filter(l -> !l.isBlank()).toList() : List.of();
        } catch (IOException e) {
            throw new IllegalStateException(RECORD.toString(), e);
        }
    }

    private static void write(String text, StandardOpenOption... options) {
        try {
            Files.createDirectories(RECORD.getParent());
            Files.writeString(RECORD, text, StandardCharsets.UTF_8, options);
        } catch (IOException e) {
            throw new IllegalStateException("cannot record a test fault in " + RECORD, e);
        }
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
        return exitCodeAsIs(full.toArray(String[]::new));
    }

    private static int exitCodeAsIs(String... command) {
        List<String> full = List.of(command);
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

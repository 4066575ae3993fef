package dev.toban.system;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A test run that is interrupted leaves nothing frozen: a JVM that froze a process group through
 * {@link LocalServices#freeze} and then gets SIGTERM (Ctrl-C through bin/toban, a CI timeout) resumes it on its
 * way out; one that is killed outright leaves the group listed in the record for bin/toban to resume. A
 * {@code sleep} stands in for Keycloak.
 */
class LocalServicesTest {

    @Test
    void anInterruptedRunResumesWhatItFroze(@TempDir Path dir) throws Exception {
        Path record = dir.resolve("test-faults");
        Process victim = startVictim();
        Process run = startFreezer(victim.pid(), record);
        try {
            assertEquals('T', state(victim.pid()), "frozen by the run");
            assertTrue(Files.readString(record).startsWith("frozen " + victim.pid() + " " + run.pid()), Files.readString(record));
            run.destroy(); // SIGTERM
            assertTrue(run.waitFor(30, TimeUnit.SECONDS), "the run ends on SIGTERM");
            assertFalse(state(victim.pid()) == 'T', "resumed by the shutdown hook");
            assertFalse(Files.exists(record), "nothing left to undo");
        } finally {
            run.destroyForcibly();
            kill("CONT", victim.pid());
            victim.destroyForcibly();
        }
    }

    @Test
    void aKilledRunLeavesTheRecordForBinToban(@TempDir Path dir) throws Exception {
        Path record = dir.resolve("test-faults");
        Process victim = startVictim();
        Process run = startFreezer(victim.pid(), record);
        try {
            run.destroyForcibly(); // SIGKILL: no shutdown hook
            assertTrue(run.waitFor(30, TimeUnit.SECONDS));
            assertEquals('T', state(victim.pid()), "still frozen");
            // what bin/toban's restore_test_faults reads: the group, and a writer that is gone
            List<String> line = List.of(Files.readString(record).trim().split("\\s+"));
            assertEquals(List.of("frozen", String.valueOf(victim.pid()), String.valueOf(run.pid())), line);
        } finally {
            kill("CONT", victim.pid());
            victim.destroyForcibly();
        }
    }

    /** A {@code sleep} leading its own process group, as Keycloak does when bin/toban starts it. */
    static Process startVictim() throws Exception {
        return new ProcessBuilder("setsid", "sleep", "300").redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    }

    /** A JVM that freezes the group with the harness's code and waits to be stopped. */
    static Process startFreezer(long group, Path record) throws Exception {
        String java = ProcessHandle.current().info().command().orElse("java");
        String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        Process run = new ProcessBuilder(java, "-cp", classpath, "-Dtoban.faults.record=" + record,
                Freezer.class.getName(), String.valueOf(group)).redirectErrorStream(true).start();
        BufferedReader out = new BufferedReader(new InputStreamReader(run.getInputStream(), StandardCharsets.UTF_8));
        String line;
        while ((line = out.readLine()) != null && !line.equals("frozen")) {
            System.out.println("[freezer] " + line);
        }
        assertEquals("frozen", line, "the freezer froze the group");
        Thread drain = new Thread(() -> {
            try {
                out.lines().forEach(l -> System.out.println("[freezer] " + l));
            } catch (java.io.UncheckedIOException e) {
                // the freezer ended
            }
        });
        drain.setDaemon(true);
        drain.start();
        return run;
    }

    /** The state letter of /proc/PID/stat: T when stopped. */
    static char state(long pid) throws Exception {
        try {
            return org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(5))
                    .pollInterval(java.time.Duration.ofMillis(100)).until(() -> {
                        String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
                        return stat.charAt(stat.lastIndexOf(')') + 2);
                    }, state -> state != 'R');
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            return 'R'; // still running after 5 s
        }
    }

    static void kill(String signal, long pid) throws Exception {
        new ProcessBuilder("kill", "-" + signal, String.valueOf(pid)).redirectOutput(new File("/dev/null"))
                .redirectErrorStream(true).start().waitFor();
    }

    /** The stand-in for a fault test: freezes the group given and waits. */
    public static final class Freezer {
        public static void main(String[] args) throws Exception {
            LocalServices.freeze(Long.parseLong(args[0]));
            System.out.println("frozen");
            System.out.flush();
            // waits to be killed by the test (at most 5 min, so a lost one does not live on)
            new java.util.concurrent.CountDownLatch(1).await(5, java.util.concurrent.TimeUnit.MINUTES);
        }
    }
}

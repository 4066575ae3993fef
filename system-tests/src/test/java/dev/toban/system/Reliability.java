package dev.toban.system;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * One row of docs/reliability.md's table per scenario, appended to
 * {@code system-tests/target/reliability.md} and printed, so every run reports its own figures.
 */
final class Reliability {

    record Row(String scenario, String load, String failed, long sent, long delivered, long lost, long duplicated,
               String recovery) {
        String markdown() {
            return "| " + String.join(" | ", scenario, load, failed, String.valueOf(sent), String.valueOf(delivered),
                    String.valueOf(lost), String.valueOf(duplicated), recovery) + " |";
        }
    }

    private Reliability() {
    }

    static void report(Row row) {
        Path file = ServiceProcess.repositoryRoot().resolve("system-tests/target/reliability.md");
        try {
            if (!Files.exists(file)) {
                Files.createDirectories(file.getParent());
                Files.writeString(file, """
                        | scenario | load | what failed | events sent | events delivered | lost | duplicated | recovery time |
                        |---|---|---|---|---|---|---|---|
                        """);
            }
            Files.writeString(file, row.markdown() + System.lineSeparator(), StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        System.out.println("[reliability] " + row.markdown());
    }
}

package dev.toban.notify.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Keeps the HTML a page test received under {@code target/page-snapshots}, to look at the pages without
 * starting the services (the browser ITs in system-tests take the real screenshots).
 */
public final class PageSnapshots {

    private PageSnapshots() {
    }

    public static String save(String name, String html) {
        try {
            Path dir = Path.of("target", "page-snapshots");
            Files.createDirectories(dir);
            Files.writeString(dir.resolve(name + ".html"), html, StandardCharsets.UTF_8);
        } catch (IOException e) {
            // only a help for looking at pages: a test never fails for it
        }
        return html;
    }
}

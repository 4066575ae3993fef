package dev.toban.system;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;

/**
 * Base of the page ITs: the four services with demo data, started afresh for each test class (each
 * class changes the demo data its own way), and Debian's chromium to drive them.
 */
@Tag("browser") // a tier: bin/toban test --quick leaves it out (the tag is inherited)
abstract class BrowserIT {

    static TobanSystem toban;

    @BeforeAll
    static void startToban() {
        assumeTrue(Browser.available(), "Debian's chromium and chromium-driver are installed by bin/toban test");
        toban = TobanSystem.start();
    }

    @AfterAll
    static void stopToban() {
        if (toban != null) {
            toban.close();
            toban = null;
        }
    }
}

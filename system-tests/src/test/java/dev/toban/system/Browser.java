package dev.toban.system;

import dev.toban.plumbing.testing.LocalStack;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.logging.Level;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebDriverException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * A real headless browser: Debian's chromium driven by Debian's chromedriver through Selenium (no
 * browser is downloaded). It signs in on the real Keycloak login page and saves screenshots to
 * {@code system-tests/target/screenshots}.
 */
final class Browser implements AutoCloseable {

    static final String CHROMIUM = System.getProperty("toban.chromium", "/usr/bin/chromium");
    static final String CHROMEDRIVER = System.getProperty("toban.chromedriver", "/usr/bin/chromedriver");
    /** The directives of the pages' policy that Keycloak's own policy does not have. */
    private static final java.util.regex.Pattern TOBAN_DIRECTIVES = java.util.regex.Pattern.compile(
            "'(default-src|script-src|style-src|img-src|connect-src|form-action|base-uri)");

    final WebDriver driver;
    private final Path profile;

    /** A fresh browser (no cookies) whose preferred language is {@code lang} ("ja" or "en"). */
    Browser(String lang) {
        try {
            profile = Files.createTempDirectory("toban-chromium");
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM);
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-dev-shm-usage", "--window-size=1280,1000", "--lang=" + lang,
                "--user-data-dir=" + profile);
        options.setExperimentalOption("prefs", java.util.Map.of("intl.accept_languages", lang));
        // the console, to catch what the pages' Content-Security-Policy blocked
        LoggingPreferences logs = new LoggingPreferences();
        logs.enable(LogType.BROWSER, Level.ALL);
        options.setCapability("goog:loggingPrefs", logs);
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File(CHROMEDRIVER)).usingAnyFreePort().build();
        driver = new ChromeDriver(service, options);
        driver.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(30));
    }

    static boolean available() {
        return new File(CHROMIUM).canExecute() && new File(CHROMEDRIVER).canExecute();
    }

    /** Opens {@code url}; if Keycloak asks, signs in as {@code username} with the demo password. */
    Browser open(String url, String username) {
        driver.get(url);
        if (isLoginPage()) {
            login(username);
        }
        return this;
    }

    Browser open(String url) {
        driver.get(url);
        return this;
    }

    boolean isLoginPage() {
        return !driver.findElements(By.id("kc-login")).isEmpty();
    }

    void login(String username) {
        WebElement user = waitFor(By.id("username"));
        user.clear();
        user.sendKeys(username);
        driver.findElement(By.id("password")).sendKeys(LocalStack.demoPassword());
        driver.findElement(By.id("kc-login")).click();
        new WebDriverWait(driver, Duration.ofSeconds(20)).until(d -> !isLoginPage());
    }

    WebElement waitFor(By locator) {
        return new WebDriverWait(driver, Duration.ofSeconds(20)).until(ExpectedConditions.visibilityOfElementLocated(locator));
    }

    /** Waits until the page's text contains {@code text} (for example after a live refresh). */
    void waitForText(String text) {
        try {
            // a form post or a live refresh may replace the page while it is read
            new WebDriverWait(driver, Duration.ofSeconds(30))
                    .ignoring(org.openqa.selenium.StaleElementReferenceException.class)
                    .until(d -> {
                        try {
                            return d.findElement(By.tagName("body")).getText().contains(text);
                        } catch (org.openqa.selenium.WebDriverException e) {
                            // Chrome's own word for a stale body: "Node with given id does not belong to the document"
                            if (String.valueOf(e.getMessage()).contains("does not belong to the document")) {
                                return false;
                            }
                            throw e;
                        }
                    });
        } catch (org.openqa.selenium.TimeoutException e) {
            throw new AssertionError("'" + text + "' never appeared on " + driver.getCurrentUrl() + ":\n" + text(), e);
        }
    }

    String text() {
        try {
            return driver.findElement(By.tagName("body")).getText();
        } catch (org.openqa.selenium.StaleElementReferenceException e) {
            // the page was replaced between finding its body and reading it: read the new one
            return driver.findElement(By.tagName("body")).getText();
        }
    }

    /** Saves a PNG of the current page as {@code target/screenshots/<name>.png}. */
    Path screenshot(String name) {
        try {
            Path dir = ServiceProcess.repositoryRoot().resolve("system-tests/target/screenshots");
            Files.createDirectories(dir);
            Path target = dir.resolve(name + ".png");
            File shot = ((TakesScreenshot) driver).getScreenshotAs(OutputType.FILE);
            Files.copy(shot.toPath(), target, StandardCopyOption.REPLACE_EXISTING);
            return target;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * What Toban's own pages logged as blocked by their Content-Security-Policy since the last call.
     * Chromium's message names the directive but not the page; Keycloak's pages set none of these
     * directives (only frame and object rules), so a violation of one of them is a Toban page's.
     */
    List<String> cspViolations() {
        try {
            return driver.manage().logs().get(LogType.BROWSER).getAll().stream()
                    .map(LogEntry::getMessage)
                    .filter(m -> m.contains("Content Security Policy") && TOBAN_DIRECTIVES.matcher(m).find())
                    .toList();
        } catch (WebDriverException e) {
            return List.of();
        }
    }

    /** Quits the browser; fails if a Toban page broke its Content-Security-Policy meanwhile. */
    @Override
    public void close() {
        List<String> violations = cspViolations();
        try {
            driver.quit();
        } finally {
            try (var files = Files.walk(profile)) {
                files.sorted(java.util.Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
            } catch (IOException ignored) {
                // a temp folder left behind
            }
        }
        if (!violations.isEmpty()) {
            throw new AssertionError("Content-Security-Policy violations on Toban pages: " + violations);
        }
    }

    // ------------------------------------------------------------------ pages of issue 7 (appended)

    /** Clicks the element and waits until the browser has loaded the page the click led to. */
    void clickAndWait(By locator) {
        WebElement element = waitFor(locator);
        element.click();
        new WebDriverWait(driver, Duration.ofSeconds(20)).until(d -> gone(element));
    }

    /**
     * Whether the element's page has been replaced. Besides a stale reference, chromium may answer
     * "Node with given id does not belong to the document" while the old page is being torn down.
     */
    static boolean gone(WebElement element) {
        try {
            element.isEnabled();
            return false;
        } catch (org.openqa.selenium.StaleElementReferenceException e) {
            return true;
        } catch (WebDriverException e) {
            if (String.valueOf(e.getMessage()).contains("does not belong to the document")) {
                return true;
            }
            throw e;
        }
    }

    /** Picks the option with {@code value} in a select box. */
    void select(By locator, String value) {
        new org.openqa.selenium.support.ui.Select(waitFor(locator)).selectByValue(value);
    }

    /**
     * A form POST sent by script from the current page (as a forged request would be), with the CSRF token of
     * the page's first form; returns the HTTP status.
     */
    long forgePost(String path, String formBody) {
        Object status = ((org.openqa.selenium.JavascriptExecutor) driver).executeAsyncScript("""
                const done = arguments[arguments.length - 1];
                const token = document.querySelector("input[name=csrf]");
                fetch(arguments[0], { method: "POST", credentials: "same-origin", redirect: "manual",
                    headers: { "Content-Type": "application/x-www-form-urlencoded" },
                    body: arguments[1] + (token ? "&csrf=" + encodeURIComponent(token.value) : "") })
                  .then(r => done(r.status)).catch(e => done(-1));""", path, formBody);
        return ((Number) status).longValue();
    }
}

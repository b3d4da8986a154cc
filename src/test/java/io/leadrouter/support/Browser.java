package io.leadrouter.support;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Assumptions;

import com.microsoft.playwright.BrowserType;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;

/**
 * Headless Chromium driven by Playwright: the machine's own Chromium (no browser download), one
 * process per test class, a fresh context per page so tabs of a test share nothing unless asked.
 */
public final class Browser implements AutoCloseable {

    /** Where browser tests save screenshots; the README links the latest ones. */
    public static final Path SCREENSHOTS = Paths.get("target", "screenshots");

    private static final String CHROMIUM = System.getenv().getOrDefault("CHROMIUM_PATH", "/usr/bin/chromium");

    private final Playwright playwright;
    private final com.microsoft.playwright.Browser browser;
    private final List<String> policyViolations = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final List<String> scriptErrors = new java.util.concurrent.CopyOnWriteArrayList<>();

    /**
     * Skips the calling tests when the machine has no Chromium, unless {@code LEADROUTER_REQUIRE_BROWSER}
     * is set (CI sets it after installing Chromium, so there a missing browser fails the build).
     */
    public Browser() {
        Assumptions.assumeTrue(Files.isExecutable(Paths.get(CHROMIUM)) || System.getenv("LEADROUTER_REQUIRE_BROWSER") != null,
                "No Chromium at " + CHROMIUM + " (set CHROMIUM_PATH, or install Debian's chromium): browser tests skipped");
        playwright = Playwright.create(new Playwright.CreateOptions().setEnv(Map.of("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")));
        browser = playwright.chromium().launch(new BrowserType.LaunchOptions().setExecutablePath(Paths.get(CHROMIUM))
                .setHeadless(true).setArgs(List.of("--no-sandbox", "--disable-gpu", "--disable-background-networking",
                        "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic")));
    }

    /** A page in a context of its own, laptop-sized. */
    public Page newPage() {
        return watched(browser.newContext(new com.microsoft.playwright.Browser.NewContextOptions().setViewportSize(1280, 800)).newPage());
    }

    /** A page in a context of its own with a phone's width. */
    public Page newPhonePage() {
        return watched(browser.newContext(new com.microsoft.playwright.Browser.NewContextOptions().setViewportSize(390, 844)).newPage());
    }

    /** What the pages' Content-Security-Policy refused so far (Chromium reports each on the console). */
    public List<String> policyViolations() {
        return List.copyOf(policyViolations);
    }

    /**
     * What the pages threw and nothing caught since the last call: a render that throws leaves the page stale,
     * with nothing else to show for it.
     */
    public List<String> takeScriptErrors() {
        List<String> taken = List.copyOf(scriptErrors);
        scriptErrors.removeAll(taken);
        return taken;
    }

    private Page watched(Page page) {
        page.onConsoleMessage(message -> {
            if (message.text().contains("Content Security Policy")) {
                policyViolations.add(page.url() + ": " + message.text());
            }
        });
        page.onPageError(error -> scriptErrors.add(page.url() + ": " + error));
        return page;
    }

    public static Path screenshot(String name) {
        return SCREENSHOTS.resolve(name + ".png");
    }

    @Override
    public void close() {
        browser.close();
        playwright.close();
    }
}

package io.leadrouter.web;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.startsWith;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import org.assertj.core.api.Assertions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.AriaRole;
import com.microsoft.playwright.options.SelectOption;

import io.leadrouter.support.AgentClient;
import io.leadrouter.support.Api;
import io.leadrouter.support.Browser;
import io.leadrouter.support.SocketTest;
import io.quarkus.test.junit.QuarkusTest;

/** The manager console at /manager in a real browser, fed by /ws/manager. */
@QuarkusTest
class ConsolePageTest extends SocketTest {

    private static Browser browser;

    @BeforeAll
    static void launch() {
        browser = new Browser();
    }

    @AfterAll
    static void quit() {
        // null when the browser tests were skipped (no Chromium on this machine)
        if (browser != null) {
            browser.close();
        }
    }

    @AfterEach
    void nothingWasRefusedByTheContentSecurityPolicy() {
        Assertions.assertThat(browser.policyViolations()).as("refused by the Content-Security-Policy").isEmpty();
        Assertions.assertThat(browser.takeScriptErrors()).as("thrown by the page's scripts").isEmpty();
    }

    @Test
    void managerWithoutASlashServesThePageAndItsModules() {
        given().redirects().follow(false).get("/manager").then().statusCode(200)
                .contentType(startsWith("text/html")).body(containsString("Manager console"));
        given().get("/manager/console.js").then().statusCode(200).body(containsString("/ws/manager"));
        given().get("/manager/console.css").then().statusCode(200);
    }

    @Test
    void withATrailingSlashTheConsoleRendersToo() {
        Page page = browser.newPage();
        List<String> failed = new ArrayList<>();
        page.onResponse(response -> {
            if (response.status() >= 400) {
                failed.add(response.status() + " " + response.url());
            }
        });
        page.navigate(root.resolve("/manager/").toString());
        // the sign-in form is hidden until console.js runs, and styled only by console.css
        assertThat(page.getByLabel("API key")).isVisible();
        assertThat(page.locator("#sign-in")).hasCSS("display", "flex");
        Assertions.assertThat(failed).as("requests that failed").isEmpty();
    }

    @Test
    void theConsoleShowsTheQueueRepsDecisionsTheirTraceAndFairness() {
        String waiting = Api.newTeam();
        Api.lead(waiting, "company", "Initech");
        Api.lead(waiting, "company", "Umbrella");
        String team = Api.newTeam();
        String expert = Api.rep(team, "name", "Ada Expert", "territories", List.of("DE"));
        String abroad = Api.rep(team, "name", "Fritz Abroad", "territories", List.of("FR"));
        try (AgentClient agent = online(expert)) {
            Page page = signedIn(browser.newPage());

            // the queue: a team without reps holds its two leads, in PUSH mode
            Locator queueRow = page.getByRole(AriaRole.TABLE, new Page.GetByRoleOptions().setName("Queue by team"))
                    .getByRole(AriaRole.ROW).filter(new Locator.FilterOptions().setHasText(waiting));
            assertThat(queueRow.getByRole(AriaRole.CELL).nth(0)).hasText("PUSH");
            assertThat(queueRow.getByRole(AriaRole.CELL).nth(1)).hasText("2");
            assertThat(queueRow.getByRole(AriaRole.CELL).nth(2)).containsText(Pattern.compile("P\\d 2"));
            assertThat(queueRow.getByRole(AriaRole.CELL).nth(3)).hasText(Pattern.compile("\\d+s|\\d+m \\d+s"));
            assertThat(page.getByRole(AriaRole.IMG, new Page.GetByRoleOptions().setName(Pattern.compile("Queue depth by team"))))
                    .isVisible();

            // one team at a time: its queue by priority, only its reps
            page.getByLabel("Team shown").selectOption(waiting);
            assertThat(page.getByRole(AriaRole.IMG, new Page.GetByRoleOptions()
                    .setName(Pattern.compile("Queue depth of " + waiting + " by priority")))).isVisible();
            assertThat(page.getByRole(AriaRole.ROW).filter(new Locator.FilterOptions().setHasText("Ada Expert"))).hasCount(0);
            page.getByLabel("Team shown").selectOption(new SelectOption().setLabel("All teams"));

            // the reps: the connected one is AVAILABLE with nothing on its plate
            Locator reps = page.getByRole(AriaRole.TABLE, new Page.GetByRoleOptions().setName(Pattern.compile("^Reps")));
            Locator adaRow = reps.getByRole(AriaRole.ROW).filter(new Locator.FilterOptions().setHasText("Ada Expert"));
            assertThat(adaRow).containsText("AVAILABLE");
            assertThat(adaRow).containsText("Connected");
            assertThat(adaRow.getByRole(AriaRole.METER)).hasAttribute("aria-valuenow", "0");
            assertThat(reps.getByRole(AriaRole.ROW).filter(new Locator.FilterOptions().setHasText("Fritz Abroad")))
                    .containsText("Not connected");

            // an offer, accepted at once: the offer times out in 3 s in tests, sooner than a loaded machine may take
            // to show it, and the trace below must stay that of a routed lead; the load moves and the decision shows
            String lead = Api.lead(team, "company", "Globex", "country", "DE");
            JsonNode offer = agent.await("offer");
            Assertions.assertThat(offer.path("lead").path("id").asText()).isEqualTo(lead);
            agent.send(Map.of("type", "accept", "offerId", offer.path("offerId").asText()));
            agent.await("assigned");
            // the service holds the load (else a stale meter is the page's fault, not the snapshot's); the next
            // snapshot shows it within a second, given a loaded CI machine and a socket that may reconnect, 20 s
            Assertions.assertThat(Api.getRep(expert).getInt("activeLoad")).isEqualTo(1);
            assertThat(adaRow.getByRole(AriaRole.METER)).hasAttribute("aria-valuenow", "1",
                    new com.microsoft.playwright.assertions.LocatorAssertions.HasAttributeOptions().setTimeout(20_000));
            Locator decision = page.getByRole(AriaRole.BUTTON,
                    new Page.GetByRoleOptions().setName(Pattern.compile("^OFFER Globex to Ada Expert")));
            assertThat(decision).isVisible();

            // an unchanged feed keeps its buttons across snapshots (one per second in tests): a click is not lost
            decision.evaluate("button => button.dataset.probe = 'kept'");
            page.waitForTimeout(2500);
            assertThat(decision).hasAttribute("data-probe", "kept");

            // its trace: why this rep, why not the other
            decision.click();
            assertThat(decision).hasAttribute("aria-pressed", "true");
            Locator trace = page.getByRole(AriaRole.REGION, new Page.GetByRoleOptions().setName("Decision trace"));
            Locator chosen = trace.getByRole(AriaRole.ROW).filter(new Locator.FilterOptions().setHasText("Ada Expert"));
            assertThat(chosen).containsText("Chosen");
            assertThat(chosen.getByRole(AriaRole.LIST, new Locator.GetByRoleOptions().setName("Score components")))
                    .containsText("headroom");
            Locator excluded = trace.getByRole(AriaRole.ROW).filter(new Locator.FilterOptions().setHasText("Fritz Abroad"));
            assertThat(excluded).containsText("TERRITORY");
            trace.getByLabel("Why not").selectOption(abroad);
            trace.getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Explain")).click();
            assertThat(trace.locator(".answer")).containsText(abroad + " was excluded: TERRITORY");

            // accepted: today's fairness counts it against the weighted share
            Locator fairness = page.getByRole(AriaRole.ARTICLE, new Page.GetByRoleOptions().setName("Fairness of " + team));
            assertThat(fairness.getByRole(AriaRole.ROW).filter(new Locator.FilterOptions().setHasText("Ada Expert")))
                    .containsText("1 / 0.5");
            assertThat(fairness.getByRole(AriaRole.ROW).filter(new Locator.FilterOptions().setHasText("Fritz Abroad")))
                    .containsText("0 / 0.5");
            assertThat(fairness).containsText("Gini");
            assertThat(adaRow).containsText(Pattern.compile("just now|\\ds ago"));

            page.screenshot(new Page.ScreenshotOptions().setPath(Browser.screenshot("manager-console")).setFullPage(true));
        }
    }

    @Test
    void aManagerAssignsAHeldLeadRequeuesHeldLeadsAndPausesARepFromTheConsole() {
        String team = Api.newTeam();
        String mia = Api.rep(team, "name", "Mia Manual", "territories", List.of("FR"));
        String held = Api.lead(team, "company", "Vandelay", "country", "DE");
        String other = Api.lead(team, "company", "Kramerica", "country", "DE");
        for (String lead : List.of(held, other)) {
            await().atMost(Duration.ofSeconds(10)).until(() -> "HELD".equals(Api.getLead(lead).getString("status")));
        }
        Page page = signedIn(browser.newPage());
        page.getByLabel("Team shown").selectOption(team);

        // the held decision of Vandelay: its lead panel assigns it, forced past the territory
        Locator decision = page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName(Pattern.compile("^HELD Vandelay")));
        decision.click();
        Locator form = page.getByRole(AriaRole.FORM, new Page.GetByRoleOptions().setName("Assign this lead"));
        form.getByLabel("Assign to").selectOption(mia);
        form.getByLabel("Reason").fill("Mia speaks German too");
        form.getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Assign")).click();
        assertThat(form.locator(".action-result")).containsText("TERRITORY");
        form.getByLabel("skip the rep's constraints").check();
        form.getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Assign")).click();
        await().atMost(Duration.ofSeconds(5)).until(() -> mia.equals(Api.getLead(held).getString("ownerRepId")));
        assertThat(page.locator("#lead-actions")).containsText("ASSIGNED · owner Mia Manual");
        assertThat(page.locator("#lead-actions")).not().containsText("null");

        // the other held lead, requeued from the held list
        Locator heldCard = page.getByRole(AriaRole.REGION, new Page.GetByRoleOptions().setName("Held leads"));
        heldCard.getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Refresh")).click();
        heldCard.getByLabel("Select Kramerica").check();
        heldCard.getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Requeue selected")).click();
        assertThat(heldCard.locator(".action-result")).containsText("Requeued 1");

        // Mia paused, with a reason asked for
        page.onDialog(dialog -> dialog.accept("coaching"));
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Pause Mia Manual")).click();
        await().atMost(Duration.ofSeconds(5)).until(() -> "coaching".equals(Api.getRep(mia).getString("paused.reason")));
        assertThat(page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Resume Mia Manual"))).isVisible();
        page.screenshot(new Page.ScreenshotOptions().setPath(Browser.screenshot("manager-console-actions")).setFullPage(true));
    }

    @Test
    void aBadKeyIsRejectedAndTheTabKeepsOnlyTheSessionUntilItEnds() {
        Page page = browser.newPage();
        List<String> sockets = new ArrayList<>();
        page.onWebSocket(socket -> sockets.add(socket.url()));
        page.navigate(root.resolve("/manager").toString());
        signIn(page, "not-the-key");
        assertThat(page.getByRole(AriaRole.ALERT)).containsText("Key rejected");
        assertThat(page.getByLabel("API key")).isVisible();
        Assertions.assertThat(sockets).as("a rejected key opens no socket").isEmpty();
        page.screenshot(new Page.ScreenshotOptions().setPath(Browser.screenshot("manager-console-rejected")));
        signIn(page, Api.key("intake"));
        assertThat(page.getByRole(AriaRole.ALERT)).containsText("may not read");

        signIn(page, Api.KEY);
        assertThat(page.getByRole(AriaRole.STATUS)).containsText("Live");
        Assertions.assertThat((String) page.evaluate("() => JSON.stringify(Object.assign({}, sessionStorage))"))
                .as("the tab keeps the session, never the key").contains("lrs_").doesNotContain(Api.KEY);
        String token = (String) page.evaluate("() => JSON.parse(sessionStorage.getItem('leadrouter.console.session')).token");
        page.reload();
        assertThat(page.getByRole(AriaRole.STATUS)).containsText("Live"); // a reload keeps the session

        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Sign out")).click();
        assertThat(page.getByLabel("API key")).isVisible();
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> Api.as(token).get("/api/v1/queue").then().statusCode(401));
        page.reload();
        assertThat(page.getByLabel("API key")).isVisible();

        // an admin ends the session: the console is signed out at once
        signIn(page, Api.KEY);
        assertThat(page.getByRole(AriaRole.STATUS)).containsText("Live");
        String session = (String) page.evaluate("() => JSON.parse(sessionStorage.getItem('leadrouter.console.session')).id");
        Api.api().delete("/api/v1/console/sessions/{id}", session).then().statusCode(204);
        assertThat(page.getByRole(AriaRole.ALERT)).containsText("session ended");
        assertThat(page.getByLabel("API key")).isVisible();
    }

    @Test
    void aPhoneGetsTheConsoleWithoutSidewaysScrolling() {
        String team = Api.newTeam();
        Api.rep(team, "name", "Grace Phone");
        Api.lead(team, "company", "Hooli");
        Page page = signedIn(browser.newPhonePage());
        assertThat(page.getByRole(AriaRole.ROW).filter(new Locator.FilterOptions().setHasText("Grace Phone")).first())
                .isVisible();
        assertThat(page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName(Pattern.compile("Hooli")))).isVisible();
        Object overflow = page.evaluate("() => document.documentElement.scrollWidth - window.innerWidth");
        Assertions.assertThat(((Number) overflow).intValue()).isLessThanOrEqualTo(0);
        page.screenshot(new Page.ScreenshotOptions().setPath(Browser.screenshot("manager-console-phone")).setFullPage(true));
    }

    /** Opens the console and signs in with the test key, as a manager types it once. */
    private Page signedIn(Page page) {
        page.navigate(root.resolve("/manager").toString());
        signIn(page, Api.KEY);
        assertThat(page.getByRole(AriaRole.STATUS)).containsText("Live");
        return page;
    }

    private static void signIn(Page page, String key) {
        page.getByLabel("API key").fill(key);
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Sign in")).click();
    }
}

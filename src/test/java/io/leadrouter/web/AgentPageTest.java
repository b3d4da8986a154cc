package io.leadrouter.web;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static io.leadrouter.support.Api.api;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.assertj.core.api.Assertions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.assertions.PlaywrightAssertions;
import com.microsoft.playwright.options.AriaRole;
import com.microsoft.playwright.options.ScreenshotAnimations;

import io.leadrouter.support.AgentClient;
import io.leadrouter.support.Api;
import io.leadrouter.support.Browser;
import io.leadrouter.support.Database;
import io.leadrouter.support.SocketTest;
import io.quarkus.test.junit.QuarkusTest;

/** The agent client at / in a real browser, against the real service and its socket. */
@QuarkusTest
class AgentPageTest extends SocketTest {

    private static Browser browser;
    private final List<Page> pages = new java.util.ArrayList<>();

    @BeforeAll
    static void startBrowser() {
        browser = new Browser();
        // the test profile's offer timeout is 3 s: expiry and the Away note take a little longer
        PlaywrightAssertions.setDefaultAssertionTimeout(8_000);
    }

    @AfterAll
    static void stopBrowser() {
        // null when the browser tests were skipped (no Chromium on this machine)
        if (browser != null) {
            browser.close();
        }
    }

    @AfterEach
    void closePages() {
        // closing a page closes its socket: give the server a moment to see each rep go
        pages.forEach(page -> page.context().close());
        pages.clear();
        org.assertj.core.api.Assertions.assertThat(browser.policyViolations()).as("refused by the Content-Security-Policy").isEmpty();
        org.assertj.core.api.Assertions.assertThat(browser.takeScriptErrors()).as("thrown by the page's scripts").isEmpty();
    }

    private Page open(Page page, String token) {
        pages.add(page);
        page.navigate(root + "#token=" + token);
        assertThat(connection(page)).hasText("Live");
        return page;
    }

    private Page signedIn(String rep) {
        return open(browser.newPage(), Api.token(rep));
    }

    private static Locator connection(Page page) {
        return page.locator("#connection-text");
    }

    private static Locator offer(Page page, String company) {
        return page.getByRole(AriaRole.ARTICLE, new Page.GetByRoleOptions().setName(company));
    }

    private static Locator myLeads(Page page) {
        return page.getByRole(AriaRole.REGION, new Page.GetByRoleOptions().setName("My leads"));
    }

    private static Locator button(Locator scope, String name) {
        return scope.getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName(name));
    }

    private static Locator button(Page page, String name) {
        return page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName(name));
    }

    private static void shot(Page page, String name) {
        page.screenshot(new Page.ScreenshotOptions().setPath(Browser.screenshot(name)).setFullPage(true)
                .setAnimations(ScreenshotAnimations.DISABLED));
    }

    private static String postLead(String team, String company) {
        return Api.lead(team, "company", company, "name", "Jo Baker", "value", 1200, "country", "DE", "product", "GTX Pro",
                "source", "web", "email", "jo@" + company.toLowerCase().replace(' ', '-') + ".example");
    }

    @Test
    void anOfferShowsItsLeadAndWhyAndAcceptThenCloseFreesTheRep() {
        String team = Api.newTeam();
        String rep = Api.rep(team);
        String busyColleague = Api.rep(team);
        try (AgentClient colleague = online(busyColleague)) {
            colleague.send(Map.of("type", "status", "status", "BUSY"));
            colleague.await("status");
            Page page = signedIn(rep);
            String lead = postLead(team, "Acme Tools");

            Locator card = offer(page, "Acme Tools");
            assertThat(card).isVisible();
            assertThat(card).containsText("1,200");
            assertThat(card).containsText("GTX Pro");
            assertThat(card).containsText("Germany (DE)");
            assertThat(card).containsText("web");
            assertThat(card).not().containsText("jo@acme-tools.example");
            assertThat(card).containsText("email and phone once you accept");
            assertThat(card).containsText("Why you");
            assertThat(card).containsText("only eligible rep of 2 considered");
            assertThat(card.locator(".expires")).containsText("Expires in");
            assertThat(page.getByRole(AriaRole.REGION, new Page.GetByRoleOptions().setName("Offers"))).containsText("1");
            shot(page, "agent-offer");

            button(card, "Accept").click();
            assertThat(card).hasCount(0);
            Locator mine = myLeads(page).getByRole(AriaRole.LISTITEM, new Locator.GetByRoleOptions().setName("Acme Tools"));
            assertThat(mine).isVisible();
            assertThat(mine).containsText("Accepted just now");
            assertThat(mine).containsText("jo@acme-tools.example");
            await().atMost(Duration.ofSeconds(5)).until(() -> "ASSIGNED".equals(Api.getLead(lead).getString("status")));
            Assertions.assertThat(Api.getRep(rep).getInt("activeLoad")).isEqualTo(1);
            shot(page, "agent-my-leads");

            Locator close = button(mine, "Close lead");
            assertThat(close).isDisabled();
            mine.getByLabel("Outcome").selectOption("CONVERTED");
            close.click();
            assertThat(mine).hasCount(0);
            assertThat(page.getByText("Acme Tools closed as Converted.")).isVisible();
            await().atMost(Duration.ofSeconds(5)).until(() -> Api.getRep(rep).getInt("activeLoad") == 0);
            Assertions.assertThat(Api.getLead(lead).getString("status")).isEqualTo("CLOSED");
            Assertions.assertThat(Api.getLead(lead).getString("outcome")).isEqualTo("CONVERTED");
        }
    }

    @Test
    void declineWithAReasonSendsTheLeadBackAndStoresTheReason() {
        String team = Api.newTeam();
        String rep = Api.rep(team);
        Page page = signedIn(rep);
        String lead = postLead(team, "Decline Co");
        Locator card = offer(page, "Decline Co");
        assertThat(card).isVisible();

        // the keyboard opens the reason picker on the focused card
        card.focus();
        page.keyboard().press("d");
        card.getByLabel("Reason").selectOption("Not my product");
        card.getByLabel("Details (optional)").fill("we only sell GTX Lite here");
        button(card, "Send decline").click();

        assertThat(card).hasCount(0);
        assertThat(page.getByText("You declined Decline Co.")).isVisible();
        // nobody else qualifies: the lead waits in the holding pool, never offered back to the decliner
        await().atMost(Duration.ofSeconds(5)).until(() -> List.of("QUEUED", "HELD").contains(Api.getLead(lead).getString("status")));
        // the API does not expose decline reasons; the offer row keeps it
        Assertions.assertThat(new Database(pool).rows("SELECT decline_reason FROM offer WHERE lead_id = $1::uuid AND state = 'DECLINED'",
                lead).get(0).getString(0)).isEqualTo("Not my product: we only sell GTX Lite here");
        assertThat(page.getByLabel("My status")).hasValue("AVAILABLE");
    }

    @Test
    void anOfferLeftUnansweredExpiresAndTheRepIsToldWhyItIsAway() {
        String team = Api.newTeam();
        String rep = Api.rep(team);
        Page page = signedIn(rep);
        postLead(team, "Slow Ltd");
        Locator card = offer(page, "Slow Ltd");
        assertThat(card).isVisible();

        assertThat(card).hasCount(0);
        assertThat(page.getByText("The offer for Slow Ltd expired.")).isVisible();
        assertThat(page.getByText("You were set Away because an offer expired unanswered")).isVisible();
        assertThat(page.getByLabel("My status")).hasValue("AWAY");
        assertThat(page.locator("#offers-empty")).containsText("You are Away");

        page.getByLabel("My status").selectOption("AVAILABLE");
        assertThat(page.getByText("You were set Away because an offer expired unanswered")).hasCount(0);
        await().atMost(Duration.ofSeconds(5)).until(() -> "AVAILABLE".equals(Api.getRep(rep).getString("presence")));
    }

    @Test
    void inPullModeNextLeadTakesTheWaitingLead() {
        String team = Api.newTeam();
        String rep = Api.rep(team);
        api().body(Map.of("teams", Map.of(team, Map.of("mode", Map.of("pullAbove", 0.5, "pushBelow", 0.0)))))
                .put("/api/v1/routing/policy").then().statusCode(200);
        try {
            Page page = signedIn(rep);
            page.getByLabel("My status").selectOption("BUSY");
            assertThat(page.locator("#presence")).hasAttribute("data-status", "BUSY");
            String lead = postLead(team, "Pull Inc");

            // one lead waiting per free point reaches pullAbove 0.5 (a busy rep is not offered it)
            Locator next = button(page, "Next lead");
            assertThat(next).isVisible();
            assertThat(next).containsText("1");
            assertThat(page.getByText("Your team switched to pull mode")).isVisible();
            next.click();
            assertThat(myLeads(page).getByRole(AriaRole.LISTITEM, new Locator.GetByRoleOptions().setName("Pull Inc"))).isVisible();
            await().atMost(Duration.ofSeconds(5)).until(() -> rep.equals(Api.getLead(lead).getString("ownerRepId")));
            // the queue drained: back to push, and the button goes
            assertThat(next).isHidden();

            // two more wait while the rep is full: pulling again says why not
            postLead(team, "Later One");
            postLead(team, "Later Two");
            assertThat(next).containsText("2");
            next.click();
            assertThat(page.getByText("You are at capacity.")).isVisible();
            assertThat(myLeads(page).getByRole(AriaRole.LISTITEM)).hasCount(1);
        } finally {
            api().body(Map.of()).put("/api/v1/routing/policy").then().statusCode(200);
        }
    }

    @Test
    void afterTheSocketDropsThePageReconnectsAndResumesItsOffersAndLeads() {
        String team = Api.newTeam();
        String rep = Api.rep(team, "maxLoad", 2);
        Page page = signedIn(rep);
        postLead(team, "Kept Lead");
        button(offer(page, "Kept Lead"), "Accept").click();
        assertThat(myLeads(page)).containsText("Kept Lead");

        // reconnects back off from 0.5 s to a 10 s cap, with jitter down to half of each step
        Assertions.assertThat(page.evaluate("import('/agent/socket.js').then(m => [0, 1, 2, 3, 4, 5, 12]"
                + ".map(n => [m.backoffDelay(n, () => 0), m.backoffDelay(n, () => 1)]))"))
                .isEqualTo(List.of(List.of(250, 500), List.of(500, 1000), List.of(1000, 2000), List.of(2000, 4000),
                        List.of(4000, 8000), List.of(5000, 10000), List.of(5000, 10000)));

        // the network goes away: reconnect attempts fail until it is back
        page.context().setOffline(true);
        page.evaluate("window.leadRouterAgent.dropConnection()");
        assertThat(connection(page)).hasText("Reconnecting");
        assertThat(page.locator("#connection")).containsText("Reconnecting in");
        page.context().setOffline(false);
        button(page, "Retry now").click();
        assertThat(connection(page)).hasText("Live");
        assertThat(myLeads(page)).containsText("Kept Lead");

        // a pending offer survives a drop once, not twice (offers are de-duplicated by offerId)
        postLead(team, "Pending Lead");
        assertThat(offer(page, "Pending Lead")).isVisible();
        page.evaluate("window.leadRouterAgent.dropConnection()");
        assertThat(connection(page)).hasText("Live");
        assertThat(offer(page, "Pending Lead")).hasCount(1);
        button(offer(page, "Pending Lead"), "Accept").click();
        assertThat(myLeads(page).getByRole(AriaRole.LISTITEM)).hasCount(2);
    }

    @Test
    void twoTabsOfOneRepStayConsistent() {
        String team = Api.newTeam();
        String rep = Api.rep(team);
        String token = Api.token(rep);
        Page first = open(browser.newPage(), token);
        Page second = open(browser.newPage(), token);
        postLead(team, "Twin Tabs");
        assertThat(offer(first, "Twin Tabs")).isVisible();
        assertThat(offer(second, "Twin Tabs")).isVisible();

        button(offer(second, "Twin Tabs"), "Accept").click();
        assertThat(offer(first, "Twin Tabs")).hasCount(0);
        assertThat(myLeads(first)).containsText("Twin Tabs");
        assertThat(myLeads(second)).containsText("Twin Tabs");

        myLeads(first).getByLabel("Outcome").selectOption("CONTACTED");
        button(myLeads(first), "Close lead").click();
        assertThat(myLeads(second).getByRole(AriaRole.LISTITEM)).hasCount(0);
        assertThat(second.getByText("Twin Tabs closed as Contacted.")).isVisible();
    }

    @Test
    void aTokenLinkSignsInAndSignOutForgetsTheToken() {
        String rep = Api.rep(Api.newTeam());
        String token = Api.token(rep);
        Page page = open(browser.newPage(), token);
        // the token leaves the address bar but stays for the tab
        Assertions.assertThat(page.url()).doesNotContain("token");
        page.reload();
        assertThat(connection(page)).hasText("Live");
        assertThat(page.locator("#rep-id")).hasText(rep);

        // muting is remembered across sign-ins
        Locator mute = button(page, "Mute");
        assertThat(mute).hasAttribute("aria-pressed", "false");
        mute.click();
        assertThat(mute).hasAttribute("aria-pressed", "true");

        button(page, "Sign out").click();
        assertThat(connection(page)).hasText("Signed out");
        assertThat(page.getByLabel("Rep token")).isVisible();
        Assertions.assertThat(page.evaluate("sessionStorage.length")).isEqualTo(0);
        await().atMost(Duration.ofSeconds(5)).until(() -> !Api.getRep(rep).getBoolean("connected"));

        // pasting the token works too
        page.getByLabel("Rep token").fill(token);
        button(page, "Sign in").click();
        assertThat(connection(page)).hasText("Live");
        assertThat(button(page, "Mute")).hasAttribute("aria-pressed", "true");
    }

    @Test
    void aRejectedTokenOrADeactivatedRepGoesBackToSignInInsteadOfLooping() {
        Page page = browser.newPage();
        pages.add(page);
        page.navigate(root + "#token=not-a-real-token");
        assertThat(page.getByRole(AriaRole.ALERT)).containsText("Token rejected");
        assertThat(page.getByLabel("Rep token")).isVisible();

        String rep = Api.rep(Api.newTeam());
        Page other = signedIn(rep);
        api().delete("/api/v1/reps/{id}", rep).then().statusCode(204);
        assertThat(other.getByRole(AriaRole.ALERT)).containsText("deactivated");
        assertThat(connection(other)).hasText("Signed out");
    }

    @Test
    void onAPhoneTheOfferFitsTheScreen() {
        String team = Api.newTeam();
        String rep = Api.rep(team);
        Page page = open(browser.newPhonePage(), Api.token(rep));
        postLead(team, "Pocket GmbH");
        Locator card = offer(page, "Pocket GmbH");
        assertThat(card).isVisible();
        assertThat(button(card, "Accept")).isVisible();
        Assertions.assertThat(page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"))
                .isEqualTo(true);
        shot(page, "agent-phone");
        button(card, "Accept").click();
        assertThat(myLeads(page)).containsText("Pocket GmbH");
    }
}

package io.leadrouter.metrics;

import static io.leadrouter.support.Api.api;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import java.net.URI;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.leadrouter.support.AgentClient;
import io.leadrouter.support.Api;
import io.leadrouter.support.SocketTest;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * The names, labels and meaning of the leadrouter_* series at /q/metrics on the management port: the Kubernetes manifests,
 * dashboards and autoscaler query exactly these. Counters are shared with every other test of the
 * run, so they are compared before and after.
 */
@QuarkusTest
class MetricsContractTest extends SocketTest {

    @TestHTTPResource(value = "/", management = true)
    URI management;

    @Test
    void everyDocumentedSeriesIsExportedWithItsLabelsAndMovesWithTheWork() {
        Map<String, Double> before = scrape();
        String quietTeam = Api.newTeam();
        String staffedTeam = Api.newTeam();

        // intake into a team nobody works: created, replayed by the same externalId, a duplicate by its e-mail,
        // refused three ways
        String email = "metrics@" + quietTeam + ".example";
        Map<String, Object> lead = Api.obj("company", "Acme", "team", quietTeam, "externalId", "crm-" + quietTeam, "email", email);
        int priority = api().body(lead).post("/api/v1/leads").then().statusCode(201).extract().path("priority");
        api().body(lead).post("/api/v1/leads").then().statusCode(200);
        api().body(Map.of("company", "Acme again", "team", quietTeam, "email", email)).post("/api/v1/leads").then().statusCode(200)
                .body("duplicateOf.by", equalTo(List.of("email")));
        api().body(Map.of("team", quietTeam)).post("/api/v1/leads").then().statusCode(400);
        api().body("{\"company\": ").post("/api/v1/leads").then().statusCode(400);
        api().body(List.of(Map.of("company", "Beta", "team", quietTeam), Map.of("team", quietTeam)))
                .post("/api/v1/leads/batch").then().statusCode(200).body("created", equalTo(1)).body("errors", equalTo(1));

        String rep = Api.rep(staffedTeam, "maxLoad", 2);
        try (AgentClient agent = online(rep)) {
            Api.lead(staffedTeam);
            agent.send(Map.of("type", "accept", "offerId", agent.await("offer").path("offerId").asText()));
            agent.await("assigned");
            String declined = Api.lead(staffedTeam);
            JsonNode offer = agent.await("offer", o -> o.path("lead").path("id").asText().equals(declined), Duration.ofSeconds(5));
            agent.send(Map.of("type", "decline", "offerId", offer.path("offerId").asText()));
            agent.await("offer-withdrawn");

            // gauges come from the sampler: wait for a sample taken after all of the above
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                Map<String, Double> now = scrape();
                assertThat(now).containsEntry(series("leadrouter_queue_depth", "priority", priority, "team", quietTeam), 2.0)
                        .containsEntry(series("leadrouter_leads_held", "team", staffedTeam), 1.0)
                        .containsEntry(series("leadrouter_team_mode", "mode", "PUSH", "team", quietTeam), 1.0)
                        .containsEntry(series("leadrouter_team_mode", "mode", "PULL", "team", quietTeam), 0.0)
                        .containsEntry(series("leadrouter_team_mode", "mode", "PUSH", "team", staffedTeam), 1.0);
                assertThat(now.get(series("leadrouter_queue_oldest_wait_seconds", "team", quietTeam))).isBetween(0.0, 60.0);
                assertThat(now.get(series("leadrouter_reps_connected", "presence", "AVAILABLE"))).isGreaterThanOrEqualTo(1.0);
                assertThat(now).containsKeys(series("leadrouter_reps_connected", "presence", "BUSY"),
                        series("leadrouter_reps_connected", "presence", "AWAY"));
            });
        }

        Map<String, Double> after = scrape();
        // two leads into the quiet team, two into the staffed one; the rest are exact too: nothing else sends leads now
        assertThat(increase(before, after, series("leadrouter_intake_total", "outcome", "created"))).isEqualTo(4.0);
        assertThat(increase(before, after, series("leadrouter_intake_total", "outcome", "replayed"))).isEqualTo(1.0);
        assertThat(increase(before, after, series("leadrouter_intake_total", "outcome", "duplicate"))).isEqualTo(1.0);
        assertThat(increase(before, after, series("leadrouter_intake_total", "outcome", "error"))).isEqualTo(3.0);
        // offers may also move for leftovers of earlier tests, so at least
        assertThat(increase(before, after, series("leadrouter_offers_total", "outcome", "created"))).isGreaterThanOrEqualTo(2.0);
        assertThat(increase(before, after, series("leadrouter_offers_total", "outcome", "accepted"))).isGreaterThanOrEqualTo(1.0);
        assertThat(increase(before, after, series("leadrouter_offers_total", "outcome", "declined"))).isGreaterThanOrEqualTo(1.0);
        assertThat(after).containsKeys(series("leadrouter_offers_total", "outcome", "expired"),
                series("leadrouter_offers_total", "outcome", "cancelled"));
        // the offers' frames, notified to other replicas or (one replica, once it has read the socket rows) kept here
        assertThat(increase(before, after, series("leadrouter_frames_total", "route", "notified"))
                + increase(before, after, series("leadrouter_frames_total", "route", "local"))).isGreaterThanOrEqualTo(2.0);

        for (String histogram : List.of("leadrouter_time_to_offer_seconds", "leadrouter_time_to_accept_seconds")) {
            assertThat(increase(before, after, histogram + "_count")).as(histogram).isGreaterThanOrEqualTo(1.0);
            assertThat(after.get(histogram + "_sum")).as(histogram).isPositive();
            assertThat(after).as(histogram).containsKeys(series(histogram + "_bucket", "le", "0.005"),
                    series(histogram + "_bucket", "le", "1.0"), series(histogram + "_bucket", "le", "60.0"),
                    series(histogram + "_bucket", "le", "+Inf"));
            assertThat(after.get(series(histogram + "_bucket", "le", "+Inf"))).isEqualTo(after.get(histogram + "_count"));
        }
    }

    @Test
    void aKnownTeamReportsZeroInsteadOfVanishingWhenItsQueueEmpties() {
        String team = Api.newTeam();
        Api.rep(team);
        // known (a rep of it), nobody connected, nothing waiting: its series are there, at 0
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(scrape())
                .containsEntry(series("leadrouter_queue_depth", "priority", "3", "team", team), 0.0)
                .containsEntry(series("leadrouter_queue_oldest_wait_seconds", "team", team), 0.0)
                .containsEntry(series("leadrouter_leads_held", "team", team), 0.0)
                .containsEntry(series("leadrouter_team_mode", "mode", "PUSH", "team", team), 1.0));
        String lead = Api.lead(team);
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(scrape())
                .containsEntry(series("leadrouter_queue_depth", "priority", "3", "team", team), 1.0));
        api().body(Map.of("outcome", "DISQUALIFIED")).post("/api/v1/leads/{id}/close", lead).then().statusCode(200);
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(scrape())
                .containsEntry(series("leadrouter_queue_depth", "priority", "3", "team", team), 0.0)
                .containsEntry(series("leadrouter_queue_oldest_wait_seconds", "team", team), 0.0));
    }

    @Test
    void aScrapeDoesNotWaitForTheDatabase() {
        // the gauges are the last sample's: a scrape answers from memory
        long started = System.nanoTime();
        Api.management(management).get("/q/metrics").then().statusCode(200);
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(2));
    }

    /** The series key as exported, labels in name order: {@code name{a="1",b="x"}}. */
    private static String series(String name, Object... labels) {
        StringBuilder key = new StringBuilder(name).append('{');
        for (int i = 0; i < labels.length; i += 2) {
            key.append(i == 0 ? "" : ",").append(labels[i]).append("=\"").append(labels[i + 1]).append('"');
        }
        return key.append('}').toString();
    }

    private static double increase(Map<String, Double> before, Map<String, Double> after, String series) {
        assertThat(after).containsKey(series);
        return after.get(series) - before.getOrDefault(series, 0.0);
    }

    /** Every sample of the Prometheus text exposition, by series. */
    private Map<String, Double> scrape() {
        String text = Api.management(management).get("/q/metrics").then().statusCode(200).extract().asString();
        Map<String, Double> samples = new HashMap<>();
        for (String line : text.split("\n")) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            int split = line.lastIndexOf(' ');
            // the 0.0.4 text format may close labels with ",}"
            samples.put(line.substring(0, split).replace(",}", "}"), Double.parseDouble(line.substring(split + 1)));
        }
        return samples;
    }
}

package io.leadrouter.lifecycle;

import static io.leadrouter.support.Api.api;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.leadrouter.support.AgentClient;
import io.leadrouter.support.Api;
import io.leadrouter.support.Database;
import io.leadrouter.support.SocketTest;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;

/** Push offers, accept, decline, close and the decision trace, over real sockets. */
@QuarkusTest
class OfferFlowTest extends SocketTest {

    static final Duration NONE_WITHIN = Duration.ofMillis(1500);

    @Test
    void aNewLeadIsOfferedToTheBestEligibleRepAndAcceptAssignsIt() {
        String team = Api.newTeam();
        String expert = Api.rep(team, "skills", Map.of("saas", 4), "languages", List.of("de"), "territories", List.of("DE"));
        String novice = Api.rep(team, "skills", Map.of("saas", 1));
        String wrongLanguage = Api.rep(team, "skills", Map.of("saas", 5), "languages", List.of("fr"));
        try (AgentClient a = online(expert); AgentClient b = online(novice); AgentClient c = online(wrongLanguage)) {
            String lead = Api.lead(team, "requiredSkills", Map.of("saas", 3), "language", "de", "country", "DE");
            JsonNode offer = a.await("offer");
            assertThat(offer.path("lead").path("id").asText()).isEqualTo(lead);
            assertThat(Instant.parse(offer.path("expiresAt").asText())).isAfter(Instant.now());
            // why it was routed here: the rep's own score and components, out of how many
            assertThat(offer.path("why").path("eligible").asInt()).isEqualTo(1);
            assertThat(offer.path("why").path("candidates").asInt()).isEqualTo(3);
            assertThat(offer.path("why").path("components").path("skill").asDouble()).isEqualTo(0.8);
            assertThat(offer.path("why").path("score").isNumber()).isTrue();
            assertThat(b.receives("offer", f -> true, NONE_WITHIN)).isFalse();
            assertThat(c.receives("offer", f -> true, Duration.ZERO)).isFalse();
            assertThat(Api.getLead(lead).getString("status")).isEqualTo("OFFERED");

            a.send(Map.of("type", "accept", "offerId", offer.path("offerId").asText()));
            JsonNode assigned = a.await("assigned");
            assertThat(assigned.path("lead").path("status").asText()).isEqualTo("ASSIGNED");
            assertThat(assigned.path("lead").path("ownerRepId").asText()).isEqualTo(expert);
            JsonPath stored = Api.getLead(lead);
            assertThat(stored.getString("ownerRepId")).isEqualTo(expert);
            assertThat(stored.getInt("attempts")).isEqualTo(1);
            assertThat(stored.getString("assignedAt")).isNotNull();
            assertThat(Api.getRep(expert).getInt("activeLoad")).isEqualTo(1);

            List<Map<String, Object>> decisions = api().get("/api/v1/leads/{id}/decisions", lead).then().statusCode(200)
                    .extract().path("");
            assertThat(decisions).hasSize(1);
            JsonPath trace = api().get("/api/v1/leads/{id}/decisions", lead).then().extract().jsonPath();
            assertThat(trace.getString("[0].kind")).isEqualTo("OFFER");
            assertThat(trace.getString("[0].mode")).isEqualTo("PUSH");
            assertThat(trace.getString("[0].chosenRepId")).isEqualTo(expert);
            assertThat(trace.getString("[0].offerId")).isEqualTo(offer.path("offerId").asText());
            assertThat(trace.getString("[0].candidates.find { it.repId == '" + novice + "' }.exclusion")).isEqualTo("MISSING_SKILL");
            assertThat(trace.getString("[0].candidates.find { it.repId == '" + wrongLanguage + "' }.exclusion")).isEqualTo("LANGUAGE");
            assertThat(trace.getBoolean("[0].candidates.find { it.repId == '" + expert + "' }.eligible")).isTrue();
            assertThat(trace.getMap("[0].candidates.find { it.repId == '" + expert + "' }.components")).containsKeys("headroom", "idle");
        }
    }

    @Test
    void aRepBecomingAvailableGetsTheWaitingLead() {
        String team = Api.newTeam();
        String rep = Api.rep(team);
        try (AgentClient a = online(rep)) {
            a.send(Map.of("type", "status", "status", "BUSY"));
            a.await("status");
            String lead = Api.lead(team);
            assertThat(a.receives("offer", f -> true, NONE_WITHIN)).as("nothing is pushed to a BUSY rep").isFalse();
            a.send(Map.of("type", "status", "status", "AVAILABLE"));
            assertThat(a.await("offer").path("lead").path("id").asText()).isEqualTo(lead);
        }
    }

    @Test
    void declineReoffersAtOnceToTheNextRepAndNeverBackToTheDecliner() {
        String team = Api.newTeam();
        String first = Api.rep(team);
        String second = Api.rep(team);
        try (AgentClient a = online(first); AgentClient b = online(second)) {
            String lead = Api.lead(team);
            JsonNode offer = awaitAnyOffer(List.of(a, b));
            AgentClient offered = a.all("offer").isEmpty() ? b : a;
            AgentClient other = offered == a ? b : a;
            String decliner = offered == a ? first : second;
            offered.send(Map.of("type", "decline", "offerId", offer.path("offerId").asText(), "reason", "wrong region"));
            assertThat(offered.await("offer-withdrawn").path("offerId").asText()).isEqualTo(offer.path("offerId").asText());
            JsonNode second_offer = other.await("offer", Duration.ofSeconds(5));
            assertThat(second_offer.path("lead").path("id").asText()).isEqualTo(lead);
            assertThat(second_offer.path("lead").path("attempts").asInt()).isEqualTo(2);
            // the other rep declines too: nobody is left, the decliner is never asked again
            other.send(Map.of("type", "decline", "offerId", second_offer.path("offerId").asText()));
            assertThat(offered.receives("offer", f -> true, NONE_WITHIN)).isFalse();
            // nobody in the team qualifies any more: the holding pool, with a reason and an event
            JsonPath stored = Api.getLead(lead);
            assertThat(stored.getString("status")).isEqualTo("HELD");
            assertThat(stored.getString("holdReason")).isEqualTo("NO_QUALIFIED_REP");
            api().queryParam("lead", lead).get("/api/v1/events").then().statusCode(200)
                    .body("kind", org.hamcrest.Matchers.contains("HELD")).body("[0].reason", equalTo("NO_QUALIFIED_REP"));
            JsonPath trace = api().get("/api/v1/leads/{id}/decisions", lead).then().extract().jsonPath();
            assertThat(trace.getString("[2].kind")).isEqualTo("HELD");
            assertThat(trace.getString("[2].reason")).isEqualTo("NO_QUALIFIED_REP");
            assertThat(trace.getString("[2].candidates.find { it.repId == '" + decliner + "' }.exclusion"))
                    .isEqualTo("DECLINED_BEFORE");
            assertThat(new Database(pool).rows("SELECT decline_reason FROM offer WHERE id = $1::uuid",
                    offer.path("offerId").asText()).get(0).getString(0)).isEqualTo("wrong region");
        }
    }

    @Test
    void aRepWhoWentAwayAndDeclinesIsNotToldItMissedTheOffer() {
        String team = Api.newTeam();
        try (AgentClient a = online(Api.rep(team))) {
            Api.lead(team);
            JsonNode offer = a.await("offer");
            a.send(Map.of("type", "status", "status", "AWAY"));
            assertThat(a.await("status").path("status").asText()).isEqualTo("AWAY");
            a.send(Map.of("type", "decline", "offerId", offer.path("offerId").asText()));
            a.await("offer-withdrawn");
            assertThat(a.receives("status", f -> f.path("reason").asText().equals("MISSED_OFFER"), NONE_WITHIN)).isFalse();
        }
    }

    @Test
    void acceptOfAnotherRepsOfferIsNotYoursAndAfterExpiryIsExpired() {
        String team = Api.newTeam();
        String owner = Api.rep(team);
        String stranger = Api.rep(Api.newTeam());
        try (AgentClient a = online(owner); AgentClient s = online(stranger)) {
            Api.lead(team);
            JsonNode offer = a.await("offer");
            String offerId = offer.path("offerId").asText();
            s.send(Map.of("type", "accept", "offerId", offerId));
            assertThat(s.await("error").path("code").asText()).isEqualTo("NOT_YOURS");
            // let it expire (3 s in tests)
            assertThat(a.await("offer-withdrawn", Duration.ofSeconds(8)).path("reason").asText()).isEqualTo("EXPIRED");
            a.send(Map.of("type", "accept", "offerId", offerId));
            assertThat(a.await("error").path("code").asText()).isEqualTo("OFFER_EXPIRED");
            a.send(Map.of("type", "decline", "offerId", offerId));
            assertThat(a.await("error").path("code").asText()).isEqualTo("OFFER_EXPIRED");
        }
    }

    @Test
    void anUnansweredOfferExpiresTheRepGoesAwayAndTheLeadGoesToAnotherRepNeverBack() {
        String team = Api.newTeam();
        String sleeper = Api.rep(team);
        try (AgentClient s = online(sleeper)) {
            String lead = Api.lead(team);
            JsonNode offer = s.await("offer");
            JsonNode withdrawn = s.await("offer-withdrawn", Duration.ofSeconds(8));
            assertThat(withdrawn.path("offerId").asText()).isEqualTo(offer.path("offerId").asText());
            assertThat(withdrawn.path("reason").asText()).isEqualTo("EXPIRED");
            JsonNode status = s.await("status");
            assertThat(status.path("status").asText()).isEqualTo("AWAY");
            assertThat(status.path("reason").asText()).isEqualTo("MISSED_OFFER");
            assertThat(Api.getRep(sleeper).getString("presence")).isEqualTo("AWAY");
            // the only rep of the team missed it: requeued, the drain finds nobody qualifies, so it
            // waits in the holding pool (the drain runs after the frames are sent) ...
            await().atMost(Duration.ofSeconds(5)).until(() -> "HELD".equals(Api.getLead(lead).getString("status")));
            JsonPath requeued = Api.getLead(lead);
            assertThat(requeued.getInt("attempts")).isEqualTo(1);
            assertThat(new Database(pool).rows("""
                    SELECT resolved_at - expires_at < interval '2 seconds' FROM offer WHERE id = $1::uuid
                    """, offer.path("offerId").asText()).get(0).getBoolean(0)).as("requeued promptly after the deadline").isTrue();

            // ... until a new rep joins the team, which puts it back in the queue
            String fresh = Api.rep(team);
            assertThat(Api.getLead(lead).getString("status")).isIn("QUEUED", "OFFERED");
            try (AgentClient f = online(fresh)) {
                JsonNode reoffer = f.await("offer", Duration.ofSeconds(5));
                assertThat(reoffer.path("lead").path("id").asText()).isEqualTo(lead);
                assertThat(reoffer.path("lead").path("attempts").asInt()).isEqualTo(2);
                f.send(Map.of("type", "decline", "offerId", reoffer.path("offerId").asText()));
                f.await("offer-withdrawn");
                // the sleeper comes back: the lead it missed is never offered to it again
                s.send(Map.of("type", "status", "status", "AVAILABLE"));
                assertThat(s.receives("offer", o -> o.path("lead").path("id").asText().equals(lead), NONE_WITHIN)).isFalse();
                JsonPath trace = api().get("/api/v1/leads/{id}/decisions", lead).then().extract().jsonPath();
                assertThat(trace.getList("candidates.exclusion.flatten()")).contains("MISSED_BEFORE");
            }
        }
    }

    @Test
    void afterTheMaximumAttemptsTheLeadIsHeldWithAReason() {
        String team = Api.newTeam();
        List<String> reps = List.of(Api.rep(team), Api.rep(team), Api.rep(team), Api.rep(team), Api.rep(team));
        List<AgentClient> agents = reps.stream().map(this::online).toList();
        try {
            String lead = Api.lead(team);
            for (int attempt = 1; attempt <= 5; attempt++) {
                JsonNode offer = awaitAnyOffer(agents);
                assertThat(offer.path("lead").path("attempts").asInt()).isEqualTo(attempt);
                for (AgentClient agent : agents) {
                    agent.send(Map.of("type", "decline", "offerId", offer.path("offerId").asText()));
                }
            }
            await().atMost(Duration.ofSeconds(5)).until(() -> "HELD".equals(Api.getLead(lead).getString("status")));
            JsonPath held = Api.getLead(lead);
            assertThat(held.getString("holdReason")).isEqualTo("MAX_ATTEMPTS");
            assertThat(held.getInt("attempts")).isEqualTo(5);
            api().queryParam("team", team).get("/api/v1/queue").then().body("held", equalTo(1)).body("depth", equalTo(0));
            // managers are told, as for any lead put in the holding pool
            api().queryParam("lead", lead).get("/api/v1/events").then().statusCode(200)
                    .body("kind", equalTo(List.of("HELD")))
                    .body("[0].reason", org.hamcrest.Matchers.startsWith("MAX_ATTEMPTS"));
        } finally {
            agents.forEach(AgentClient::close);
        }
    }

    private static JsonNode awaitAnyOffer(List<AgentClient> agents) {
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (System.nanoTime() < deadline) {
            for (AgentClient agent : agents) {
                if (agent.receives("offer", f -> true, Duration.ofMillis(50))) {
                    List<JsonNode> offers = agent.all("offer");
                    return offers.get(offers.size() - 1);
                }
            }
        }
        throw new AssertionError("no offer reached any rep");
    }

    @Test
    void closeFreesCapacityAndDrainsTheBacklogInPriorityOrder() {
        String team = Api.newTeam();
        String rep = Api.rep(team);
        try (AgentClient a = online(rep)) {
            String first = Api.lead(team, "score", 10);
            JsonNode offer = a.await("offer");
            assertThat(offer.path("lead").path("id").asText()).isEqualTo(first);
            a.send(Map.of("type", "accept", "offerId", offer.path("offerId").asText()));
            a.await("assigned");
            // the rep is full (maxLoad 1): these wait, best priority first when capacity frees
            // (two, so the team stays below the PULL threshold of three queued per free point)
            String low = Api.lead(team, "score", 0);
            String high = Api.lead(team, "score", 100);
            assertThat(a.receives("offer", f -> true, NONE_WITHIN)).isFalse();
            api().queryParam("team", team).get("/api/v1/queue").then().statusCode(200)
                    .body("depth", equalTo(2)).body("byPriority.5", equalTo(1)).body("byPriority.1", equalTo(1))
                    .body("availableReps", equalTo(1)).body("mode", equalTo("PUSH"));

            a.send(Map.of("type", "close", "leadId", first, "outcome", "CONVERTED"));
            assertThat(a.await("closed").path("lead").path("outcome").asText()).isEqualTo("CONVERTED");
            assertThat(Api.getLead(first).getString("status")).isEqualTo("CLOSED");
            for (String expected : List.of(high, low)) {
                JsonNode next = a.await("offer");
                assertThat(next.path("lead").path("id").asText()).isEqualTo(expected);
                a.send(Map.of("type", "accept", "offerId", next.path("offerId").asText()));
                JsonNode assigned = a.await("assigned");
                // the CRM closes this one over REST: capacity frees the same way
                api().body(Map.of("outcome", "CONTACTED")).post("/api/v1/leads/{id}/close", assigned.path("lead").path("id").asText())
                        .then().statusCode(200).body("status", equalTo("CLOSED"));
            }
            assertThat(Api.getRep(rep).getInt("activeLoad")).isZero();
        }
    }

    @Test
    void aLeadBehindMoreThanAPageOfLeadsNobodyCanTakeIsStillOffered() {
        String team = Api.newTeam();
        // 121 waiting over 50 free points keeps the team in PUSH
        try (AgentClient a = online(Api.rep(team, "maxLoad", 50))) {
            List<Map<String, Object>> unmatchable = new java.util.ArrayList<>();
            for (int i = 0; i < 120; i++) {
                unmatchable.add(Map.of("company", "Skilled " + i, "team", team, "score", 100, "requiredSkills", Map.of("nuclear", 5)));
            }
            api().body(unmatchable).post("/api/v1/leads/batch").then().statusCode(200);
            String plain = Api.lead(team, "score", 0);
            assertThat(a.await("offer").path("lead").path("id").asText()).isEqualTo(plain);
        }
    }

    @Test
    void aRepClosesOnlyItsOwnAssignedLeads() {
        String team = Api.newTeam();
        String rep = Api.rep(team);
        String other = Api.rep(Api.newTeam());
        try (AgentClient a = online(rep); AgentClient o = online(other)) {
            String lead = Api.lead(team);
            JsonNode offer = a.await("offer");
            a.send(Map.of("type", "close", "leadId", lead, "outcome", "CONVERTED"));
            assertThat(a.await("error").path("code").asText()).isEqualTo("NOT_YOURS");
            a.send(Map.of("type", "accept", "offerId", offer.path("offerId").asText()));
            a.await("assigned");
            o.send(Map.of("type", "close", "leadId", lead, "outcome", "CONVERTED"));
            assertThat(o.await("error").path("code").asText()).isEqualTo("NOT_YOURS");
            assertThat(Api.getLead(lead).getString("status")).isEqualTo("ASSIGNED");
        }
    }

    /** A rep's close of its own lead runs as one statement; the closes it does not take get the locking close's answers. */
    @Test
    void aRepsCloseOfItsLeadIsRecordedOnceAndRepeatsAreAnswered() {
        String team = Api.newTeam();
        String rep = Api.rep(team);
        Database db = new Database(pool);
        try (AgentClient a = online(rep)) {
            String lead = Api.lead(team);
            a.send(Map.of("type", "accept", "offerId", a.await("offer").path("offerId").asText()));
            a.await("assigned");
            a.send(Map.of("type", "close", "leadId", lead, "outcome", "CONVERTED"));
            JsonNode closed = a.await("closed").path("lead");
            assertThat(closed.path("status").asText()).isEqualTo("CLOSED");
            assertThat(closed.path("outcome").asText()).isEqualTo("CONVERTED");
            assertThat(closed.path("ownerRepId").asText()).isEqualTo(rep);
            assertThat(Api.getRep(rep).getInt("activeLoad")).as("the load given back").isZero();

            a.send(Map.of("type", "close", "leadId", lead, "outcome", "CONVERTED"));
            assertThat(a.await("closed").path("lead").path("outcome").asText()).as("the same close again").isEqualTo("CONVERTED");
            a.send(Map.of("type", "close", "leadId", lead, "outcome", "DISQUALIFIED"));
            assertThat(a.await("error").path("code").asText()).isEqualTo("ALREADY_CLOSED");

            var events = db.rows("SELECT rep_id, team, cast(data AS text) AS data FROM lifecycle_event WHERE lead_id = $1 AND type = 'lead.closed'",
                    java.util.UUID.fromString(lead));
            assertThat(events).hasSize(1);
            assertThat(events.get(0).getString("rep_id")).isEqualTo(rep);
            assertThat(events.get(0).getString("team")).isEqualTo(team);
            assertThat(events.get(0).getString("data")).contains("\"from\": \"ASSIGNED\"", "\"closedBy\": \"rep\"",
                    "\"outcome\": \"CONVERTED\"").doesNotContain("cancelledOfferId");
            assertThat(Api.getRep(rep).getInt("activeLoad")).as("given back once").isZero();
        }
    }

    @Test
    void theCrmClosingAnOfferedLeadWithdrawsTheOffer() {
        String team = Api.newTeam();
        String rep = Api.rep(team);
        try (AgentClient a = online(rep)) {
            String lead = Api.lead(team);
            JsonNode offer = a.await("offer");
            api().body(Map.of("outcome", "DISQUALIFIED")).post("/api/v1/leads/{id}/close", lead).then().statusCode(200);
            JsonNode withdrawn = a.await("offer-withdrawn");
            assertThat(withdrawn.path("offerId").asText()).isEqualTo(offer.path("offerId").asText());
            assertThat(withdrawn.path("reason").asText()).isEqualTo("CANCELLED");
            assertThat(Api.getRep(rep).getInt("activeLoad")).isZero();
        }
    }

    @Test
    void aReconnectingRepFindsItsPendingOfferAndLeadsInWelcome() {
        String team = Api.newTeam();
        String rep = Api.rep(team, "maxLoad", 2);
        String token = Api.token(rep);
        String assignedLead;
        String pendingOffer;
        try (AgentClient a = AgentClient.connect(root, token)) {
            a.await("welcome");
            assignedLead = Api.lead(team);
            JsonNode offer = a.await("offer");
            a.send(Map.of("type", "accept", "offerId", offer.path("offerId").asText()));
            a.await("assigned");
            Api.lead(team);
            pendingOffer = a.await("offer").path("offerId").asText();
            a.abort();
        }
        try (AgentClient again = AgentClient.connect(root, token)) {
            JsonNode welcome = again.await("welcome");
            assertThat(welcome.path("activeLeads").get(0).path("id").asText()).isEqualTo(assignedLead);
            assertThat(welcome.path("pendingOffers").get(0).path("offerId").asText()).isEqualTo(pendingOffer);
            assertThat(welcome.path("pendingOffers").get(0).path("lead").path("status").asText()).isEqualTo("OFFERED");
            assertThat(welcome.path("pendingOffers").get(0).path("why").path("eligible").asInt()).isEqualTo(1);
        }
    }
}

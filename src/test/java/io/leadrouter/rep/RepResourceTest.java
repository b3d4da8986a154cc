package io.leadrouter.rep;

import static io.leadrouter.support.Api.api;
import static io.leadrouter.support.Api.obj;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.notNullValue;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.leadrouter.support.AgentClient;
import io.leadrouter.support.Api;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;

@QuarkusTest
class RepResourceTest {

    @TestHTTPResource("/")
    URI root;

    @Test
    void putStoresEveryFieldOfTheDocumentAndReturnsLiveState() {
        String team = Api.newTeam();
        String id = Api.newRepId();
        Map<String, Object> document = obj("name", "Ann Lee", "email", "ann@example.com", "team", team, "tier", 1,
                "skills", Map.of("saas", 4, "fintech", 2), "languages", List.of("en", "de"),
                "territories", List.of("US-CA", "DE"), "timezone", "Europe/Berlin",
                "workingHours", Map.of("mon", List.of(Map.of("start", "09:00", "end", "17:00"))),
                "outOfOffice", List.of(Map.of("from", "2026-12-24T00:00:00Z", "to", "2026-12-27T00:00:00Z")),
                "maxLoad", 3, "caps", Map.of("day", 10, "week", 40, "month", 150), "weight", 1.5, "active", true);
        api().body(document).put("/api/v1/reps/{id}", id).then().statusCode(201)
                .header("Location", org.hamcrest.Matchers.endsWith("/api/v1/reps/" + id));
        api().get("/api/v1/reps/{id}", id).then().statusCode(200)
                .body("id", equalTo(id)).body("name", equalTo("Ann Lee")).body("email", equalTo("ann@example.com"))
                .body("team", equalTo(team)).body("tier", equalTo(1))
                .body("skills.saas", equalTo(4)).body("languages", equalTo(List.of("en", "de")))
                .body("territories", equalTo(List.of("US-CA", "DE"))).body("timezone", equalTo("Europe/Berlin"))
                .body("workingHours.mon[0].start", equalTo("09:00"))
                .body("outOfOffice[0].to", equalTo("2026-12-27T00:00:00Z"))
                .body("maxLoad", equalTo(3)).body("caps.week", equalTo(40)).body("weight", equalTo(1.5f))
                .body("active", equalTo(true))
                .body("presence", equalTo("OFFLINE")).body("connected", equalTo(false)).body("activeLoad", equalTo(0))
                .body("capUsage.day", equalTo(0)).body("createdAt", notNullValue());
    }

    @Test
    void putIsIdempotentAndReplacesTheDocument() {
        String team = Api.newTeam();
        String id = Api.rep(team, "skills", Map.of("saas", 2));
        api().body(obj("team", team, "maxLoad", 2)).put("/api/v1/reps/{id}", id).then().statusCode(200)
                .body("maxLoad", equalTo(2)).body("skills", equalTo(null));
        api().body(obj("team", team, "maxLoad", 2)).put("/api/v1/reps/{id}", id).then().statusCode(200);
        api().queryParam("team", team).get("/api/v1/reps").then().statusCode(200).body("id", equalTo(List.of(id)));
    }

    @Test
    void absentFieldsDefault() {
        String id = Api.newRepId();
        api().body("{}").put("/api/v1/reps/{id}", id).then().statusCode(201)
                .body("team", equalTo("default")).body("maxLoad", equalTo(1)).body("weight", equalTo(1.0f))
                .body("active", equalTo(true));
    }

    @Test
    void deleteDeactivatesKeepsHistoryAndClosesTheRepsSockets() {
        String team = Api.newTeam();
        String id = Api.rep(team);
        try (AgentClient agent = AgentClient.connect(root, Api.token(id))) {
            agent.await("welcome");
            api().delete("/api/v1/reps/{id}", id).then().statusCode(204);
            assertThat(agent.awaitClose(Duration.ofSeconds(5))).isEqualTo(4403);
        }
        api().get("/api/v1/reps/{id}", id).then().statusCode(200)
                .body("active", equalTo(false)).body("presence", equalTo("OFFLINE"));
        api().queryParam("team", team).get("/api/v1/reps").then().body("id", hasItem(id));
        api().post("/api/v1/reps/{id}/tokens", id).then().statusCode(409).body("code", equalTo("REP_INACTIVE"));
        api().delete("/api/v1/reps/{id}", "nobody-" + id).then().statusCode(404).body("code", equalTo("NOT_FOUND"));
    }

    @Test
    void tokensAreIssuedForExistingActiveReps() {
        String id = Api.rep(Api.newTeam());
        api().post("/api/v1/reps/{id}/tokens", id).then().statusCode(201)
                .body("repId", equalTo(id)).body("token", notNullValue()).body("expiresAt", notNullValue());
        api().post("/api/v1/reps/{id}/tokens", "nobody").then().statusCode(404);
        api().get("/api/v1/reps/{id}", "nobody").then().statusCode(404).contentType("application/problem+json");
    }
}

package io.leadrouter.lead;

import static io.leadrouter.support.Api.api;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.lessThan;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;

import java.util.stream.Stream;

import jakarta.inject.Inject;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import io.leadrouter.support.Database;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ValidatableResponse;
import io.vertx.mutiny.sqlclient.Pool;

/** Invariant 6: bad input gets a 4xx with a precise problem body, never a 500, and changes nothing. */
@QuarkusTest
class BadInputTest {

    @Inject
    Pool pool;

    static Stream<Arguments> badLeads() {
        return Stream.of(
                Arguments.of("malformed JSON", "{\"name\": ", 400, "MALFORMED_JSON", null),
                Arguments.of("not an object", "[1, 2]", 400, "MALFORMED_JSON", null),
                Arguments.of("empty object: nobody named", "{}", 400, "VALIDATION_FAILED", "name"),
                Arguments.of("blank names", "{\"name\": \" \", \"company\": \"\"}", 400, "VALIDATION_FAILED", "name"),
                Arguments.of("wrong type for value", "{\"name\": \"a\", \"value\": \"lots\"}", 400, "INVALID_FIELD", "value"),
                Arguments.of("number as text", "{\"name\": 42}", 400, "INVALID_FIELD", "name"),
                Arguments.of("score out of range", "{\"name\": \"a\", \"score\": 101}", 400, "VALIDATION_FAILED", "score"),
                Arguments.of("fractional score", "{\"name\": \"a\", \"score\": 5.5}", 400, "INVALID_FIELD", "score"),
                Arguments.of("negative value", "{\"name\": \"a\", \"value\": -1}", 400, "VALIDATION_FAILED", "value"),
                Arguments.of("bad email", "{\"email\": \"nope\"}", 400, "VALIDATION_FAILED", "email"),
                Arguments.of("unknown country", "{\"name\": \"a\", \"country\": \"XX\"}", 400, "VALIDATION_FAILED", "country"),
                Arguments.of("lower-case country", "{\"name\": \"a\", \"country\": \"us\"}", 400, "VALIDATION_FAILED", "country"),
                Arguments.of("unknown language", "{\"name\": \"a\", \"language\": \"english\"}", 400, "VALIDATION_FAILED", "language"),
                Arguments.of("skill level 6", "{\"name\": \"a\", \"requiredSkills\": {\"saas\": 6}}", 400, "VALIDATION_FAILED", "requiredSkills[saas]"),
                Arguments.of("skill level text", "{\"name\": \"a\", \"requiredSkills\": {\"saas\": \"high\"}}", 400, "INVALID_FIELD", "requiredSkills.saas"),
                Arguments.of("attributes not an object", "{\"name\": \"a\", \"attributes\": [1]}", 400, "INVALID_FIELD", "attributes"),
                Arguments.of("unknown field", "{\"name\": \"a\", \"nmae\": \"b\"}", 400, "UNKNOWN_FIELD", "nmae"),
                Arguments.of("server-owned status", "{\"name\": \"a\", \"status\": \"ASSIGNED\"}", 400, "READ_ONLY_FIELD", "status"),
                Arguments.of("server-owned owner", "{\"name\": \"a\", \"ownerRepId\": \"x\"}", 400, "READ_ONLY_FIELD", "ownerRepId"),
                Arguments.of("server-owned priority", "{\"name\": \"a\", \"priority\": 5}", 400, "READ_ONLY_FIELD", "priority"),
                Arguments.of("server-owned attempts", "{\"name\": \"a\", \"attempts\": 0}", 400, "READ_ONLY_FIELD", "attempts"),
                Arguments.of("team with spaces", "{\"name\": \"a\", \"team\": \"my team\"}", 400, "VALIDATION_FAILED", "team"),
                Arguments.of("very long name", "{\"name\": \"" + "x".repeat(300) + "\"}", 400, "VALIDATION_FAILED", "name"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badLeads")
    void badLeadIsRefusedPreciselyAndNothingIsWritten(String why, String body, int status, String code, String field) {
        Database db = new Database(pool);
        long before = db.count("SELECT count(*) FROM lead");
        ValidatableResponse response = api().body(body).post("/api/v1/leads").then()
                .statusCode(status).contentType("application/problem+json").body("code", equalTo(code))
                .body("status", equalTo(status));
        if (field != null) {
            response.body("errors.field", hasItem(field));
        }
        assertThat(db.count("SELECT count(*) FROM lead")).isEqualTo(before);
    }

    static Stream<Arguments> badRequests() {
        String rep = "/api/v1/reps/rep-bad-input";
        return Stream.of(
                Arguments.of("PUT", rep, "{\"maxLoad\": -1}", "VALIDATION_FAILED"),
                Arguments.of("PUT", rep, "{\"skills\": {\"java\": 0}}", "VALIDATION_FAILED"),
                Arguments.of("PUT", rep, "{\"languages\": [\"xx\"]}", "VALIDATION_FAILED"),
                Arguments.of("PUT", rep, "{\"territories\": [\"usa\"]}", "VALIDATION_FAILED"),
                Arguments.of("PUT", rep, "{\"timezone\": \"Mars/Olympus\"}", "VALIDATION_FAILED"),
                Arguments.of("PUT", rep, "{\"workingHours\": {\"monday\": []}}", "VALIDATION_FAILED"),
                Arguments.of("PUT", rep, "{\"workingHours\": {\"mon\": [{\"start\": \"17:00\", \"end\": \"09:00\"}]}}", "VALIDATION_FAILED"),
                Arguments.of("PUT", rep, "{\"outOfOffice\": [{\"from\": \"2026-01-02T00:00:00Z\", \"to\": \"2026-01-01T00:00:00Z\"}]}", "VALIDATION_FAILED"),
                Arguments.of("PUT", rep, "{\"outOfOffice\": [{\"from\": \"yesterday\"}]}", "INVALID_FIELD"),
                Arguments.of("PUT", rep, "{\"caps\": {\"day\": -3}}", "VALIDATION_FAILED"),
                Arguments.of("PUT", rep, "{\"weight\": 0}", "VALIDATION_FAILED"),
                Arguments.of("PUT", rep, "{\"active\": \"yes\"}", "INVALID_FIELD"),
                Arguments.of("PUT", rep, "{\"presence\": \"AVAILABLE\"}", "READ_ONLY_FIELD"),
                Arguments.of("PUT", rep, "", "VALIDATION_FAILED"),
                Arguments.of("PUT", "/api/v1/reps/bad%20id", "{}", "VALIDATION_FAILED"),
                Arguments.of("POST", "/api/v1/leads/00000000-0000-0000-0000-000000000000/close", "{\"outcome\": \"WON\"}", "INVALID_FIELD"),
                Arguments.of("POST", "/api/v1/leads/00000000-0000-0000-0000-000000000000/close", "{}", "VALIDATION_FAILED"),
                Arguments.of("POST", "/api/v1/leads/not-a-uuid/close", "{\"outcome\": \"CONVERTED\"}", "NOT_FOUND"),
                Arguments.of("GET", "/api/v1/leads?limit=0", null, "VALIDATION_FAILED"),
                Arguments.of("GET", "/api/v1/leads?status=WON", null, "VALIDATION_FAILED"),
                Arguments.of("GET", "/api/v1/leads?limit=ten", null, "NOT_FOUND"),
                Arguments.of("GET", "/api/v1/leads?limit=5000", null, "VALIDATION_FAILED"),
                Arguments.of("POST", "/api/v1/leads/batch", "{\"name\": \"a\"}", "INVALID_BATCH"),
                Arguments.of("POST", "/api/v1/leads/batch", "[{\"name\": ", "MALFORMED_JSON"),
                Arguments.of("DELETE", "/api/v1/leads/00000000-0000-0000-0000-000000000000", null, "METHOD_NOT_ALLOWED"));
    }

    @org.junit.jupiter.api.Test
    void parameterErrorsNameTheParameter() {
        api().get("/api/v1/leads?limit=0").then().statusCode(400).body("errors[0].field", equalTo("limit"));
        api().header("Idempotency-Key", "has spaces in it").body("{\"name\": \"a\"}").post("/api/v1/leads")
                .then().statusCode(400).body("errors[0].field", equalTo("key"));
    }

    @io.quarkus.test.common.http.TestHTTPResource("/api/v1/leads")
    java.net.URI leads;

    @org.junit.jupiter.api.Test
    void anOversizedBodyIsRefusedWithoutWriting() throws Exception {
        Database db = new Database(pool);
        long before = db.count("SELECT count(*) FROM lead");
        String huge = "{\"name\": \"" + "x".repeat(5 * 1024 * 1024) + "\"}";
        // Expect: 100-continue lets the server refuse on the declared length before the body is sent
        var request = java.net.http.HttpRequest.newBuilder(leads).version(java.net.http.HttpClient.Version.HTTP_1_1).expectContinue(true)
                .header("Authorization", "Bearer " + io.leadrouter.support.Api.KEY).header("Content-Type", "application/json")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString(huge)).build();
        var response = java.net.http.HttpClient.newHttpClient().send(request, java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(413);
        assertThat(db.count("SELECT count(*) FROM lead")).isEqualTo(before);
    }

    @ParameterizedTest(name = "{0} {1} {2}")
    @MethodSource("badRequests")
    void badRequestIsAProblemAndWritesNothing(String method, String path, String body, String code) {
        Database db = new Database(pool);
        long before = db.count("SELECT (SELECT count(*) FROM lead) + (SELECT count(*) FROM rep WHERE id = 'rep-bad-input')");
        var request = api().urlEncodingEnabled(false);
        if (body != null) {
            request.body(body);
        }
        request.request(method, path).then()
                .statusCode(greaterThanOrEqualTo(400)).statusCode(lessThan(500))
                .contentType("application/problem+json").body("code", equalTo(code));
        assertThat(db.count("SELECT (SELECT count(*) FROM lead) + (SELECT count(*) FROM rep WHERE id = 'rep-bad-input')"))
                .isEqualTo(before);
    }
}

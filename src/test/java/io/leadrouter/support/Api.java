package io.leadrouter.support;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.specification.RequestSpecification;

/** The REST contract as a CRM or admin calls it, with the test API key. */
public final class Api {

    public static final String KEY = "test-key";

    private Api() {
    }

    /** A JSON object from key, value pairs (Map.of stops at ten). */
    public static Map<String, Object> obj(Object... pairs) {
        Map<String, Object> object = new java.util.LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            object.put((String) pairs[i], pairs[i + 1]);
        }
        return object;
    }

    public static RequestSpecification api() {
        return as(KEY);
    }

    /** The REST contract as the holder of this key (or token) calls it. */
    public static RequestSpecification as(String credential) {
        return given().header("Authorization", "Bearer " + credential).contentType(ContentType.JSON);
    }

    /**
     * Calls on the management interface (health, metrics), given what {@code @TestHTTPResource(value = "/", management = true)}
     * injects: its root path ({@code /q/}) included.
     */
    public static RequestSpecification management(java.net.URI managementRoot) {
        return given().baseUri(managementRoot.resolve("/").toString());
    }

    /** A new API key with these roles (made with the bootstrap admin key); its secret. */
    public static String key(String... roles) {
        return api().body(Map.of("name", "test " + String.join("+", roles), "roles", java.util.List.of(roles)))
                .post("/api/v1/keys").then().statusCode(201).extract().path("key");
    }

    /** A team of its own for each test, so tests running on one service do not see each other's leads. */
    public static String newTeam() {
        return "t-" + UUID.randomUUID().toString().substring(0, 8);
    }

    public static String newRepId() {
        return "rep-" + UUID.randomUUID().toString().substring(0, 8);
    }

    /** Creates a rep in the team with the given extra document fields (maxLoad 1 unless given). */
    public static String rep(String team, Object... fields) {
        String id = newRepId();
        Map<String, Object> document = new HashMap<>(Map.of("name", id, "team", team));
        for (int i = 0; i < fields.length; i += 2) {
            document.put((String) fields[i], fields[i + 1]);
        }
        api().body(document).put("/api/v1/reps/{id}", id).then().statusCode(201);
        return id;
    }

    public static String token(String repId) {
        return api().post("/api/v1/reps/{id}/tokens", repId).then().statusCode(201).extract().path("token");
    }

    /** Posts a lead to the team and returns its id. */
    public static String lead(String team, Object... fields) {
        Map<String, Object> lead = new HashMap<>(Map.of("company", "Acme " + UUID.randomUUID(), "team", team));
        for (int i = 0; i < fields.length; i += 2) {
            lead.put((String) fields[i], fields[i + 1]);
        }
        return api().body(lead).post("/api/v1/leads").then().statusCode(201).extract().path("id");
    }

    /**
     * Waits until the matcher's attempt to route each lead found nobody (its NO_MATCH decision): until then the
     * attempt may hold the lead locked, and a pull skips a locked lead.
     */
    public static void awaitNoMatch(String... leads) {
        for (String lead : leads) {
            await().atMost(Duration.ofSeconds(10)).until(() -> api().get("/api/v1/leads/{id}/decisions", lead).then()
                    .statusCode(200).extract().jsonPath().getList("kind").contains("NO_MATCH"));
        }
    }

    public static JsonPath getLead(String id) {
        return api().get("/api/v1/leads/{id}", id).then().statusCode(200).extract().jsonPath();
    }

    public static JsonPath getRep(String id) {
        return api().get("/api/v1/reps/{id}", id).then().statusCode(200).extract().jsonPath();
    }
}

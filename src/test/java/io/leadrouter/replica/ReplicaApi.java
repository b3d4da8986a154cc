package io.leadrouter.replica;

import static io.restassured.RestAssured.given;

import java.net.URI;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.leadrouter.support.Api;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.specification.RequestSpecification;

/** The REST contract of one replica, called with the cluster's API key. */
final class ReplicaApi {

    private final URI root;

    ReplicaApi(URI root) {
        this.root = root;
    }

    RequestSpecification request() {
        return as(ReplicaCluster.API_KEY);
    }

    /** A call with another credential than the cluster's bootstrap key. */
    RequestSpecification as(String credential) {
        return given().baseUri(root.toString()).header("Authorization", "Bearer " + credential).contentType(ContentType.JSON);
    }

    /** Creates a rep in the team with the given extra document fields. */
    String rep(String team, Object... fields) {
        String id = Api.newRepId();
        Map<String, Object> document = new HashMap<>(Map.of("name", id, "team", team));
        document.putAll(Api.obj(fields));
        request().body(document).put("/api/v1/reps/{id}", id).then().statusCode(201);
        return id;
    }

    String token(String repId) {
        return request().post("/api/v1/reps/{id}/tokens", repId).then().statusCode(201).extract().path("token");
    }

    /** Posts a lead to the team and returns its id. */
    String lead(String team) {
        return request().body(Map.of("company", "Acme " + UUID.randomUUID(), "team", team))
                .post("/api/v1/leads").then().statusCode(201).extract().path("id");
    }

    JsonPath getLead(String id) {
        return request().get("/api/v1/leads/{id}", id).then().statusCode(200).extract().jsonPath();
    }

    JsonPath getRep(String id) {
        return request().get("/api/v1/reps/{id}", id).then().statusCode(200).extract().jsonPath();
    }

    /** The rep the lead's latest offer went to, or null before its first offer. */
    String lastOfferedTo(String leadId) {
        List<String> offeredTo = request().get("/api/v1/leads/{id}/decisions", leadId).then().statusCode(200)
                .extract().jsonPath().getList("findAll { it.kind == 'OFFER' }.chosenRepId");
        return offeredTo.isEmpty() ? null : offeredTo.get(offeredTo.size() - 1);
    }

    void putPolicy(Map<String, Object> policy) {
        request().body(policy).put("/api/v1/routing/policy").then().statusCode(200);
    }
}

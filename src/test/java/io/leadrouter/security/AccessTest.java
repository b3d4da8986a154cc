package io.leadrouter.security;

import static io.leadrouter.support.Api.api;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.leadrouter.support.Api;
import io.leadrouter.support.Database;
import io.leadrouter.support.Endpoints;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import io.vertx.mutiny.sqlclient.Pool;

/** Scoped API keys: each role calls what it may and is refused the rest; keys made, listed, revoked, stored hashed. */
@QuarkusTest
class AccessTest {

    /** The endpoints that take another body than JSON: a body of another type is a 415 before access is checked. */
    private static final Map<String, String> BODY_TYPES = Map.of("/api/v1/intake/salesforce", "text/xml",
            "/api/v1/leads/import", "text/csv");

    @Inject
    Pool pool;

    @Test
    void aKeyOfEachRoleIsAllowedWhereItMayAndRefusedWithForbiddenEverywhereElse() {
        Map<String, String> keys = Map.of("intake", Api.key("intake"), "read", Api.key("read"), "admin", Api.key("admin"));
        List<String> wrong = new ArrayList<>();
        Endpoints.ROLES.forEach((endpoint, roles) -> {
            if (endpoint.startsWith("WS ") || roles.contains(Endpoints.PUBLIC)) {
                return;
            }
            String verb = endpoint.substring(0, endpoint.indexOf(' '));
            String path = endpoint.substring(endpoint.indexOf(' ') + 1).replace("{id}", UUID.randomUUID().toString())
                    .replace("{repId}", "nobody-" + UUID.randomUUID()).replace("{name}", "no-such-source")
                    .replace("{kind}", "salesforce");
            keys.forEach((role, key) -> {
                // nothing is sent: an allowed call fails on its missing body or unknown id, never on access
                Response response = given().header("Authorization", "Bearer " + key)
                        .contentType(BODY_TYPES.getOrDefault(path, "application/json")).request(verb, path);
                boolean allowed = roles.contains(role) || role.equals("admin");
                int status = response.statusCode();
                // a 403 with another code is the operation's own refusal (NOT_YOUR_SESSION), not the role's
                if (allowed && (status == 401 || status == 403 && "FORBIDDEN".equals(response.jsonPath().getString("code")))) {
                    wrong.add(role + " refused " + status + ": " + endpoint);
                }
                if (!allowed && (status != 403 || !"FORBIDDEN".equals(response.jsonPath().getString("code"))
                        || !response.contentType().startsWith("application/problem+json"))) {
                    wrong.add(role + " not refused with 403 FORBIDDEN but " + status + ": " + endpoint);
                }
            });
        });
        assertThat(wrong).isEmpty();
    }

    @Test
    void aKeyIsShownOnceListedWithoutItAndRevokedAtOnce() {
        JsonPath created = api().body(Map.of("name", "web form", "roles", List.of("intake"))).post("/api/v1/keys").then()
                .statusCode(201).header("Location", startsWith("http")).body("name", equalTo("web form"))
                .body("roles", equalTo(List.of("intake"))).extract().jsonPath();
        String key = created.getString("key");
        String id = created.getString("id");
        assertThat(key).startsWith("lr_").hasSize(3 + 43);

        api().get("/api/v1/keys").then().statusCode(200).body("find { it.id == '" + id + "' }.lastUsedAt", nullValue())
                .body("find { it.id == '" + id + "' }.key", nullValue()).body("id", hasItem(id));
        String team = Api.newTeam();
        Api.as(key).body(Map.of("company", "Initech", "team", team)).post("/api/v1/leads").then().statusCode(201);
        api().get("/api/v1/keys").then().body("find { it.id == '" + id + "' }.lastUsedAt", not(nullValue()))
                .body("find { it.id == '" + id + "' }.createdAt", not(nullValue()));

        api().delete("/api/v1/keys/{id}", id).then().statusCode(204);
        Api.as(key).body(Map.of("company", "Initech", "team", team)).post("/api/v1/leads").then().statusCode(401)
                .body("code", equalTo("UNAUTHORIZED"));
        api().get("/api/v1/keys").then().body("id", not(hasItem(id)));
        api().delete("/api/v1/keys/{id}", id).then().statusCode(404).body("code", equalTo("NOT_FOUND"));
    }

    @Test
    void aKeyRevokedOnAnotherReplicaIsRefusedHereOnceItsNoticeArrives() {
        JsonPath created = api().body(Map.of("name", "crm", "roles", List.of("read"))).post("/api/v1/keys").then().statusCode(201)
                .extract().jsonPath();
        String key = created.getString("key");
        Api.as(key).get("/api/v1/queue").then().statusCode(200);
        // what DELETE /keys/{id} does on another replica: the row goes, and a notice tells every replica
        Database database = new Database(pool);
        database.rows("DELETE FROM api_key WHERE id = $1", UUID.fromString(created.getString("id")));
        database.rows("SELECT pg_notify('leadrouter_revocations', $1)", "API_KEY " + created.getString("id"));
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> Api.as(key).get("/api/v1/queue").then().statusCode(401));
    }

    @Test
    void onlyTheHashOfAKeyIsStoredAndTheKeyIsNowhereInTheDatabase() throws Exception {
        String key = Api.key("read");
        Database database = new Database(pool);
        byte[] hash = MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
        assertThat(database.count("SELECT count(*) FROM api_key WHERE hash = $1", io.vertx.core.buffer.Buffer.buffer(hash)))
                .isEqualTo(1);
        for (var table : database.rows("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")) {
            String name = table.getString(0);
            assertThat(database.count("SELECT count(*) FROM \"" + name + "\" t WHERE t::text LIKE $1", "%" + key.substring(3) + "%"))
                    .as("rows of %s holding the key", name).isZero();
        }
    }

    @Test
    void aKeyNeedsANameAndKnownRoles() {
        api().body(Map.of("name", "x", "roles", List.of("intake", "superuser"))).post("/api/v1/keys").then().statusCode(400)
                .body("code", equalTo("VALIDATION_FAILED")).body("errors.field", equalTo(List.of("roles[1]")));
        api().body(Map.of("name", "x", "roles", List.of())).post("/api/v1/keys").then().statusCode(400)
                .body("errors.field", equalTo(List.of("roles")));
        api().body(Map.of("roles", List.of("read"))).post("/api/v1/keys").then().statusCode(400)
                .body("errors.field", equalTo(List.of("name")));
    }

    @Test
    void theBootstrapKeysAreAdminsAndARepTokenIsNoKey() {
        for (String bootstrap : Set.of(Api.KEY, "second-test-key")) {
            Api.as(bootstrap).get("/api/v1/keys").then().statusCode(200);
        }
        String token = Api.token(Api.rep(Api.newTeam()));
        Api.as(token).get("/api/v1/queue").then().statusCode(403).body("code", equalTo("FORBIDDEN"));
        Api.as("lr_" + "x".repeat(43)).get("/api/v1/queue").then().statusCode(401);
    }
}

package io.leadrouter.webhook;

import static io.leadrouter.support.Api.api;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.leadrouter.support.Api;
import io.leadrouter.support.Database;
import io.leadrouter.support.Receiver;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.vertx.core.Vertx;
import io.vertx.mutiny.sqlclient.Pool;

/**
 * Webhooks against a real receiver on loopback (the test profile allows private targets and retries within a second
 * or two): signed as Standard Webhooks say, in order, retried, given up on, rotated and replayed.
 */
@QuarkusTest
class WebhookFlowTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Inject
    Vertx vertx;
    @Inject
    Pool pool;
    Receiver receiver;
    final List<String> created = new ArrayList<>();

    @BeforeEach
    void receive() {
        receiver = Receiver.start(vertx);
    }

    @AfterEach
    void remove() {
        created.forEach(id -> api().delete("/api/v1/webhooks/{id}", id));
        receiver.close();
    }

    private JsonPath webhook(List<String> types) {
        JsonPath webhook = api().body(Map.of("url", receiver.url("/hooks"), "types", types, "description", "test"))
                .post("/api/v1/webhooks").then().statusCode(201).extract().jsonPath();
        created.add(webhook.getString("id"));
        return webhook;
    }

    /** The deliveries of events of this team, in arrival order. */
    private List<JsonNode> bodies(String team) {
        return receiver.received().stream().map(r -> read(r.body())).filter(b -> team.equals(b.path("data").path("team").asText()))
                .toList();
    }

    private static JsonNode read(String body) {
        try {
            return JSON.readTree(body);
        } catch (Exception e) {
            throw new AssertionError(body, e);
        }
    }

    /** HMAC-SHA256 written out from RFC 2104 over SHA-256, independent of the service's javax.crypto use. */
    static String hmacSha256(byte[] key, String message) throws Exception {
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        byte[] block = new byte[64];
        byte[] k = key.length > 64 ? sha.digest(key) : key;
        System.arraycopy(k, 0, block, 0, k.length);
        byte[] inner = new byte[64];
        byte[] outer = new byte[64];
        for (int i = 0; i < 64; i++) {
            inner[i] = (byte) (block[i] ^ 0x36);
            outer[i] = (byte) (block[i] ^ 0x5c);
        }
        sha.reset();
        sha.update(inner);
        byte[] innerHash = sha.digest(message.getBytes(StandardCharsets.UTF_8));
        sha.reset();
        sha.update(outer);
        return Base64.getEncoder().encodeToString(sha.digest(innerHash));
    }

    static boolean verifies(Receiver.Request request, String secret) throws Exception {
        byte[] key = Base64.getDecoder().decode(secret.substring("whsec_".length()));
        String expected = "v1," + hmacSha256(key, request.header("webhook-id") + "." + request.header("webhook-timestamp") + "."
                + request.body());
        return List.of(request.header("webhook-signature").split(" ")).contains(expected);
    }

    @Test
    void subscribedEventsArriveSignedInOrderWithAStableId() throws Exception {
        JsonPath webhook = webhook(List.of("lead.created", "lead.closed"));
        String secret = webhook.getString("secret");
        assertThat(secret).startsWith("whsec_");
        assertThat(Base64.getDecoder().decode(secret.substring(6))).hasSizeGreaterThanOrEqualTo(24);
        api().get("/api/v1/webhooks/{id}", webhook.getString("id")).then().statusCode(200)
                .body("secret", org.hamcrest.Matchers.nullValue()).body("types", equalTo(List.of("lead.created", "lead.closed")));

        String team = Api.newTeam();
        String first = Api.lead(team);
        String second = Api.lead(team);
        api().body(Map.of("outcome", "DISQUALIFIED")).post("/api/v1/leads/{id}/close", first).then().statusCode(200);

        await().atMost(Duration.ofSeconds(10)).until(() -> bodies(team).size() == 3);
        List<JsonNode> bodies = bodies(team);
        assertThat(bodies).extracting(b -> b.path("type").asText()).containsExactly("lead.created", "lead.created", "lead.closed");
        assertThat(bodies).extracting(b -> b.path("data").path("leadId").asText()).containsExactly(first, second, first);
        assertThat(bodies.get(2).path("data").path("outcome").asText()).isEqualTo("DISQUALIFIED");
        assertThat(bodies.get(0).path("timestamp").asText()).isNotBlank();
        for (Receiver.Request request : receiver.received()) {
            assertThat(request.header("content-type")).startsWith("application/json");
            assertThat(Long.parseLong(request.header("webhook-timestamp"))).isCloseTo(System.currentTimeMillis() / 1000,
                    org.assertj.core.data.Offset.offset(60L));
            assertThat(request.header("webhook-id")).isEqualTo(read(request.body()).path("data").path("id").asText());
            assertThat(verifies(request, secret)).as("signature of %s", request.body()).isTrue();
            assertThat(verifies(request, WebhookSignature.newSecret())).isFalse();
        }
    }

    @Test
    void aReceiverAnswering500ThreeTimesGetsTheEventOnTheFourthAttemptAndTheLaterOnesAfterIt() {
        receiver.then(Receiver.Answer.status(500), Receiver.Answer.status(500), Receiver.Answer.status(500));
        String id = webhook(List.of("lead.created")).getString("id");
        String team = Api.newTeam();
        String first = Api.lead(team);
        String second = Api.lead(team);

        await().atMost(Duration.ofSeconds(15)).until(() -> bodies(team).stream().filter(b -> b.path("data").path("leadId").asText()
                .equals(second)).count() == 1);
        List<String> order = bodies(team).stream().map(b -> b.path("data").path("leadId").asText()).toList();
        assertThat(order).containsExactly(first, first, first, first, second);
        JsonPath deliveries = api().get("/api/v1/webhooks/{id}/deliveries", id).then().statusCode(200).extract().jsonPath();
        assertThat(deliveries.getList("outcome")).containsExactly("DELIVERED", "DELIVERED", "FAILED", "FAILED", "FAILED");
        assertThat(deliveries.getList("attempt", Integer.class)).containsExactly(1, 4, 3, 2, 1);
        assertThat(deliveries.getList("httpStatus", Integer.class)).containsExactly(204, 204, 500, 500, 500);
        assertThat(deliveries.getString("[2].error")).isEqualTo("HTTP 500");
    }

    @Test
    void aReceiverThatIsDownForAWhileGetsEverythingInOrderOnceItIsBack() {
        webhook(List.of("*"));
        receiver.stop();
        String team = Api.newTeam();
        List<String> leads = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            leads.add(Api.lead(team));
        }
        await().pollDelay(Duration.ofMillis(1500)).atMost(Duration.ofSeconds(5)).until(() -> true);
        receiver.resume();

        await().atMost(Duration.ofSeconds(15)).until(() -> bodies(team).stream()
                .filter(b -> b.path("type").asText().equals("lead.created")).count() >= 3);
        assertThat(bodies(team).stream().filter(b -> b.path("type").asText().equals("lead.created"))
                .map(b -> b.path("data").path("leadId").asText()).distinct().toList()).containsExactlyElementsOf(leads);
    }

    @Test
    void aSlowReceiverTimesOutAndIsTriedAgain() {
        receiver.then(new Receiver.Answer(200, "late", Duration.ofSeconds(4)));
        String id = webhook(List.of("lead.created")).getString("id");
        String team = Api.newTeam();
        String lead = Api.lead(team);

        await().atMost(Duration.ofSeconds(15)).until(() -> api().get("/api/v1/webhooks/{id}/deliveries", id).then().extract()
                .jsonPath().getList("outcome").contains("DELIVERED"));
        JsonPath deliveries = api().get("/api/v1/webhooks/{id}/deliveries", id).then().extract().jsonPath();
        assertThat(deliveries.getList("outcome")).containsExactly("DELIVERED", "FAILED");
        assertThat(deliveries.getInt("[1].latencyMs")).isGreaterThanOrEqualTo(1900);
        assertThat(deliveries.getString("[1].error")).isNotBlank();
        assertThat(bodies(team)).extracting(b -> b.path("data").path("leadId").asText()).contains(lead);
    }

    @Test
    void aReplicaWhoseLeaseWasTakenOverMidDeliverySendsNothingMore() {
        receiver.then(new Receiver.Answer(204, "", Duration.ofMillis(1500)));
        String id = webhook(List.of("lead.created")).getString("id");
        String team = Api.newTeam();
        String first = Api.lead(team);
        Api.lead(team);
        Api.lead(team);
        await().atMost(Duration.ofSeconds(10)).until(() -> bodies(team).size() == 1);

        // while the first answer is slow, another replica takes the endpoint over (as when this one paused past its lease)
        Database db = new Database(pool);
        db.rows("UPDATE webhook_endpoint SET lease_owner = gen_random_uuid() WHERE id = $1", UUID.fromString(id));
        await().pollDelay(Duration.ofSeconds(4)).atMost(Duration.ofSeconds(6)).until(() -> true);
        assertThat(bodies(team)).as("nothing after the lease was lost").extracting(b -> b.path("data").path("leadId").asText())
                .containsExactly(first);

        db.rows("UPDATE webhook_endpoint SET lease_owner = NULL, lease_until = NULL WHERE id = $1", UUID.fromString(id));
        await().atMost(Duration.ofSeconds(10)).until(() -> bodies(team).stream().map(b -> b.path("data").path("leadId").asText())
                .distinct().count() == 3);
    }

    @Test
    void afterTheLastAttemptTheEndpointIsDisabledAndManagersAreTold() {
        receiver.otherwise(new Receiver.Answer(500, "x".repeat(5000), Duration.ZERO));
        String id = webhook(List.of("lead.created")).getString("id");
        Api.lead(Api.newTeam());

        await().atMost(Duration.ofSeconds(20)).until(() -> !api().get("/api/v1/webhooks/{id}", id).then().extract().jsonPath()
                .getBoolean("enabled"));
        api().get("/api/v1/webhooks/{id}", id).then().body("disabledReason", startsWith("GAVE_UP"));
        JsonPath deliveries = api().get("/api/v1/webhooks/{id}/deliveries", id).then().extract().jsonPath();
        assertThat(deliveries.getList("outcome")).hasSize(5).containsOnly("FAILED");
        assertThat(deliveries.getString("[0].response")).hasSize(WebhookDispatcher.RESPONSE_KEPT);
        api().queryParam("kind", "WEBHOOK_DISABLED").get("/api/v1/events").then().statusCode(200)
                .body("[0].reason", startsWith("GAVE_UP"));
        int attempts = receiver.received().size();
        Api.lead(Api.newTeam());
        await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(3)).until(() -> receiver.received().size() == attempts);
    }

    @Test
    void aRotatedSecretSignsBesideTheOldOneAndAReplaySendsTheRangeAgain() throws Exception {
        JsonPath webhook = webhook(List.of("lead.created"));
        String id = webhook.getString("id");
        String before = webhook.getString("cursor");
        String team = Api.newTeam();
        String lead = Api.lead(team);
        await().atMost(Duration.ofSeconds(10)).until(() -> bodies(team).size() == 1);

        String rotated = api().post("/api/v1/webhooks/{id}/rotate-secret", id).then().statusCode(200).extract().path("secret");
        assertThat(rotated).startsWith("whsec_").isNotEqualTo(webhook.getString("secret"));
        api().body(Map.of("after", before)).post("/api/v1/webhooks/{id}/replay", id).then().statusCode(200);

        await().atMost(Duration.ofSeconds(10)).until(() -> bodies(team).size() == 2);
        List<Receiver.Request> mine = receiver.received().stream()
                .filter(r -> read(r.body()).path("data").path("leadId").asText().equals(lead)).toList();
        assertThat(mine.get(1).header("webhook-id")).as("the same message id").isEqualTo(mine.get(0).header("webhook-id"));
        assertThat(mine.get(1).header("webhook-signature").split(" ")).hasSize(2);
        assertThat(verifies(mine.get(1), rotated)).isTrue();
        assertThat(verifies(mine.get(1), webhook.getString("secret"))).isTrue();
    }

    @Test
    void badEndpointsAreRefusedWithTheField() {
        api().body(Map.of("url", "ftp://example.com/x", "types", List.of("*"))).post("/api/v1/webhooks").then().statusCode(400)
                .body("code", equalTo("UNSAFE_TARGET")).body("errors[0].field", equalTo("url"));
        api().body(Map.of("url", "https://user:pw@example.com/x", "types", List.of("*"))).post("/api/v1/webhooks").then()
                .statusCode(400).body("code", equalTo("UNSAFE_TARGET"));
        api().body(Map.of("url", receiver.url("/x"), "types", List.of("lead.nope"))).post("/api/v1/webhooks").then()
                .statusCode(400).body("errors[0].field", equalTo("types[0]"));
        api().body(Map.of("url", receiver.url("/x"), "types", List.of())).post("/api/v1/webhooks").then().statusCode(400);
        api().body(Map.of("url", receiver.url("/x"), "types", List.of("*", "lead.created"))).post("/api/v1/webhooks").then()
                .statusCode(400);
        api().get("/api/v1/webhooks/{id}", java.util.UUID.randomUUID()).then().statusCode(404);
        api().body(Map.of("after", "nope")).post("/api/v1/webhooks/{id}/replay", java.util.UUID.randomUUID()).then()
                .statusCode(400).body("errors[0].field", equalTo("after"));
    }
}

package io.leadrouter.bench;

import static io.leadrouter.support.Api.api;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;

/** The chaos verdict reads the client's log against the database: a lost, doubled or re-identified lead must show. */
@QuarkusTest
class InvariantChecksTest {

    private final String prefix = "bench-" + UUID.randomUUID().toString().substring(0, 8);

    @Test
    void acknowledgedLeadsStoredOnceWithTheirIdPassTheChecks() {
        String key = prefix + "-0";
        String id = post(key);

        assertThat(acknowledgedViolations(Map.of(key, id))).isEmpty();
    }

    @Test
    void aLostLeadAnotherIdAndALeadWithoutItsKeyAreViolations() {
        String stored = post(prefix + "-0");
        post(null);

        List<InvariantChecks.Violation> violations = acknowledgedViolations(Map.of(
                prefix + "-0", UUID.randomUUID().toString(),
                prefix + "-1", UUID.randomUUID().toString()));

        assertThat(violations).extracting(InvariantChecks.Violation::what).containsExactlyInAnyOrder(
                "acknowledged intakes with no lead stored", "acknowledged intakes stored under another id",
                "leads of the run stored without their Idempotency-Key");
        assertThat(violations).allSatisfy(violation -> assertThat(violation.count()).isEqualTo(1));
        assertThat(violations.toString()).contains(stored);
    }

    private String post(String idempotencyKey) {
        var request = api();
        if (idempotencyKey != null) {
            request.header("Idempotency-Key", idempotencyKey);
        }
        return request.body(Map.of("company", "Acme", "team", prefix)).post("/api/v1/leads").then().statusCode(201)
                .extract().path("id");
    }

    /** The checks of the acknowledged log only: the SQL invariants are other tests' business. */
    private List<InvariantChecks.Violation> acknowledgedViolations(Map<String, String> acknowledged) {
        var config = ConfigProvider.getConfig();
        String url = config.getValue("quarkus.datasource.jdbc.url", String.class) + "?user="
                + config.getOptionalValue("quarkus.datasource.username", String.class).orElse("postgres") + "&password="
                + config.getOptionalValue("quarkus.datasource.password", String.class).orElse("");
        return InvariantChecks.run(new BenchDatabase(url), acknowledged, prefix + "-", prefix).stream()
                .filter(violation -> violation.what().contains("Idempotency-Key") || violation.what().contains("acknowledged"))
                .toList();
    }
}

package io.leadrouter.k8s;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.leadrouter.support.Api;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;

/** The endpoints the manifests name, called on the running service: probes and metrics on the management port. */
@QuarkusTest
class ManifestEndpointsTest {

    @TestHTTPResource(value = "/", management = true)
    URI management;

    @Test
    void probePathsAnswerAndTheScrapedMetricsHoldTheAutoscalingMetric() {
        Container container = Manifests.one(Deployment.class).getSpec().getTemplate().getSpec().getContainers().get(0);
        for (Probe probe : List.of(container.getStartupProbe(), container.getReadinessProbe(), container.getLivenessProbe())) {
            Api.management(management).get(probe.getHttpGet().getPath()).then().statusCode(200);
            given().get(probe.getHttpGet().getPath()).then().statusCode(404);
        }

        // a lead in a team without reps stays QUEUED, so the queue depth gauge has a series
        Api.lead(Api.newTeam());
        Map<String, Object> monitor = Manifests.one("ServiceMonitor", null).content();
        List<Map<String, Object>> endpoints = Manifests.at(monitor, "spec", "endpoints");
        String metricsPath = (String) endpoints.get(0).get("path");
        String query = Manifests.at(Manifests.<List<Map<String, Object>>> at(Manifests.one("ScaledObject", null).content(),
                "spec", "triggers").get(0), "metadata", "query");
        Matcher metric = Pattern.compile("leadrouter_[a-z_]+").matcher(query);
        assertThat(metric.find()).isTrue();

        // the gauges are sampled from the database every metrics-interval
        Pattern series = Pattern.compile("(?m)^" + metric.group() + "\\{");
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(
                Api.management(management).get(metricsPath).then().statusCode(200).extract().asString()).containsPattern(series));
    }
}

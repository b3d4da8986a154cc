package io.leadrouter.crm;

import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;

import java.util.Map;

import com.github.tomakehurst.wiremock.WireMockServer;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/** One WireMock server standing in for a Salesforce org and the HubSpot API (their paths do not overlap). */
public class CrmStubs implements QuarkusTestResourceLifecycleManager {

    private WireMockServer server;

    @Override
    public Map<String, String> start() {
        server = new WireMockServer(options().dynamicPort().globalTemplating(true));
        server.start();
        String url = "http://localhost:" + server.port();
        return Map.ofEntries(
                Map.entry("leadrouter.crm.salesforce.enabled", "true"),
                Map.entry("leadrouter.crm.salesforce.instance-url", url),
                Map.entry("leadrouter.crm.salesforce.client-id", "3MVG9test-consumer-key"),
                Map.entry("leadrouter.crm.salesforce.client-secret", "test-consumer-secret"),
                Map.entry("leadrouter.crm.salesforce.unassigned-owner-id", "00G5g000004QUEUE"),
                Map.entry("leadrouter.crm.hubspot.enabled", "true"),
                Map.entry("leadrouter.crm.hubspot.base-url", url),
                Map.entry("leadrouter.crm.hubspot.token", "pat-na1-test-token"),
                // the waits the tests can see through
                Map.entry("leadrouter.crm.limit-backoff", "2s"),
                Map.entry("leadrouter.crm.hubspot.rate-limit-backoff", "1s"));
    }

    @Override
    public void stop() {
        if (server != null) {
            server.stop();
        }
    }
}

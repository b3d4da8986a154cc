package io.leadrouter.crm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.leadrouter.LeadRouterConfig;
import io.quarkus.runtime.configuration.DurationConverter;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfigBuilder;

/** A connector enabled without what it needs stops the start with the missing keys named, instead of failing every write. */
class ConnectorConfigTest {

    private static LeadRouterConfig config(Map<String, String> properties) {
        return new SmallRyeConfigBuilder().withMapping(LeadRouterConfig.class).addDefaultInterceptors().addSystemSources()
                .withConverter(Duration.class, 100, new DurationConverter())
                .withSources(new PropertiesConfigSource(properties, "test", 500)).build()
                .getConfigMapping(LeadRouterConfig.class);
    }

    @Test
    void disabledConnectorsNeedNothing() {
        LeadRouterConfig config = config(Map.of());
        assertThat(new SalesforceConnector(config, null, null).enabled()).isFalse();
        assertThat(new HubspotConnector(config, null, null).enabled()).isFalse();
    }

    @Test
    void anEnabledConnectorWithoutCredentialsRefusesToStart() {
        assertThatThrownBy(() -> new SalesforceConnector(config(Map.of("leadrouter.crm.salesforce.enabled", "true",
                "leadrouter.crm.salesforce.instance-url", "https://acme.my.salesforce.com")), null, null))
                .hasMessageContaining("instance-url, client-id and client-secret");
        assertThatThrownBy(() -> new HubspotConnector(config(Map.of("leadrouter.crm.hubspot.enabled", "true")), null, null))
                .hasMessageContaining("needs token");
    }

    @Test
    void onlyOwnerChangesAndKnownObjectsAreAccepted() {
        assertThatThrownBy(() -> new SalesforceConnector(config(Map.of("leadrouter.crm.salesforce.events", "lead.assigned,lead.closed")),
                null, null)).hasMessageContaining("lead.closed");
        assertThatThrownBy(() -> new SalesforceConnector(config(Map.of("leadrouter.crm.salesforce.object", "Opportunity")), null, null))
                .hasMessageContaining("Lead or Contact");
        assertThatThrownBy(() -> new HubspotConnector(config(Map.of("leadrouter.crm.hubspot.object", "../contacts")), null, null))
                .hasMessageContaining("object type");
    }
}

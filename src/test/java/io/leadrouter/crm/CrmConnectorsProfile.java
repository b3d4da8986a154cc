package io.leadrouter.crm;

import java.util.List;

import io.quarkus.test.junit.QuarkusTestProfile;

/** The service with both CRM connectors enabled against {@link CrmStubs}. */
public class CrmConnectorsProfile implements QuarkusTestProfile {

    @Override
    public List<TestResourceEntry> testResources() {
        return List.of(new TestResourceEntry(CrmStubs.class));
    }
}

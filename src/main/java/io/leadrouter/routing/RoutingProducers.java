package io.leadrouter.routing;

import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

public class RoutingProducers {

    @Produces
    @Singleton
    RoutingEngine routingEngine() {
        return new RoutingEngine();
    }
}

package io.leadrouter.lifecycle;

import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import io.leadrouter.routing.RoutingEngine;

public class RoutingProducers {

    @Produces
    @Singleton
    RoutingEngine routingEngine() {
        return new RoutingEngine();
    }
}

package io.leadrouter.health;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Startup;

import io.quarkus.runtime.StartupEvent;

/** Up once the application has started: migrations ran, beans are ready, schedulers are about to run. */
@Startup
@ApplicationScoped
public class StartedCheck implements HealthCheck {

    static final String NAME = "started";

    private volatile boolean started;

    void onStart(@Observes StartupEvent event) {
        started = true;
    }

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.named(NAME).status(started).build();
    }
}

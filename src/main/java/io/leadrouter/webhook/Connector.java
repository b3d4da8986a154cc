package io.leadrouter.webhook;

import java.util.List;

import io.leadrouter.event.LifecycleEvent;
import io.smallrye.mutiny.Uni;

/**
 * A CRM the event log is delivered to as it is to a webhook endpoint: from its own stored cursor, one replica at a
 * time, retried on the webhook schedule, every attempt in the deliveries. Configured per deployment; each enabled
 * connector has one row among the endpoints, under its kind.
 */
public interface Connector {

    /** The connector's name, and the kind of its row: salesforce, hubspot. */
    String kind();

    /** Whether this deployment configured it; a replica delivers only the connectors it has enabled. */
    boolean enabled();

    /** Where it writes, as the API shows it. */
    String target();

    /** The event types it acts on. */
    List<String> events();

    /** Acts on one event. A failure of the returned Uni counts as a failed attempt. */
    Uni<DeliveryAttempt> deliver(LifecycleEvent event);
}

package io.leadrouter.crm;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;

import jakarta.inject.Singleton;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.JsonNode;

import io.leadrouter.LeadRouterConfig;
import io.leadrouter.crm.CrmHttp.Reply;
import io.leadrouter.event.LifecycleEvent;
import io.leadrouter.webhook.DeliveryAttempt;
import io.leadrouter.webhook.DeliveryAttempt.Outcome;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpMethod;

/**
 * Writes a lead's owner to the HubSpot record it came from: {@code PATCH /crm/v3/objects/{object}/{externalId}} with
 * {@code {"properties": {"hubspot_owner_id": ...}}} under a private app's token. A 429 pauses the connector for as long
 * as HubSpot asks ({@code Retry-After}), or for the configured wait, and the same write is tried again.
 */
@Singleton
public class HubspotConnector extends OwnerConnector {

    private static final Logger LOG = Logger.getLogger(HubspotConnector.class);
    static final String KIND = "hubspot";

    private final LeadRouterConfig.Hubspot config;
    private final LeadRouterConfig.Crm crm;
    private final OwnerWriteBack owners;
    private final CrmHttp http;

    public HubspotConnector(LeadRouterConfig config, OwnerWriteBack owners, CrmHttp http) {
        super(KIND, config.crm().hubspot().enabled(), config.crm().hubspot().baseUrl(), config.crm().hubspot().events());
        this.config = config.crm().hubspot();
        this.crm = config.crm();
        this.owners = owners;
        this.http = http;
        if (this.config.enabled() && this.config.token().isEmpty()) {
            throw new IllegalStateException("leadrouter.crm.hubspot.enabled needs token");
        }
        if (!this.config.object().matches("[a-z0-9_-]{1,50}")) {
            throw new IllegalStateException("leadrouter.crm.hubspot.object is an object type such as contacts, not "
                    + this.config.object());
        }
    }

    @Override
    public Uni<DeliveryAttempt> deliver(LifecycleEvent event) {
        // HubSpot takes an empty owner as "no owner", so a take-back clears it unless an owner is configured
        return owners.change(event, KIND, config.unassignedOwnerId().orElse("")).chain(change -> {
            String target = change.externalId() == null ? null : config.object() + "/" + change.externalId();
            if (change.skipped() != null) {
                LOG.infof("HubSpot write-back of event %d skipped: %s", event.id(), change.skipped());
                return Uni.createFrom().item(DeliveryAttempt.skipped(target, change.skipped()));
            }
            String uri = target() + "/crm/v3/objects/" + config.object() + "/" + CrmHttp.encode(change.externalId())
                    + config.idProperty().map(property -> "?idProperty=" + CrmHttp.encode(property)).orElse("");
            return http.send(HttpMethod.PATCH, uri, Map.of("authorization", "Bearer " + config.token().orElseThrow(),
                    "content-type", "application/json", "accept", "application/json"),
                    http.json(Map.of("properties", Map.of("hubspot_owner_id", change.ownerId()))))
                    .map(reply -> outcome(reply, target));
        });
    }

    private DeliveryAttempt outcome(Reply reply, String target) {
        JsonNode body = http.read(reply.body());
        String error = reply.ok() ? null : "HTTP " + reply.status() + " " + body.path("category").asText(body.path("errorType").asText())
                + ": " + body.path("message").asText();
        if (reply.status() == 429) {
            Duration pause = retryAfter(reply).orElse("DAILY".equals(body.path("policyName").asText())
                    ? crm.limitBackoff() : config.rateLimitBackoff());
            LOG.warnf("HubSpot rate limit (%s): write-backs pause for %s", body.path("policyName").asText("?"), pause);
            return CrmHttp.attempt(Outcome.FAILED, reply, error, target).pausing(pause);
        }
        // a deleted or merged record (404), or a change HubSpot refuses (400: an owner id it does not know)
        Outcome outcome = reply.ok() ? Outcome.DELIVERED
                : reply.status() == 404 || reply.status() == 400 ? Outcome.REJECTED
                : Outcome.FAILED;
        return CrmHttp.attempt(outcome, reply, error, target);
    }

    /** {@code Retry-After} in seconds, when HubSpot sends it. */
    private static Optional<Duration> retryAfter(Reply reply) {
        String value = reply.headers().get("Retry-After");
        if (value == null || !value.trim().matches("\\d{1,6}")) {
            return Optional.empty();
        }
        return Optional.of(Duration.ofSeconds(Long.parseLong(value.trim())));
    }

}

package io.leadrouter.crm;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

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
 * Writes a lead's owner to the Salesforce Lead or Contact record it came from: {@code PATCH
 * /services/data/vNN.N/sobjects/{object}/{externalId}} with {@code {"OwnerId": ...}}, under a token of the OAuth 2.0
 * client credentials flow, fetched again when Salesforce answers 401. It watches {@code Sforce-Limit-Info} and pauses
 * above the configured share of the org's daily requests, and on {@code REQUEST_LIMIT_EXCEEDED}, so the router never
 * spends the allowance the org's other integrations need.
 */
@Singleton
public class SalesforceConnector extends OwnerConnector {

    private static final Logger LOG = Logger.getLogger(SalesforceConnector.class);
    static final String KIND = "salesforce";
    private static final Pattern API_USAGE = Pattern.compile("api-usage=(\\d+)/(\\d+)");

    /** An access token and the instance its API calls go to. */
    private record Token(String accessToken, String instanceUrl) {
    }

    /** The token endpoint said no: a failed attempt, with Salesforce's answer. */
    private static final class TokenRefused extends RuntimeException {

        final transient Reply reply;

        TokenRefused(Reply reply) {
            super("token request refused: HTTP " + reply.status(), null, false, false);
            this.reply = reply;
        }
    }

    private final LeadRouterConfig.Salesforce config;
    private final LeadRouterConfig.Crm crm;
    private final OwnerWriteBack owners;
    private final CrmHttp http;
    /** The current token; a connector is delivered by one replica task at a time, so no two refreshes race. */
    private volatile Token token;

    public SalesforceConnector(LeadRouterConfig config, OwnerWriteBack owners, CrmHttp http) {
        super(KIND, config.crm().salesforce().enabled(), config.crm().salesforce().instanceUrl().orElse(""),
                config.crm().salesforce().events());
        this.config = config.crm().salesforce();
        this.crm = config.crm();
        this.owners = owners;
        this.http = http;
        if (this.config.enabled() && (this.config.instanceUrl().isEmpty() || this.config.clientId().isEmpty()
                || this.config.clientSecret().isEmpty())) {
            throw new IllegalStateException("leadrouter.crm.salesforce.enabled needs instance-url, client-id and client-secret");
        }
        if (!List.of("Lead", "Contact").contains(this.config.object())) {
            throw new IllegalStateException("leadrouter.crm.salesforce.object is Lead or Contact, not " + this.config.object());
        }
    }

    @Override
    public Uni<DeliveryAttempt> deliver(LifecycleEvent event) {
        return owners.change(event, KIND, config.unassignedOwnerId().orElse(null)).chain(change -> {
            String target = change.externalId() == null ? null : config.object() + "/" + change.externalId();
            if (change.skipped() != null) {
                LOG.infof("Salesforce write-back of event %d skipped: %s", event.id(), change.skipped());
                return Uni.createFrom().item(DeliveryAttempt.skipped(target, change.skipped()));
            }
            return write(change, target, false)
                    .onFailure(TokenRefused.class).recoverWithItem(failure -> {
                        Reply reply = ((TokenRefused) failure).reply;
                        return CrmHttp.attempt(Outcome.FAILED, reply, failure.getMessage() + " " + tokenError(reply), target);
                    });
        });
    }

    private Uni<DeliveryAttempt> write(OwnerWriteBack.Change change, String target, boolean freshToken) {
        return token(freshToken).chain(current -> http.send(HttpMethod.PATCH, current.instanceUrl() + "/services/data/"
                + config.apiVersion() + "/sobjects/" + config.object() + "/" + CrmHttp.encode(change.externalId()),
                Map.of("authorization", "Bearer " + current.accessToken(), "content-type", "application/json",
                        "accept", "application/json"),
                http.json(Map.of("OwnerId", change.ownerId()))))
                .chain(reply -> {
                    if (reply.status() == 401 && !freshToken) {
                        // the session expired or was revoked: one new token, one more try
                        token = null;
                        return write(change, target, true);
                    }
                    return Uni.createFrom().item(outcome(reply, target));
                });
    }

    private DeliveryAttempt outcome(Reply reply, String target) {
        String error = reply.ok() ? null : error(reply);
        if (reply.body().contains("REQUEST_LIMIT_EXCEEDED")) {
            LOG.warnf("Salesforce says the org's API requests are spent; write-backs pause for %s", crm.limitBackoff());
            return CrmHttp.attempt(Outcome.FAILED, reply, error, target).pausing(crm.limitBackoff());
        }
        Outcome outcome = reply.ok() ? Outcome.DELIVERED
                // the record was deleted or merged (404), or Salesforce refused the change itself (400: an owner id it
                // does not know, a validation rule): trying again cannot help
                : reply.status() == 404 || reply.status() == 400 ? Outcome.REJECTED
                : Outcome.FAILED;
        DeliveryAttempt attempt = CrmHttp.attempt(outcome, reply, error, target);
        Optional<Double> usage = apiUsage(reply);
        if (outcome != Outcome.FAILED && usage.isPresent() && usage.get() >= config.apiUsageCeiling()) {
            LOG.warnf("Salesforce API usage at %.0f %% of the org's daily requests (ceiling %.0f %%): write-backs pause for %s",
                    usage.get() * 100, config.apiUsageCeiling() * 100, crm.limitBackoff());
            return attempt.pausing(crm.limitBackoff());
        }
        return attempt;
    }

    /** The share of the org's daily API requests used, from {@code Sforce-Limit-Info: api-usage=18/5000}. */
    static Optional<Double> apiUsage(Reply reply) {
        String info = reply.headers().get("Sforce-Limit-Info");
        Matcher usage = info == null ? null : API_USAGE.matcher(info);
        if (usage == null || !usage.find()) {
            return Optional.empty();
        }
        double limit = Double.parseDouble(usage.group(2));
        return limit <= 0 ? Optional.empty() : Optional.of(Double.parseDouble(usage.group(1)) / limit);
    }

    private Uni<Token> token(boolean fresh) {
        Token current = token;
        if (current != null && !fresh) {
            return Uni.createFrom().item(current);
        }
        String form = "grant_type=client_credentials&client_id=" + CrmHttp.encode(config.clientId().orElseThrow())
                + "&client_secret=" + CrmHttp.encode(config.clientSecret().orElseThrow());
        return http.send(HttpMethod.POST, target() + "/services/oauth2/token",
                Map.of("content-type", "application/x-www-form-urlencoded", "accept", "application/json"), form)
                .map(reply -> {
                    JsonNode body = http.read(reply.body());
                    if (!reply.ok() || !body.path("access_token").isTextual()) {
                        throw new TokenRefused(reply);
                    }
                    Token fetched = new Token(body.get("access_token").asText(),
                            body.path("instance_url").asText(target()).replaceAll("/+$", ""));
                    token = fetched;
                    return fetched;
                });
    }

    /** {@code errorCode: message} of Salesforce's error list. */
    private String error(Reply reply) {
        JsonNode body = http.read(reply.body());
        JsonNode first = body.isArray() && !body.isEmpty() ? body.get(0) : null;
        return first == null ? "HTTP " + reply.status()
                : "HTTP " + reply.status() + " " + first.path("errorCode").asText() + ": " + first.path("message").asText();
    }

    /** {@code error: error_description} of an OAuth refusal. */
    private String tokenError(Reply reply) {
        JsonNode body = http.read(reply.body());
        return body.path("error").asText() + ": " + body.path("error_description").asText();
    }

}

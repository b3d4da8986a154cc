package io.leadrouter.api;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import io.leadrouter.LeadRouterConfig;
import io.quarkus.vertx.http.runtime.RouteConstants;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * The body limit of each call. JSON bodies are read whole, so they get {@code leadrouter.max-body-size}; the bulk
 * roster and the CSV import are read as they arrive and get their own, larger limits. The server's limit
 * ({@code quarkus.http.limits.max-body-size}) is the largest of them; this handler, right after the server's, holds
 * each call to its own: a declared length above it is refused at once, a body sent without one is cut off with 413
 * where it passes it.
 */
@ApplicationScoped
public class BodyLimits {

    /** What the server's body readers compare the bytes read with (the server's own handler sets it first). */
    private static final String READ_LIMIT = "io.quarkus.max-request-size";

    private final long json;
    private final long roster;
    private final long imports;

    public BodyLimits(LeadRouterConfig config) {
        this.json = config.maxBodySize().asLongValue();
        this.roster = config.bulk().rosterMaxBodySize().asLongValue();
        this.imports = config.bulk().importMaxBodySize().asLongValue();
    }

    void install(@Observes Router router) {
        router.route().order(RouteConstants.ROUTE_ORDER_UPLOAD_LIMIT + 1).handler(this::limit);
    }

    private void limit(RoutingContext context) {
        HttpServerRequest request = context.request();
        long limit = limitOf(request.method(), request.path());
        String declared = request.getHeader(HttpHeaders.CONTENT_LENGTH);
        if (declared != null && parsed(declared) > limit) {
            // no body, as the server's own limit answers: a client waiting to send its body (Expect: 100-continue)
            // may not read one (Java's HttpClient then hangs), and the connection closes
            context.response().setStatusCode(413).putHeader(HttpHeaders.CONNECTION, "close")
                    .endHandler(ignored -> request.connection().close()).end();
            return;
        }
        context.put(READ_LIMIT, limit);
        context.next();
    }

    private long limitOf(HttpMethod method, String path) {
        if (method == HttpMethod.PUT && "/api/v1/reps".equals(path)) {
            return roster;
        }
        if (method == HttpMethod.POST && "/api/v1/leads/import".equals(path)) {
            return imports;
        }
        return json;
    }

    /** The declared length; one that is no number is left to the server, which refuses it. */
    private static long parsed(String length) {
        try {
            return Long.parseLong(length.strip());
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}

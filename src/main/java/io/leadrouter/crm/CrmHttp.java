package io.leadrouter.crm;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.leadrouter.LeadRouterConfig;
import io.leadrouter.common.BoundedBody;
import io.leadrouter.webhook.DeliveryAttempt;
import io.leadrouter.webhook.DeliveryAttempt.Outcome;
import io.smallrye.mutiny.Uni;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;

/** The connectors' HTTP: one request at a time per connector, bounded in time and in what is read back. */
@ApplicationScoped
public class CrmHttp {

    /** What is read of a CRM's answer; their answers to these requests are a few hundred bytes. */
    static final int READ = 64 * 1024;
    /** What is kept of it in a delivery. */
    static final int KEPT = 1024;

    /** A CRM's answer. */
    record Reply(int status, MultiMap headers, String body, long latencyMs) {

        boolean ok() {
            return status / 100 == 2;
        }
    }

    private final HttpClient client;
    private final Duration timeout;
    private final ObjectMapper mapper;

    public CrmHttp(Vertx vertx, LeadRouterConfig config, ObjectMapper mapper) {
        this.mapper = mapper;
        this.timeout = config.crm().timeout();
        this.client = vertx.createHttpClient(new HttpClientOptions().setConnectTimeout((int) timeout.toMillis()).setKeepAlive(true)
                .setMaxPoolSize(4));
    }

    Uni<Reply> send(HttpMethod method, String uri, Map<String, String> headers, String body) {
        RequestOptions request = new RequestOptions().setMethod(method).setAbsoluteURI(uri).setFollowRedirects(false)
                .setTimeout(timeout.toMillis()).putHeader("user-agent", "LeadRouter-Connectors/1");
        headers.forEach(request::putHeader);
        long started = System.nanoTime();
        return Uni.createFrom().completionStage(() -> client.request(request)
                .compose(req -> req.send(Buffer.buffer(body)))
                .compose(response -> BoundedBody.read(response, READ).map(read -> new Reply(response.statusCode(),
                        MultiMap.caseInsensitiveMultiMap().addAll(response.headers()), read.toString(),
                        (System.nanoTime() - started) / 1_000_000)))
                .toCompletionStage())
                .ifNoItem().after(timeout.plusSeconds(1)).fail();
    }

    /** A CRM's JSON answer; anything else reads as a missing node. */
    JsonNode read(String body) {
        try {
            JsonNode node = mapper.readTree(body);
            return node == null ? mapper.missingNode() : node;
        } catch (JsonProcessingException e) {
            return mapper.missingNode();
        }
    }

    String json(Object value) {
        try {
            return mapper.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A value percent-encoded for a path segment, a query or a form. */
    static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }

    /** The attempt a reply makes, its body kept truncated. */
    static DeliveryAttempt attempt(Outcome outcome, Reply reply, String error, String target) {
        String kept = reply.body().length() <= KEPT ? reply.body() : reply.body().substring(0, KEPT);
        return new DeliveryAttempt(outcome, reply.status(), reply.latencyMs(), error, kept, target, null);
    }
}

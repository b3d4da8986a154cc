package io.leadrouter.security;

import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;

import io.leadrouter.common.RateLimited;
import io.quarkus.security.AuthenticationException;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.credential.TokenCredential;
import io.quarkus.security.identity.IdentityProviderManager;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.request.AuthenticationRequest;
import io.quarkus.security.identity.request.TokenAuthenticationRequest;
import io.quarkus.vertx.http.runtime.security.ChallengeData;
import io.quarkus.vertx.http.runtime.security.HttpAuthenticationMechanism;
import io.quarkus.vertx.http.runtime.security.HttpCredentialTransport;
import io.quarkus.vertx.http.runtime.security.HttpSecurityUtils;
import io.smallrye.mutiny.Uni;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.RoutingContext;

/**
 * Reads {@code Authorization: Bearer <credential>}; for senders that cannot set headers also the query: {@code ?token=}
 * on the agent socket (browsers send the header through the websockets-next sub-protocol convention, which Quarkus
 * turns back into a header before this runs), and {@code ?key=} on the Salesforce outbound message endpoint, whose
 * only setting is a URL. Nowhere else, so that keys stay out of the URLs (and logs) of every other call. A client
 * address that failed to authenticate too often this minute is refused before its credential is looked at
 * ({@link RateLimits}).
 */
@ApplicationScoped
public class BearerAuthenticationMechanism implements HttpAuthenticationMechanism {

    static final String AGENT_SOCKET_PATH = "/ws/agent";
    static final String SOCKET_PATHS = "/ws/";
    static final String SALESFORCE_INTAKE_PATH = "/api/v1/intake/salesforce";

    private final RateLimits limits;

    public BearerAuthenticationMechanism(RateLimits limits) {
        this.limits = limits;
    }

    @Override
    public Uni<SecurityIdentity> authenticate(RoutingContext context, IdentityProviderManager identityProviderManager) {
        String credential = credential(context);
        if (credential == null) {
            return Uni.createFrom().nullItem();
        }
        if (AGENT_SOCKET_PATH.equals(context.normalizedPath()) && !credential.startsWith(RepTokens.PREFIX)) {
            // only rep tokens open the agent socket: anything else is anonymous, refused with 401
            return Uni.createFrom().nullItem();
        }
        String address = context.request().remoteAddress() == null ? "unknown" : context.request().remoteAddress().hostAddress();
        Uni<SecurityIdentity> identity;
        try {
            limits.checkAddress(address);
            TokenAuthenticationRequest request = new TokenAuthenticationRequest(new TokenCredential(credential, "bearer"));
            HttpSecurityUtils.setRoutingContextAttribute(request, context);
            identity = identityProviderManager.authenticate(request).onFailure(AuthenticationFailedException.class)
                    .invoke(() -> limits.failedAuthentication(address));
        } catch (RateLimited refused) {
            identity = Uni.createFrom().failure(refused);
        }
        if (context.normalizedPath().startsWith(SOCKET_PATHS)) {
            // anonymous: the socket's own role check refuses the upgrade with 401 (a failed
            // authentication here would also run the REST error mappers on an answered request)
            return identity.onFailure(failure -> failure instanceof AuthenticationException).recoverWithNull();
        }
        return identity;
    }

    @Override
    public Uni<ChallengeData> getChallenge(RoutingContext context) {
        return Uni.createFrom().item(new ChallengeData(401, HttpHeaderNames.WWW_AUTHENTICATE, "Bearer"));
    }

    @Override
    public Set<Class<? extends AuthenticationRequest>> getCredentialTypes() {
        return Set.of(TokenAuthenticationRequest.class);
    }

    @Override
    public Uni<HttpCredentialTransport> getCredentialTransport(RoutingContext context) {
        return Uni.createFrom().item(new HttpCredentialTransport(HttpCredentialTransport.Type.AUTHORIZATION, "bearer"));
    }

    private static String credential(RoutingContext context) {
        String header = context.request().getHeader(HttpHeaders.AUTHORIZATION);
        if (header != null && header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            String value = header.substring(7).trim();
            return value.isEmpty() ? null : value;
        }
        String query = switch (context.normalizedPath()) {
            case AGENT_SOCKET_PATH -> "token";
            case SALESFORCE_INTAKE_PATH -> "key";
            default -> null;
        };
        String credential = query == null ? null : context.request().getParam(query);
        return credential == null || credential.isBlank() ? null : credential;
    }
}

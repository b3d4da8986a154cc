package io.leadrouter.security;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;

import io.leadrouter.LeadRouterConfig;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.IdentityProvider;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.request.TokenAuthenticationRequest;
import io.quarkus.security.runtime.QuarkusPrincipal;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import io.smallrye.mutiny.Uni;

/**
 * Who a bearer credential is: a bootstrap key from {@code leadrouter.api-keys} (admin), a key made with
 * {@code POST /api/v1/keys} (its roles), a manager console session (read), or a rep token whose epoch is the rep's
 * (rep, named by its rep id). The credential itself is kept on the identity ({@link Credential#of}); keys and
 * sessions are held to their request limit ({@link RateLimits}).
 */
@ApplicationScoped
public class BearerIdentityProvider implements IdentityProvider<TokenAuthenticationRequest> {

    private final List<byte[]> bootstrapKeys = new ArrayList<>();
    private final RepTokens repTokens;
    private final RepTokenCheck repTokenCheck;
    private final ApiKeys apiKeys;
    private final SessionTokens sessions;
    private final RateLimits limits;

    public BearerIdentityProvider(LeadRouterConfig config, RepTokens repTokens, RepTokenCheck repTokenCheck, ApiKeys apiKeys,
            SessionTokens sessions, RateLimits limits) {
        config.apiKeys().orElse(List.of()).stream().map(String::trim).filter(k -> !k.isEmpty())
                .forEach(k -> bootstrapKeys.add(k.getBytes(StandardCharsets.UTF_8)));
        this.repTokens = repTokens;
        this.repTokenCheck = repTokenCheck;
        this.apiKeys = apiKeys;
        this.sessions = sessions;
        this.limits = limits;
    }

    @Override
    public Class<TokenAuthenticationRequest> getRequestType() {
        return TokenAuthenticationRequest.class;
    }

    @Override
    public Uni<SecurityIdentity> authenticate(TokenAuthenticationRequest request, AuthenticationRequestContext context) {
        String secret = request.getToken().getToken();
        return caller(secret).map(found -> {
            Caller caller = found.orElseThrow(() -> new AuthenticationFailedException("Unknown, expired or revoked credential"));
            if (caller.credential().kind() != Credential.Kind.REP_TOKEN) {
                limits.request(caller);
            }
            if (caller.credential().kind() == Credential.Kind.API_KEY) {
                apiKeys.used(caller.credential());
            }
            QuarkusSecurityIdentity.Builder identity = QuarkusSecurityIdentity.builder()
                    .setPrincipal(new QuarkusPrincipal(caller.credential().kind() == Credential.Kind.REP_TOKEN
                            ? caller.credential().id() : caller.credential().name()))
                    .addAttribute(Credential.ATTRIBUTE, caller.credential());
            caller.roles().forEach(identity::addRole);
            return identity.build();
        });
    }

    private Uni<Optional<Caller>> caller(String secret) {
        Optional<Caller> bootstrap = bootstrapKey(secret);
        if (bootstrap.isPresent()) {
            return Uni.createFrom().item(bootstrap);
        }
        if (secret.startsWith(RepTokens.PREFIX)) {
            return repTokens.verify(secret).map(claims -> repTokenCheck.isCurrent(claims.repId(), claims.epoch())
                    .map(current -> current ? Optional.of(new Caller(new Credential(Credential.Kind.REP_TOKEN, claims.repId(),
                            claims.repId(), null, null, claims.epoch()), Set.of(Roles.REP), 0)) : Optional.<Caller> empty()))
                    .orElseGet(() -> Uni.createFrom().item(Optional.empty()));
        }
        if (secret.startsWith(SessionTokens.PREFIX)) {
            return sessions.authenticate(secret);
        }
        if (secret.startsWith(ApiKeys.PREFIX)) {
            return apiKeys.authenticate(secret);
        }
        return Uni.createFrom().item(Optional.empty());
    }

    /** Every bootstrap key is compared in constant time, so the time taken tells nothing about any of them. */
    private Optional<Caller> bootstrapKey(String secret) {
        byte[] presented = secret.getBytes(StandardCharsets.UTF_8);
        Optional<Caller> match = Optional.empty();
        for (int i = 0; i < bootstrapKeys.size(); i++) {
            if (MessageDigest.isEqual(bootstrapKeys.get(i), presented) && match.isEmpty()) {
                String id = "env-" + (i + 1);
                match = Optional.of(new Caller(new Credential(Credential.Kind.BOOTSTRAP_KEY, id, "leadrouter.api-keys #" + (i + 1),
                        id, null, 0), Roles.granted(Set.of(Roles.ADMIN)), 0));
            }
        }
        return match;
    }
}

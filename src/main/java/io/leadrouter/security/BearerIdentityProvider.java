package io.leadrouter.security;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.List;

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

/** An API key from configuration makes an {@code api} caller; a valid rep token makes a {@code rep} caller named by its rep id. */
@ApplicationScoped
public class BearerIdentityProvider implements IdentityProvider<TokenAuthenticationRequest> {

    private final List<byte[]> apiKeys;
    private final RepTokens repTokens;

    public BearerIdentityProvider(LeadRouterConfig config, RepTokens repTokens) {
        this.apiKeys = config.apiKeys().orElse(List.of()).stream()
                .map(String::trim).filter(k -> !k.isEmpty())
                .map(k -> k.getBytes(StandardCharsets.UTF_8)).toList();
        this.repTokens = repTokens;
    }

    @Override
    public Class<TokenAuthenticationRequest> getRequestType() {
        return TokenAuthenticationRequest.class;
    }

    @Override
    public Uni<SecurityIdentity> authenticate(TokenAuthenticationRequest request, AuthenticationRequestContext context) {
        String credential = request.getToken().getToken();
        byte[] presented = credential.getBytes(StandardCharsets.UTF_8);
        for (byte[] key : apiKeys) {
            if (MessageDigest.isEqual(key, presented)) {
                return Uni.createFrom().item(identity("api-client", Roles.API));
            }
        }
        return repTokens.verify(credential)
                .map(repId -> Uni.createFrom().item(identity(repId, Roles.REP)))
                .orElseGet(() -> Uni.createFrom().failure(new AuthenticationFailedException("Unknown or expired credential")));
    }

    private static SecurityIdentity identity(String name, String role) {
        return QuarkusSecurityIdentity.builder().setPrincipal(new QuarkusPrincipal(name)).addRole(role).build();
    }
}

package io.leadrouter.agent;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.websockets.next.HttpUpgradeCheck;
import io.smallrye.mutiny.Uni;

/**
 * Refuses the handshake of a rep that holds as many agent sockets on this replica as it may
 * ({@code leadrouter.limits.sockets-per-rep}) with 429, so a runaway client (a reload loop, a hundred tabs) cannot
 * pile sockets up.
 */
@ApplicationScoped
public class AgentSocketLimit implements HttpUpgradeCheck {

    private final AgentSessions sessions;

    public AgentSocketLimit(AgentSessions sessions) {
        this.sessions = sessions;
    }

    @Override
    public boolean appliesTo(String endpointId) {
        return AgentSocket.class.getName().equals(endpointId);
    }

    @Override
    public Uni<CheckResult> perform(HttpUpgradeContext context) {
        return context.securityIdentity().chain(identity -> identity == null || identity.isAnonymous()
                || !sessions.isFull(identity.getPrincipal().getName()) ? CheckResult.permitUpgrade() : CheckResult.rejectUpgrade(429));
    }
}

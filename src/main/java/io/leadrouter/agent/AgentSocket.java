package io.leadrouter.agent;

import java.time.Duration;
import java.util.Set;

import jakarta.annotation.security.RolesAllowed;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;

import io.leadrouter.common.DomainException;
import io.leadrouter.common.KeyedSequencer;
import io.leadrouter.common.NulCharacter;
import io.leadrouter.common.Problem;
import io.leadrouter.common.ProblemMappers;
import io.leadrouter.common.SafeContexts;
import io.leadrouter.lifecycle.ActingRep;
import io.leadrouter.lifecycle.LeadService;
import io.leadrouter.lifecycle.ModeService;
import io.leadrouter.lifecycle.OfferService;
import io.leadrouter.policy.PolicyService;
import io.leadrouter.presence.PresenceService;
import io.leadrouter.routing.Presence;
import io.leadrouter.security.Credential;
import io.leadrouter.security.RepTokenCheck;
import io.leadrouter.security.Roles;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.websockets.next.CloseReason;
import io.quarkus.websockets.next.OnClose;
import io.quarkus.websockets.next.OnOpen;
import io.quarkus.websockets.next.OnTextMessage;
import io.quarkus.websockets.next.WebSocket;
import io.quarkus.websockets.next.WebSocketConnection;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;

/**
 * The agent client's socket. The rep token is checked at the handshake (the upgrade is refused
 * without a valid one) and again before every frame, so a revoked token can do nothing more; frames are JSON with a
 * {@code type}; a bad frame gets an {@code error} frame and the connection stays open.
 */
@WebSocket(path = "/ws/agent")
@RolesAllowed(Roles.REP)
public class AgentSocket {

    private static final Logger LOG = Logger.getLogger(AgentSocket.class);
    private static final Set<String> FRAME_TYPES = Set.of("status", "pull", "accept", "decline", "close");
    /** Close code for a rep that may not connect (deactivated): the client should not retry. */
    static final CloseReason REFUSED = new CloseReason(4403, "rep inactive");
    /** A socket past the rep's limit that slipped through with others at once (the handshake refuses the rest). */
    static final CloseReason TOO_MANY = new CloseReason(4429, "too many sockets");

    private final SecurityIdentity identity;
    private final AgentSessions sessions;
    private final PresenceService presence;
    private final OfferService offers;
    private final LeadService leads;
    private final ModeService modes;
    private final PolicyService policies;
    private final RepTokenCheck tokenCheck;
    private final Vertx vertx;
    private final ObjectReader frames;
    private final ObjectMapper mapper;
    /** A rep's presence changes reach the database in the order its sockets opened and closed. */
    private final KeyedSequencer presenceOrder = new KeyedSequencer();

    public AgentSocket(SecurityIdentity identity, AgentSessions sessions, PresenceService presence, OfferService offers,
            LeadService leads, ModeService modes, PolicyService policies, RepTokenCheck tokenCheck, Vertx vertx, ObjectMapper mapper) {
        this.identity = identity;
        this.sessions = sessions;
        this.presence = presence;
        this.offers = offers;
        this.leads = leads;
        this.modes = modes;
        this.policies = policies;
        this.tokenCheck = tokenCheck;
        this.vertx = vertx;
        this.mapper = mapper;
        this.frames = mapper.readerFor(ClientFrame.class).without(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    }

    @OnOpen
    public Uni<Void> onOpen(WebSocketConnection connection) {
        String repId = repId();
        if (!sessions.admit(repId, connection)) {
            return connection.sendText(encode(new ServerFrame.Error("TOO_MANY_SOCKETS",
                    "This rep has as many sockets open as it may; close a tab"))).chain(() -> connection.close(TOO_MANY));
        }
        return presenceOrder.run(repId, () -> SafeContexts.run(vertx, () -> presence.connect(repId)))
                .chain(snapshot -> policies.current().map(policy -> {
                    String team = snapshot.rep().team;
                    Duration sla = policy.forTeam(team).untendedAfter();
                    sessions.add(repId, snapshot.rep().teams(), connection);
                    sessions.send(connection, new ServerFrame.Welcome(repId, snapshot.rep().presence, modes.modeOf(team),
                            snapshot.activeLeads(), snapshot.pendingOffers().stream().map(p -> new ServerFrame.OfferMade(
                                    p.offer().id, p.lead(), p.offer().expiresAt, p.why())).toList(),
                            modes.waitingOf(team), sla == null ? null : sla.toSeconds(),
                            snapshot.rep().pausedAt == null ? null : snapshot.rep().pausedReason));
                    return snapshot;
                }))
                .replaceWithVoid()
                .onFailure(DomainException.class).recoverWithUni(failure -> {
                    DomainException refusal = (DomainException) failure;
                    return connection.sendText(encode(new ServerFrame.Error(refusal.code(), refusal.getMessage())))
                            .chain(() -> connection.close(REFUSED));
                });
    }

    @OnTextMessage
    public Uni<Void> onMessage(String text, WebSocketConnection connection) {
        String repId = repId();
        long epoch = Credential.of(identity).epoch();
        ClientFrame frame;
        try {
            frame = parse(text);
        } catch (DomainException refusal) {
            sessions.send(connection, new ServerFrame.Error(refusal.code(), refusal.getMessage()));
            return Uni.createFrom().voidItem();
        }
        return SafeContexts.run(vertx, () -> handle(new ActingRep(repId, epoch), frame, connection))
                .onFailure().recoverWithUni(failure -> {
                    if (failure instanceof DomainException refusal && ActingRep.TOKEN_REVOKED.equals(refusal.code())) {
                        return refuse(connection, refusal);
                    }
                    if (failure instanceof DomainException refusal) {
                        sessions.send(connection, new ServerFrame.Error(refusal.code(), refusal.getMessage()));
                    } else {
                        // the frame's type only: its text may hold what a rep wrote (a decline's reason)
                        LOG.errorf(failure, "Handling a %s frame of rep %s failed", frame.getClass().getSimpleName(), repId);
                        sessions.send(connection, new ServerFrame.Error("INTERNAL", "The server could not handle this frame"));
                    }
                    return Uni.createFrom().voidItem();
                });
    }

    @OnClose
    public Uni<Void> onClose(WebSocketConnection connection) {
        String repId = repId();
        sessions.release(repId, connection);
        if (!sessions.remove(repId, connection)) {
            return Uni.createFrom().voidItem();
        }
        return presenceOrder.run(repId, () -> SafeContexts.run(vertx, () -> presence.disconnect(repId)))
                .onFailure().invoke(failure -> LOG.warnf(failure, "Recording the disconnect of %s failed", repId))
                .onFailure().recoverWithNull();
    }

    /**
     * A socket whose token was revoked, or whose rep was deactivated, while it was open: it may do nothing more, also
     * when the order to close it (sent to every replica) did not arrive.
     */
    private Uni<Void> refuse(WebSocketConnection connection, DomainException refusal) {
        return connection.sendText(encode(new ServerFrame.Error(refusal.code(), refusal.getMessage())))
                .chain(() -> connection.close(AgentFrames.TOKENS_REVOKED));
    }

    /**
     * Runs the frame, once the rep's token is known to count: the lifecycle's changes check it in their own statements
     * ({@link ActingRep}), a status change asks first. What a frame changes reaches every tab of the rep as frames from
     * the lifecycle's events ({@link AgentFrames}); a frame that changes nothing is answered on this connection only.
     */
    private Uni<Void> handle(ActingRep acting, ClientFrame frame, WebSocketConnection connection) {
        String repId = acting.id();
        if (frame instanceof ClientFrame.Status status) {
            Presence chosen = require(status.status(), "status");
            return tokenCheck.isCurrent(repId, acting.tokenEpoch()).chain(current -> current ? Uni.createFrom().voidItem()
                    : Uni.createFrom().failure(ActingRep.revoked()))
                    .chain(() -> presenceOrder.run(repId, () -> SafeContexts.run(vertx, () -> presence.setStatus(repId, chosen))))
                    .invoke(set -> {
                        if (!set.changed()) {
                            sessions.send(connection, new ServerFrame.StatusChanged(chosen, null));
                        }
                    }).replaceWithVoid();
        }
        if (frame instanceof ClientFrame.Pull) {
            return offers.pull(acting).invoke(lead -> {
                if (lead == null) {
                    sessions.send(connection, new ServerFrame.QueueEmpty());
                }
            }).replaceWithVoid();
        }
        if (frame instanceof ClientFrame.Accept accept) {
            return offers.accept(acting, require(accept.offerId(), "offerId")).invoke(acceptance -> {
                if (acceptance.repeated()) {
                    sessions.send(connection, new ServerFrame.Assigned(acceptance.lead()));
                }
            }).replaceWithVoid();
        }
        if (frame instanceof ClientFrame.Decline decline) {
            String reason = decline.reason() == null ? null : truncate(decline.reason());
            return offers.decline(acting, require(decline.offerId(), "offerId"), reason).replaceWithVoid();
        }
        ClientFrame.Close close = (ClientFrame.Close) frame;
        return leads.close(require(close.leadId(), "leadId"), require(close.outcome(), "outcome"), acting)
                .invoke(result -> {
                    if (!result.changed()) {
                        sessions.send(connection, new ServerFrame.LeadClosed(result.lead()));
                    }
                }).replaceWithVoid();
    }

    private ClientFrame parse(String text) {
        JsonNode node;
        try {
            node = mapper.readTree(text);
        } catch (JsonProcessingException e) {
            throw DomainException.invalid("BAD_FRAME", "A frame must be a JSON object: " + ProblemMappers.jsonProblem(e).detail());
        }
        if (node == null || !node.isObject() || !node.path("type").isTextual()) {
            throw DomainException.invalid("BAD_FRAME", "A frame must be a JSON object with a \"type\"");
        }
        String type = node.get("type").asText();
        if (!FRAME_TYPES.contains(type)) {
            throw DomainException.invalid("UNKNOWN_FRAME", "Unknown frame type \"" + NulCharacter.shown(type) + "\"; expected one of "
                    + FRAME_TYPES);
        }
        try {
            return frames.readValue(node);
        } catch (JsonProcessingException e) {
            // the mapper names the field and what is wrong with it (a wrong type or value, U+0000 in text)
            Problem problem = ProblemMappers.jsonProblem(e);
            throw DomainException.invalid("BAD_FRAME", "Frame \"" + type + "\" has a field of the wrong type or value" + problem.errors()
                    .stream().map(error -> ": " + error.field() + " " + error.reason()).findFirst().orElse(""));
        } catch (java.io.IOException e) {
            throw DomainException.invalid("BAD_FRAME", "Frame \"" + type + "\" has a field of the wrong type or value");
        }
    }

    private static <T> T require(T value, String field) {
        if (value == null) {
            throw DomainException.invalid("BAD_FRAME", "\"" + field + "\" is required");
        }
        return value;
    }

    private static String truncate(String reason) {
        return reason.length() <= 500 ? reason : reason.substring(0, 500);
    }

    private String repId() {
        return identity.getPrincipal().getName();
    }

    private String encode(ServerFrame frame) {
        try {
            return mapper.writerFor(ServerFrame.class).writeValueAsString(frame);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}

package io.leadrouter.agent;

import java.util.UUID;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;

import io.leadrouter.lead.Outcome;
import io.leadrouter.routing.Presence;
import io.quarkus.runtime.annotations.RegisterForReflection;

/** Frames the agent client sends, told apart by {@code type}. */
// read by AgentSocket's own ObjectMapper, not by a typed endpoint: native images need them registered
@RegisterForReflection(targets = { ClientFrame.class, ClientFrame.Status.class, ClientFrame.Pull.class, ClientFrame.Accept.class,
        ClientFrame.Decline.class, ClientFrame.Close.class })
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({
        @JsonSubTypes.Type(value = ClientFrame.Status.class, name = "status"),
        @JsonSubTypes.Type(value = ClientFrame.Pull.class, name = "pull"),
        @JsonSubTypes.Type(value = ClientFrame.Accept.class, name = "accept"),
        @JsonSubTypes.Type(value = ClientFrame.Decline.class, name = "decline"),
        @JsonSubTypes.Type(value = ClientFrame.Close.class, name = "close") })
public sealed interface ClientFrame {

    record Status(Presence status) implements ClientFrame {
    }

    record Pull() implements ClientFrame {
    }

    record Accept(UUID offerId) implements ClientFrame {
    }

    record Decline(UUID offerId, String reason) implements ClientFrame {
    }

    record Close(UUID leadId, Outcome outcome) implements ClientFrame {
    }
}

package io.leadrouter.salesforce;

import java.util.List;
import java.util.Map;

/**
 * A Salesforce outbound message as sent: the org that sent it, the workflow action or flow that sent it, and 1 to 100
 * notifications. The session id and callback URLs it may carry are not kept.
 */
public record OutboundMessage(String organizationId, String actionId, List<Notification> notifications) {

    /**
     * One notification: its id, the record's sObject type ({@code Lead}, {@code Contact}) and the record's fields as
     * sent, by their API names; a related record's fields as {@code Account.Name}.
     */
    public record Notification(String id, String objectType, Map<String, String> fields) {
    }
}

package io.leadrouter.lead;

import java.time.Instant;

/**
 * A CRM record as a lead, from a CRM that sends the record again whenever it changes (a Salesforce outbound message):
 * {@code lead.externalId()} is the record's id, {@code modifiedAt} its last modification as the CRM stamped it, or
 * null when the CRM did not say.
 */
public record CrmRecord(LeadRequest lead, Instant modifiedAt) {
}

package io.leadrouter.lead;

import java.util.UUID;

/**
 * A closed lead, and who has to hear of it.
 *
 * @param freedRepId the rep whose capacity the close freed (owner, or the rep an open offer was cancelled for)
 * @param cancelledOfferId the open offer the close withdrew, if the lead was still being offered
 */
public record CloseResult(LeadView lead, String freedRepId, UUID cancelledOfferId, boolean changed) {
}

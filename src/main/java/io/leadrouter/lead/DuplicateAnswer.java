package io.leadrouter.lead;

import com.fasterxml.jackson.annotation.JsonUnwrapped;

/** The answer to a single lead that duplicates an open lead: that lead, as a replay answers it, plus {@code duplicateOf}. */
public record DuplicateAnswer(@JsonUnwrapped LeadView lead, DuplicateOf duplicateOf) {
}

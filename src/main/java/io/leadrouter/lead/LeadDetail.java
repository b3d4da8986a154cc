package io.leadrouter.lead;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonUnwrapped;

/** One lead as {@code GET /leads/{id}} returns it: the lead's fields, and the declines of its offers, oldest first. */
public record LeadDetail(@JsonUnwrapped LeadView lead, List<LeadDecline> declines) {
}

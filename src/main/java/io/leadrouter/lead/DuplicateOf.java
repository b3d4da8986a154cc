package io.leadrouter.lead;

import java.util.List;
import java.util.UUID;

/** The open lead a lead sent in duplicates, and the keys they share ({@code email}, {@code phone}, ...). */
public record DuplicateOf(UUID leadId, List<String> by) {
}

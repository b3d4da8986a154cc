package io.leadrouter.lead;

import java.util.List;
import java.util.UUID;

import com.fasterxml.jackson.annotation.JsonInclude;

/** What a bulk requeue or close did, per lead, with the count done. */
public record HeldResults(int done, int skipped, List<Item> results) {

    /** One lead: {@code REQUEUED} or {@code CLOSED}, else {@code NOT_FOUND} or {@code NOT_HELD} (with its status). */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Item(UUID id, String result, LeadStatus status) {
    }

    public static HeldResults of(List<Item> results, String done) {
        int count = (int) results.stream().filter(r -> r.result().equals(done)).count();
        return new HeldResults(count, results.size() - count, results);
    }
}

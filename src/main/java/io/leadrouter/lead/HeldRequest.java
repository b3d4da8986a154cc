package io.leadrouter.lead;

import java.util.List;
import java.util.UUID;

import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

/**
 * Held leads to requeue or close in bulk: by {@code ids}, or every held lead of a {@code team} (with {@code holdReason},
 * only those held for it), oldest first; at most {@link #MAX} a call.
 *
 * @param outcome what the leads are closed as (close only)
 */
public record HeldRequest(@Size(min = 1, max = HeldRequest.MAX, message = "must hold 1 to " + HeldRequest.MAX + " lead ids") List<UUID> ids,
        @Pattern(regexp = "^[A-Za-z0-9._-]{1,100}$", message = "must be a team name") String team,
        @Pattern(regexp = "^[A-Z_]{1,50}$", message = "must be a hold reason such as MAX_ATTEMPTS") String holdReason,
        Outcome outcome,
        @Size(max = ManagerReason.MAX, message = "must be at most " + ManagerReason.MAX + " characters") String reason) {

    /** The most held leads one call moves. */
    public static final int MAX = 1000;
}

package io.leadrouter.lead;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

/**
 * A manager's assignment of a lead to a named rep ({@code POST /leads/{id}/assign}).
 *
 * @param force skip the rep's routing constraints (team, declined or missed before, skills, language, territory, tier, a
 *     pause); never a deactivated rep, the rep's max load or its period caps
 */
public record AssignRequest(
        @NotNull(message = "names the rep") @Pattern(regexp = "^[A-Za-z0-9._@-]{1,100}$", message = "must be a rep id") String repId,
        @NotBlank(message = "says why") @Size(max = ManagerReason.MAX, message = "must be at most " + ManagerReason.MAX + " characters") String reason,
        boolean force) {
}

package io.leadrouter.lead;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;

/** Why a manager acted (pausing a rep), kept with what it did: the bound every manager action's reason has. */
public record ManagerReason(
        @NotBlank(message = "says why") @Size(max = ManagerReason.MAX, message = "must be at most " + ManagerReason.MAX + " characters") String reason) {

    /** The longest reason a manager may give. */
    public static final int MAX = 500;
}

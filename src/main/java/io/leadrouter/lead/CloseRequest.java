package io.leadrouter.lead;

import jakarta.validation.constraints.NotNull;

public record CloseRequest(@NotNull Outcome outcome) {
}

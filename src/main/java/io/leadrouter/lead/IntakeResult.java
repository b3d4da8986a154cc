package io.leadrouter.lead;

import com.fasterxml.jackson.annotation.JsonInclude;

import io.leadrouter.common.Problem;

/**
 * What became of one lead sent in: created, replayed (the original is returned), a duplicate of an open lead (that
 * lead is returned, with {@code duplicateOf}), or refused with a problem.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record IntakeResult(int index, Outcome outcome, LeadView lead, Problem error, DuplicateOf duplicateOf) {

    public enum Outcome {
        CREATED, REPLAYED, DUPLICATE, ERROR
    }

    public IntakeResult(int index, Outcome outcome, LeadView lead, Problem error) {
        this(index, outcome, lead, error, null);
    }

    public static IntakeResult error(int index, Problem problem) {
        return new IntakeResult(index, Outcome.ERROR, null, problem);
    }

    public static IntakeResult duplicate(int index, LeadView lead, DuplicateOf of) {
        return new IntakeResult(index, Outcome.DUPLICATE, lead, null, of);
    }
}

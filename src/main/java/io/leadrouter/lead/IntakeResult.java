package io.leadrouter.lead;

import com.fasterxml.jackson.annotation.JsonInclude;

import io.leadrouter.common.Problem;

/** What became of one lead sent in: created, replayed (the original is returned), or refused with a problem. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record IntakeResult(int index, Outcome outcome, LeadView lead, Problem error) {

    public enum Outcome {
        CREATED, REPLAYED, ERROR
    }

    public static IntakeResult error(int index, Problem problem) {
        return new IntakeResult(index, Outcome.ERROR, null, problem);
    }
}

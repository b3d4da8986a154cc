package io.leadrouter.rep;

import com.fasterxml.jackson.annotation.JsonInclude;

import io.leadrouter.common.Problem;

/**
 * What became of one rep of a roster call: created, replaced, or refused with its problem. A JSON item is known by
 * its {@code index} in the array, a CSV row by its {@code row} (the header is row 1) and the {@code line} it starts on.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record RosterResult(Integer index, Integer row, Integer line, String id, Outcome outcome, Problem error) {

    public enum Outcome {
        CREATED, REPLACED, ERROR
    }
}

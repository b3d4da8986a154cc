package io.leadrouter.routing;

import java.util.Map;

import com.fasterxml.jackson.annotation.JsonInclude;

/** One rep in a decision: either the constraint that excluded it, or its score and the score's parts. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record CandidateTrace(String repId, boolean eligible, Exclusion exclusion, String detail, Double score,
        Map<String, Double> components) {

    static CandidateTrace excluded(String repId, Exclusion exclusion, String detail) {
        return new CandidateTrace(repId, false, exclusion, detail, null, null);
    }

    static CandidateTrace scored(String repId, double score, Map<String, Double> components) {
        return new CandidateTrace(repId, true, null, null, score, components);
    }
}

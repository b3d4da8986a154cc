package io.leadrouter.routing;

import java.util.Map;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * One rep in a decision: either the constraint that excluded it, or its score and the score's parts, with what ranks
 * it (see {@link RoutingEngine#rank}).
 *
 * @param fit how well the rep fits the lead: the weighted mean of the skill requirement met, language, territory and
 *     value-to-tier fit; a better fit ranks first
 * @param deficit how many leads the rep is behind its weighted share of the team's leads in the fairness period
 *     (assigned or under offer), this one counted; among equal fit the largest ranks first (without make-up credit,
 *     a rep far behind counts as level with the least-served rep in the rotation)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record CandidateTrace(String repId, boolean eligible, Exclusion exclusion, String detail, Double score,
        Map<String, Double> components, Double fit, Double deficit) {

    public CandidateTrace(String repId, boolean eligible, Exclusion exclusion, String detail, Double score,
            Map<String, Double> components) {
        this(repId, eligible, exclusion, detail, score, components, null, null);
    }

    static CandidateTrace excluded(String repId, Exclusion exclusion, String detail) {
        return new CandidateTrace(repId, false, exclusion, detail, null, null);
    }

    /** A candidate as decisions recorded before fit and fairness ranked show it: the score only. */
    static CandidateTrace scored(String repId, double score, Map<String, Double> components) {
        return new CandidateTrace(repId, true, null, null, score, components);
    }

    static CandidateTrace scored(String repId, double score, Map<String, Double> components, double fit) {
        return new CandidateTrace(repId, true, null, null, score, components, fit, null);
    }

    CandidateTrace withDeficit(double leadsBehind) {
        return new CandidateTrace(repId, eligible, exclusion, detail, score, components, fit, leadsBehind);
    }
}

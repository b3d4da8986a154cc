package io.leadrouter.routing;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * "Why not this rep", answered from a lead's decision trace: per decision where the rep stood
 * (excluded and why, ranked below whom and on which score components, chosen) in words and data,
 * and what would stop the rep getting the lead right now.
 */
public final class WhyNot {

    private WhyNot() {
    }

    /** How a decision treated the rep. */
    public enum Standing {
        /** the rep was given the lead (offer, pull) or had it (taken back) */
        CHOSEN,
        /** eligible, but another rep ranked higher */
        OUTRANKED,
        /** eligible, yet nobody was chosen (no capacity could be reserved, or the lead was held) */
        ELIGIBLE,
        EXCLUDED,
        /** not among the candidates: another team's rep, or created later */
        NOT_CONSIDERED
    }

    /**
     * One decision from the rep's side.
     *
     * @param rank the rep's place among the eligible (1 best), null when not eligible
     * @param ahead for OUTRANKED: per score component, the chosen rep's value minus this rep's,
     *     largest gaps first
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Step(long decisionId, int attempt, DecisionKind kind, Standing standing, String chosenRepId,
            Exclusion exclusion, String detail, Double score, Integer rank, Integer eligible, Double chosenScore,
            Map<String, Double> components, Map<String, Double> ahead, String explanation) {
    }

    /**
     * The answer.
     *
     * @param now what stops the rep from getting the lead now (null: nothing, or the lead is no longer routed)
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Answer(UUID leadId, String repId, String answer, CandidateTrace now, List<Step> decisions) {
    }

    /**
     * @param ownerRepId the lead's current owner, if assigned
     * @param now the rep's exclusion for the lead as things stand, when the lead is still waiting for a rep;
     *     empty when it is not or the rep qualifies
     * @param waiting whether the lead is still waiting for a rep (queued, offered or held)
     */
    public static Answer explain(UUID leadId, String repId, String ownerRepId, boolean waiting,
            Optional<CandidateTrace> now, List<DecisionView> decisions) {
        List<Step> steps = decisions.stream().map(d -> step(leadId, repId, d)).toList();
        return new Answer(leadId, repId, summary(repId, ownerRepId, waiting, now, steps), now.orElse(null), steps);
    }

    private static String summary(String repId, String ownerRepId, boolean waiting, Optional<CandidateTrace> now,
            List<Step> steps) {
        if (repId.equals(ownerRepId)) {
            return "The lead is assigned to " + repId + ".";
        }
        StringBuilder answer = new StringBuilder();
        if (steps.isEmpty()) {
            answer.append("No routing decision was made for this lead yet.");
        } else {
            Step last = steps.get(steps.size() - 1);
            answer.append("Last decision (attempt ").append(last.attempt()).append(", ").append(last.kind()).append("): ")
                    .append(last.explanation());
        }
        if (ownerRepId != null) {
            answer.append(" The lead is assigned to ").append(ownerRepId).append('.');
        } else if (waiting) {
            answer.append(now.map(c -> " Right now " + repId + " is excluded: " + c.exclusion() + " (" + c.detail() + ").")
                    .orElse(" Right now nothing excludes " + repId + "; the lead goes to the best-ranked eligible rep."));
        }
        return answer.toString();
    }

    private static Step step(UUID leadId, String repId, DecisionView decision) {
        List<CandidateTrace> candidates = decision.candidates();
        CandidateTrace mine = candidates.stream().filter(c -> c.repId().equals(repId)).findFirst().orElse(null);
        List<CandidateTrace> eligible = candidates.stream().filter(CandidateTrace::eligible)
                .sorted(RoutingEngine.tracedOrder(leadId, decision.affinity(), candidates)).toList();
        CandidateTrace chosen = decision.chosenRepId() == null ? null : candidates.stream()
                .filter(c -> c.repId().equals(decision.chosenRepId())).findFirst().orElse(null);
        String kind = decision.kind().name();
        if (repId.equals(decision.chosenRepId())) {
            String explanation = switch (decision.kind()) {
                case TAKEN_BACK -> "the lead was taken back from " + repId + ": " + decision.reason();
                case PULL -> repId + " pulled the lead.";
                case MANUAL -> repId + " was assigned the lead by " + decision.manual().by() + ": " + decision.reason();
                default -> repId + " was chosen" + (mine != null && mine.score() != null ? " with score " + mine.score() : "")
                        + " and offered the lead.";
            };
            return new Step(decision.id(), decision.attempt(), decision.kind(), Standing.CHOSEN, decision.chosenRepId(), null,
                    null, mine == null ? null : mine.score(), rank(eligible, repId), eligible.size(), null,
                    mine == null ? null : mine.components(), null, explanation);
        }
        if (mine == null) {
            return new Step(decision.id(), decision.attempt(), decision.kind(), Standing.NOT_CONSIDERED, decision.chosenRepId(),
                    null, null, null, null, eligible.size(), null, null, null,
                    decision.kind() == DecisionKind.TAKEN_BACK || decision.kind() == DecisionKind.PULL
                            || decision.kind() == DecisionKind.MANUAL
                            ? kind + " by " + decision.chosenRepId() + "; no other rep was weighed."
                            : repId + " was not a candidate: not in the lead's team or not yet active then.");
        }
        if (!mine.eligible()) {
            return new Step(decision.id(), decision.attempt(), decision.kind(), Standing.EXCLUDED, decision.chosenRepId(),
                    mine.exclusion(), mine.detail(), null, null, eligible.size(), null, null, null,
                    repId + " was excluded: " + mine.exclusion() + " (" + mine.detail() + ").");
        }
        Integer rank = rank(eligible, repId);
        if (chosen == null || chosen.score() == null) {
            return new Step(decision.id(), decision.attempt(), decision.kind(), Standing.ELIGIBLE, decision.chosenRepId(),
                    null, null, mine.score(), rank, eligible.size(), null, mine.components(), null,
                    repId + " was eligible (score " + mine.score() + ", rank " + rank + " of " + eligible.size()
                            + ") but nobody was chosen" + (decision.reason() == null ? "" : ": " + decision.reason()) + ".");
        }
        Map<String, Double> ahead = ahead(chosen.components(), mine.components());
        String gaps = chosen.fit() != null && mine.fit() != null ? rankedAheadOn(decision, chosen, mine)
                : ahead.entrySet().stream().filter(e -> e.getValue() > 0).limit(3)
                        .map(e -> e.getKey() + " " + chosen.components().get(e.getKey()) + " vs " + mine.components().get(e.getKey()))
                        .reduce((a, b) -> a + ", " + b).orElse("equal components; the fair tie-break chose");
        return new Step(decision.id(), decision.attempt(), decision.kind(), Standing.OUTRANKED, decision.chosenRepId(), null,
                null, mine.score(), rank, eligible.size(), chosen.score(), mine.components(), ahead,
                repId + " was eligible but ranked " + rank + " of " + eligible.size() + " with score " + mine.score() + "; "
                        + decision.chosenRepId() + " scored " + chosen.score() + ", ahead on " + gaps + ".");
    }

    /** The ranking step on which the chosen rep was ahead of this one, in words. */
    private static String rankedAheadOn(DecisionView decision, CandidateTrace chosen, CandidateTrace mine) {
        if (decision.affinity() != null && chosen.repId().equals(decision.affinity().ownerRepId())) {
            return "affinity (the owner of the account's lead " + decision.affinity().leadId() + ")";
        }
        if (!chosen.fit().equals(mine.fit())) {
            String parts = java.util.stream.Stream.of("skill", "language", "territory", "valueTierFit")
                    .filter(k -> chosen.components().get(k) > mine.components().get(k))
                    .map(k -> k + " " + chosen.components().get(k) + " vs " + mine.components().get(k))
                    .reduce((a, b) -> a + ", " + b).map(p -> " (" + p + ")").orElse("");
            return "fit " + chosen.fit() + " vs " + mine.fit() + parts;
        }
        if (!java.util.Objects.equals(chosen.deficit(), mine.deficit())) {
            return "fairness (leads behind its weighted share " + chosen.deficit() + " vs " + mine.deficit() + ")";
        }
        return "equal fit and fairness; idle time, headroom or the fair tie-break chose";
    }

    private static Integer rank(List<CandidateTrace> eligible, String repId) {
        for (int i = 0; i < eligible.size(); i++) {
            if (eligible.get(i).repId().equals(repId)) {
                return i + 1;
            }
        }
        return null;
    }

    /** The chosen rep's lead per component, largest first. */
    private static Map<String, Double> ahead(Map<String, Double> chosen, Map<String, Double> mine) {
        Map<String, Double> gaps = new java.util.LinkedHashMap<>();
        chosen.entrySet().stream()
                .map(e -> Map.entry(e.getKey(), Math.round((e.getValue() - mine.getOrDefault(e.getKey(), 0.0)) * 1000) / 1000.0))
                .sorted(Map.Entry.<String, Double> comparingByValue().reversed())
                .forEach(e -> gaps.put(e.getKey(), e.getValue()));
        return gaps;
    }
}

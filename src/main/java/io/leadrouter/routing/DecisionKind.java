package io.leadrouter.routing;

/**
 * What a routing decision did. OFFER: pushed to the best rep. PULL: a rep pulled it. NO_MATCH: nobody
 * could take it now (recorded once per attempt). HELD: nobody qualifies even after the fallback chain.
 * TAKEN_BACK: assigned but untended past the SLA. MANUAL: a manager assigned it (the trace's {@code manual} says who and why).
 */
public enum DecisionKind {
    OFFER, PULL, NO_MATCH, HELD, TAKEN_BACK, MANUAL
}

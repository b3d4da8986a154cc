package io.leadrouter.routing;

/** The lead-side criteria a policy's fallback chain may relax, one at a time, when nobody qualifies. */
public enum Criterion {
    TERRITORY,
    LANGUAGE,
    SKILLS,
    TIER
}

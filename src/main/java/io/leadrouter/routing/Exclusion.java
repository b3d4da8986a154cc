package io.leadrouter.routing;

/** Why a rep could not take a lead: the first hard constraint the rep failed, in evaluation order. */
public enum Exclusion {
    INACTIVE,
    OTHER_TEAM,
    DECLINED_BEFORE,
    MISSED_BEFORE,
    NOT_AVAILABLE,
    DISCONNECTED,
    AT_CAPACITY,
    MISSING_SKILL,
    LANGUAGE,
    TERRITORY
}

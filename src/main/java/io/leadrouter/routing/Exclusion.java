package io.leadrouter.routing;

/** Why a rep could not take a lead: the first hard constraint the rep failed, in evaluation order. */
public enum Exclusion {
    INACTIVE,
    OTHER_TEAM,
    NOT_AVAILABLE,
    DISCONNECTED,
    DECLINED_BEFORE,
    MISSED_BEFORE,
    AT_CAPACITY,
    MISSING_SKILL,
    LANGUAGE,
    TERRITORY
}

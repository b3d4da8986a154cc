package io.leadrouter.routing;

/**
 * Why a rep could not take a lead: the first hard constraint the rep failed, in evaluation order.
 * The lasting ones (true for this lead whatever the rep does next) come first, so "why not this
 * rep" names the reason that matters.
 */
public enum Exclusion {
    INACTIVE(true),
    OTHER_TEAM(true),
    DECLINED_BEFORE(true),
    MISSED_BEFORE(true),
    MISSING_SKILL(true),
    LANGUAGE(true),
    TERRITORY(true),
    TIER(true),
    OUT_OF_OFFICE(false),
    HOLIDAY(false),
    OUTSIDE_HOURS(false),
    NOT_AVAILABLE(false),
    /** a manager paused the rep: no offers, no pulls, until resumed */
    PAUSED(false),
    DISCONNECTED(false),
    AT_CAPACITY(false),
    CAP_REACHED(false);

    private final boolean lasting;

    Exclusion(boolean lasting) {
        this.lasting = lasting;
    }

    /** Whether relaxing a fallback criterion could lift this exclusion. */
    public boolean relaxable() {
        return this == MISSING_SKILL || this == LANGUAGE || this == TERRITORY || this == TIER;
    }

    /** True when waiting cannot help: only relaxing a criterion (or another rep) can. */
    public boolean lasting() {
        return lasting;
    }
}

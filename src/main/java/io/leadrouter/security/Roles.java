package io.leadrouter.security;

/** The two kinds of caller: CRMs and admins with an API key, reps with a token from the roster. */
public final class Roles {
    public static final String API = "api";
    public static final String REP = "rep";

    private Roles() {
    }
}

package io.leadrouter.rep;

/**
 * The rep predicates SQL shares, written once. Guarded by the rep table's
 * {@code CHECK (presence_lapses_at IS NULL OR presence <> 'OFFLINE')}; {@link Rep#connected()} is the same test in Java.
 */
public final class RepSql {

    private RepSql() {
    }

    /** At least one live socket: a presence, and not in the grace period after the last socket dropped. */
    public static String connected(String alias) {
        String a = alias.isEmpty() ? "" : alias + ".";
        return a + "presence <> 'OFFLINE' AND " + a + "presence_lapses_at IS NULL";
    }

    /**
     * A rep token still counts: the rep is active and its {@code token_epoch} is the token's. A deactivation and a
     * revocation raise the epoch, so every token issued before is refused from then on.
     */
    public static String tokenCurrent(String alias, String epoch) {
        String a = alias.isEmpty() ? "" : alias + ".";
        return a + "active AND " + a + "token_epoch = " + epoch;
    }

    /** Active, not paused, connected and AVAILABLE: who may be offered a lead. */
    public static String offerable(String alias) {
        String a = alias.isEmpty() ? "" : alias + ".";
        return a + "active AND " + a + "paused_at IS NULL AND " + a + "presence = 'AVAILABLE' AND " + a + "presence_lapses_at IS NULL";
    }
}

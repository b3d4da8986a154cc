package io.leadrouter.lifecycle;

import io.leadrouter.common.DomainException;
import io.leadrouter.rep.RepSql;

/**
 * A rep acting from its socket: its id, and the epoch of the token the socket signed in with. The pull, accept,
 * decline and close check that token in their own statements (the rep is active and at this {@code token_epoch})
 * instead of in a query before them: the hot frames spend no round trip on it, and a revocation or deactivation
 * committed before the change's statement refuses the change.
 */
public record ActingRep(String id, long tokenEpoch) {

    /** The code of the refusal of a socket whose token was revoked or whose rep was deactivated; the socket closes on it. */
    public static final String TOKEN_REVOKED = "TOKEN_REVOKED";

    /** That the acting rep's token still counts, as a condition with the parameters {@code :rep} and {@code :epoch}. */
    static final String TOKEN_CURRENT = "EXISTS (SELECT 1 FROM rep t WHERE t.id = :rep AND " + RepSql.tokenCurrent("t", ":epoch") + ")";

    public static DomainException revoked() {
        return DomainException.forbidden(TOKEN_REVOKED, "This sign-in was revoked or the rep deactivated; ask your manager for a new one");
    }
}

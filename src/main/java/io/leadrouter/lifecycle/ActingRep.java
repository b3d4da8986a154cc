package io.leadrouter.lifecycle;

import java.util.Map;

import io.leadrouter.common.DomainException;
import io.leadrouter.common.Sql;
import io.leadrouter.rep.Rep;
import io.leadrouter.rep.RepSql;
import io.smallrye.mutiny.Uni;

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

    /** {@link #TOKEN_CURRENT} on a rep already read: it exists, is active and at this epoch. */
    boolean countsFor(Rep rep) {
        return rep != null && rep.active && rep.tokenEpoch == tokenEpoch;
    }

    /** Fails with {@link #revoked()} when the token no longer counts: the first answer a refused change gives. */
    Uni<Void> requireCurrent() {
        return Sql.rows("SELECT 1 WHERE " + TOKEN_CURRENT, Map.of("rep", id, "epoch", tokenEpoch))
                .chain(rows -> rows.isEmpty() ? Uni.createFrom().failure(revoked()) : Uni.createFrom().voidItem());
    }

    public static DomainException revoked() {
        return DomainException.forbidden(TOKEN_REVOKED, "This sign-in was revoked or the rep deactivated; ask your manager for a new one");
    }
}

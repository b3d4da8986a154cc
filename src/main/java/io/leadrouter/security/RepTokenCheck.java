package io.leadrouter.security;

import jakarta.enterprise.context.ApplicationScoped;

import io.leadrouter.rep.RepSql;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * Whether a rep token still counts ({@link RepSql#tokenCurrent}): a deactivation and
 * {@code POST /reps/{id}/tokens/revoke} raise the epoch, so every token issued before is refused from then on, also
 * once the rep is active again. Asked at the handshake, at every REST call with a rep token, and before a status frame;
 * the frames that change leads check the token in their own statements instead.
 */
@ApplicationScoped
public class RepTokenCheck {

    private final Pool pool;

    public RepTokenCheck(Pool pool) {
        this.pool = pool;
    }

    public Uni<Boolean> isCurrent(String repId, long epoch) {
        return pool.preparedQuery("SELECT 1 FROM rep WHERE id = $1 AND " + RepSql.tokenCurrent("", "$2"))
                .execute(Tuple.of(repId, epoch)).map(rows -> rows.rowCount() == 1);
    }
}

package io.leadrouter.security;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * Whether a rep token still counts: its rep exists, is active, and its {@code token_epoch} is the token's. A
 * deactivation and {@code POST /reps/{id}/tokens/revoke} raise the epoch, so every token issued before is refused
 * from then on, also once the rep is active again. Asked at the handshake and before every frame the rep sends.
 */
@ApplicationScoped
public class RepTokenCheck {

    private final Pool pool;

    public RepTokenCheck(Pool pool) {
        this.pool = pool;
    }

    public Uni<Boolean> isCurrent(String repId, long epoch) {
        return pool.preparedQuery("SELECT 1 FROM rep WHERE id = $1 AND active AND token_epoch = $2")
                .execute(Tuple.of(repId, epoch)).map(rows -> rows.rowCount() == 1);
    }
}

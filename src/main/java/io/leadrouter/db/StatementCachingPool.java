package io.leadrouter.db;

import java.util.ArrayList;
import java.util.List;

import jakarta.inject.Singleton;

import io.quarkus.reactive.pg.client.PgPoolCreator;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlConnectOptions;

/**
 * The reactive pool Quarkus would build, with a statement cache that keeps our longest statements. The client caches
 * a prepared statement per connection only when its text is at most 2,048 characters by default; the intake's insert
 * is longer (its duplicate-checked form about 3,000), and a statement the cache refuses is prepared anew on every
 * run: a round trip more before it executes (the client holds the connection's pipeline until the prepare answers)
 * and a parse and plan in PostgreSQL each time.
 */
@Singleton
public class StatementCachingPool implements PgPoolCreator {

    /** Above the longest statement the service runs, with room for it to grow. */
    static final int STATEMENT_CACHE_SQL_LIMIT = 16_384;

    @Override
    public Pool create(Input input) {
        List<SqlConnectOptions> servers = new ArrayList<>();
        for (PgConnectOptions options : input.pgConnectOptionsList()) {
            servers.add(options.setPreparedStatementCacheSqlLimit(STATEMENT_CACHE_SQL_LIMIT));
        }
        return PgBuilder.pool().with(input.poolOptions()).connectingTo(servers).using(input.vertx()).build();
    }
}

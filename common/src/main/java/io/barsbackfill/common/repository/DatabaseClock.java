package io.barsbackfill.common.repository;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;

/**
 * The database's {@code now()}: the one clock every instance shares. Whatever other instances or the stored data
 * depend on (which slices are final, when a run given back or a blocked provider is due) is decided against it,
 * in SQL where the decision is a statement ({@code now() + interval}), else with this reading; an instance's own
 * {@code Clock} may run ahead or behind and serves only what stays local (timeouts, stopwatches, log lines).
 */
@ApplicationScoped
public class DatabaseClock {

    private static final String NOW = "SELECT now() AS now";

    private final Pool pool;

    protected DatabaseClock(Pool pool) {
        this.pool = pool;
    }

    public Uni<Instant> now() {
        return pool.query(NOW)
                .execute()
                .map(rows -> rows.iterator().next().getOffsetDateTime("now").toInstant());
    }
}

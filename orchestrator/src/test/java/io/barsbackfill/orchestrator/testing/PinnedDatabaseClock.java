package io.barsbackfill.orchestrator.testing;

import io.barsbackfill.common.repository.DatabaseClock;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.annotation.Priority;
import jakarta.enterprise.inject.Alternative;
import jakarta.inject.Singleton;
import java.time.Instant;

/**
 * The database's now as the application reads it ({@link DatabaseClock}: the planning horizon, enqueue's
 * {@code slices_ready}), stopped at whatever instant a test pins it to (the database's real {@code now()} until
 * then). PostgreSQL's own clock cannot be set, so a test of planning at a chosen moment pins this one, and
 * {@link PinnedClock} separately, to give the instance a clock of its own. Enabled only by
 * {@link PinnedClockProfile}.
 */
@Alternative
@Priority(1)
@Singleton
public class PinnedDatabaseClock extends DatabaseClock {

    private volatile Instant pinned;

    PinnedDatabaseClock(Pool pool) {
        super(pool);
    }

    public void pin(Instant instant) {
        pinned = instant;
    }

    @Override
    public Uni<Instant> now() {
        Instant t = pinned;
        return t == null ? super.now() : Uni.createFrom().item(t);
    }
}

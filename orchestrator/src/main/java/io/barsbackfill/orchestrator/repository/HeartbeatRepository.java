package io.barsbackfill.orchestrator.repository;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

/** One {@code orchestrator_heartbeat} row per instance: written when a tick starts and when it ends. */
@ApplicationScoped
public class HeartbeatRepository {

    /** A tick started: the instance is alive. Status and message stay those of the last tick. */
    static final String STARTED = """
            INSERT INTO orchestrator_heartbeat (name, last_seen, status, message, version)
            VALUES ($1, now(), 'healthy', 'first tick in progress', $2)
            ON CONFLICT (name) DO UPDATE
            SET last_seen = now(), version = excluded.version, updated_at = now()""";

    /** $5 is the tick result as JSON text (cast through text: a bare string parameter would become a JSON string). */
    static final String FINISHED = """
            INSERT INTO orchestrator_heartbeat (name, last_seen, status, message, version, last_tick)
            VALUES ($1, now(), $2, $3, $4, $5::text::jsonb)
            ON CONFLICT (name) DO UPDATE
            SET last_seen = now(), status = excluded.status, message = excluded.message, version = excluded.version,
                last_tick = excluded.last_tick, updated_at = now()""";

    private final Pool pool;

    HeartbeatRepository(Pool pool) {
        this.pool = pool;
    }

    public Uni<Void> started(String instance, String version) {
        return pool.preparedQuery(STARTED).execute(Tuple.of(instance, version)).replaceWithVoid();
    }

    public Uni<Void> finished(String instance, String version, String status, String message, String tickJson) {
        return pool.preparedQuery(FINISHED)
                .execute(Tuple.of(instance, status, message, version, tickJson))
                .replaceWithVoid();
    }
}

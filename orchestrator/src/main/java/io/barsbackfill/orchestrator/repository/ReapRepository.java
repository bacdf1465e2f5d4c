package io.barsbackfill.orchestrator.repository;

import io.barsbackfill.common.config.BackfillConfig;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Ends leases nobody honoured: a run still {@code running} after its lease expired (the fetcher died, hung or
 * never got the request) goes back to the queue with backoff, or fails once it used its last attempt. The
 * attempt is kept: the claim counted it. {@code leased_by} and {@code dispatch_id} stay as a record of who
 * held the run last.
 */
@ApplicationScoped
public class ReapRepository {

    /** $1 backoff base seconds, $2 backoff cap seconds. */
    static final String REAP = """
            UPDATE job_runs r
            SET status = CASE WHEN r.attempt >= r.max_attempts THEN 'failed' ELSE 'queued' END,
                run_after = CASE WHEN r.attempt >= r.max_attempts THEN r.run_after
                            ELSE now() + retry_backoff(r.attempt, make_interval(secs => $1), make_interval(secs =>
                                $2)) END,
                finished_at = CASE WHEN r.attempt >= r.max_attempts THEN now() END,
                error_code = 'LEASE_EXPIRED',
                error_message = 'lease of ' || coalesce(r.leased_by, 'unknown') || ' expired at ' || r.lease_expires_at
                                || ' (attempt ' || r.attempt || ' of ' || r.max_attempts || ')',
                lease_token = NULL, lease_expires_at = NULL, updated_at = now()
            WHERE r.id IN (SELECT id FROM job_runs
                           WHERE status = 'running' AND lease_expires_at < now()
                           FOR UPDATE SKIP LOCKED)
            RETURNING r.status""";

    private final Pool pool;
    private final BackfillConfig.Queue queue;

    ReapRepository(Pool pool, BackfillConfig config) {
        this.pool = pool;
        this.queue = config.queue();
    }

    public Uni<Reaped> reap() {
        return pool.preparedQuery(REAP)
                .execute(Tuple.of(Rows.seconds(queue.backoffBase()), Rows.seconds(queue.backoffMax())))
                .map(rows -> {
                    int requeued = 0;
                    int failed = 0;
                    for (Row r : rows) {
                        if ("failed".equals(r.getString("status"))) {
                            failed++;
                        } else {
                            requeued++;
                        }
                    }
                    return new Reaped(requeued, failed);
                });
    }

    public record Reaped(int requeued, int failed) {
        public int total() {
            return requeued + failed;
        }
    }
}

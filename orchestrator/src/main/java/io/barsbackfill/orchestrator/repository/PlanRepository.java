package io.barsbackfill.orchestrator.repository;

import io.barsbackfill.common.domain.Slice;
import io.barsbackfill.common.repository.QueueRepository;
import io.barsbackfill.orchestrator.Definition;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * Turns a definition's next grid slices into job runs, in one transaction per definition:
 * <ol>
 * <li>lock the definition row (SKIP LOCKED: another tick planning it right now does the work) and read
 * {@code planned_to} as that tick left it;</li>
 * <li>insert one run per (ticker, slice) ({@link QueueRepository#PLAN}): idempotent whoever else inserts;</li>
 * <li>link the definition to every run it wants, new or already queued by another definition. This is a
 * separate statement so that it sees runs a concurrent transaction committed while we waited on them;</li>
 * <li>advance {@code planned_to} so the next tick starts after these slices.</li>
 * </ol>
 * Tickers come from the definition row itself (the {@code symbols} column), never from its name.
 */
@ApplicationScoped
public class PlanRepository {

    static final String LOCK = """
            SELECT planned_to FROM job_definitions WHERE id = $1 AND enabled FOR UPDATE SKIP LOCKED""";

    /** $1 definition, $2 slice starts. */
    static final String LINK_RUNS = """
            INSERT INTO job_definition_runs (job_def_id, job_run_id)
            SELECT d.id, r.id
            FROM job_definitions d
            JOIN job_runs r ON r.symbol = ANY (d.symbols) AND r.timeframe = d.timeframe
                           AND r.provider = d.provider AND r.feed = d.feed AND r.adjustment = d.adjustment
                           AND r.slice_from = ANY ($2::timestamptz[])
            WHERE d.id = $1
            ON CONFLICT DO NOTHING""";

    static final String ADVANCE = """
            UPDATE job_definitions SET planned_to = GREATEST(planned_to, $2) WHERE id = $1""";

    private final Pool pool;
    private final QueueRepository queue;

    PlanRepository(Pool pool, QueueRepository queue) {
        this.pool = pool;
        this.queue = queue;
    }

    /**
     * Plans the slices {@code next} chooses from the locked {@code planned_to}; answers the runs inserted,
     * or empty when another transaction holds the definition (or it was disabled meanwhile).
     */
    public Uni<Optional<Integer>> plan(Definition definition, Function<Instant, List<Slice>> next, int maxAttempts) {
        return pool.withTransaction(conn -> conn.preparedQuery(LOCK)
                .execute(Tuple.of(definition.id()))
                .chain(rows -> {
                    if (rows.rowCount() == 0) {
                        return Uni.createFrom().item(Optional.<Integer>empty());
                    }
                    List<Slice> slices = next.apply(Rows.instant(rows.iterator().next(), "planned_to"));
                    if (slices.isEmpty()) {
                        return Uni.createFrom().item(Optional.of(0));
                    }
                    return insert(conn, definition, slices, maxAttempts).map(Optional::of);
                }));
    }

    private Uni<Integer> insert(SqlConnection conn, Definition definition, List<Slice> slices, int maxAttempts) {
        var starts = Rows.utc(slices.stream().map(Slice::from).toList());
        Instant plannedTo = slices.get(slices.size() - 1).to();
        return queue.plan(conn, definition.id(), slices, maxAttempts)
                .call(() -> conn.preparedQuery(LINK_RUNS).execute(Tuple.of(definition.id(), starts)))
                .call(() -> conn.preparedQuery(ADVANCE).execute(Tuple.of(definition.id(), Rows.utc(plannedTo))));
    }
}

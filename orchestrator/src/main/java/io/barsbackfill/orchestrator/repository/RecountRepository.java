package io.barsbackfill.orchestrator.repository;

import io.barsbackfill.orchestrator.CounterDifference;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code recount}: the run counters of migration V5 ({@code run_counts}, {@code definition_run_counts}) against
 * {@code count(*)} over the runs, and, where they differ, the counters replaced by the true figures.
 *
 * <p>Why this is safe against transitions under way, in one transaction:
 * <ol>
 * <li>{@code job_runs} and {@code job_definition_runs} are locked in SHARE mode. Every transition and link writes
 * them under ROW EXCLUSIVE, which SHARE excludes: the lock waits for the transitions under way to commit (with
 * their deltas, appended in the same transaction) and holds off new ones until the recount commits. Readers
 * ({@code status}, claims' SELECTs) go on.</li>
 * <li>The counters are then locked in EXCLUSIVE mode, which still lets {@code status} read them (ACCESS SHARE) but
 * keeps {@code compact_run_counts()} out: a compaction deleting and re-inserting the deltas while this replaces
 * them would leave its re-inserted rows, invisible to this statement's snapshot, beside the true figures. The
 * runs are locked first, as the triggers (which append to the counters while holding the runs) do: the other
 * order could deadlock with a transition.</li>
 * <li>With nothing moving, the figures compared and written are those of one instant; the deltas are deleted and
 * one row per key inserted, so the counters read the same as after a compaction. Transitions held off append
 * their deltas on top of the true figures once this commits.</li>
 * </ol>
 * Transitions wait for the length of two aggregates over the runs (under a second at a million runs), so
 * {@code lock_timeout} bounds the wait for a long transaction ahead of the lock: the recount then fails, retryably,
 * rather than stalling the queue behind it.
 */
@ApplicationScoped
public class RecountRepository {

    static final String LOCK_RUNS = "LOCK TABLE job_runs, job_definition_runs IN SHARE MODE";
    static final String LOCK_COUNTERS = "LOCK TABLE run_counts, definition_run_counts IN EXCLUSIVE MODE";
    static final String LOCK_TIMEOUT = "SET LOCAL lock_timeout = '30s'";

    /** The true figures, by status and per definition (job_def_id null: the whole queue). */
    static final String ACTUAL = """
            CREATE TEMPORARY TABLE recount_actual ON COMMIT DROP AS
            SELECT NULL::uuid AS job_def_id, status, count(*)::bigint AS runs,
                   coalesce(sum(rows_written), 0)::bigint AS rows_written,
                   coalesce(sum(bars_fetched), 0)::bigint AS bars_fetched
            FROM job_runs GROUP BY status
            UNION ALL
            SELECT l.job_def_id, r.status, count(*)::bigint, coalesce(sum(r.rows_written), 0)::bigint,
                   coalesce(sum(r.bars_fetched), 0)::bigint
            FROM job_definition_runs l JOIN job_runs r ON r.id = l.job_run_id
            GROUP BY l.job_def_id, r.status""";

    /** Every key where the counters and the true figures differ; the whole queue first. */
    static final String DIFFERENCES = """
            WITH counted AS (
                SELECT NULL::uuid AS job_def_id, status, sum(runs)::bigint AS runs,
                       sum(rows_written)::bigint AS rows_written, sum(bars_fetched)::bigint AS bars_fetched
                FROM run_counts GROUP BY status
                UNION ALL
                SELECT job_def_id, status, sum(runs)::bigint, sum(rows_written)::bigint, sum(bars_fetched)::bigint
                FROM definition_run_counts GROUP BY job_def_id, status)
            SELECT coalesce(c.job_def_id, a.job_def_id) AS job_def_id, d.name, coalesce(c.status, a.status) AS status,
                   coalesce(c.runs, 0) AS counted_runs, coalesce(a.runs, 0) AS actual_runs,
                   coalesce(c.rows_written, 0) AS counted_rows_written,
                   coalesce(a.rows_written, 0) AS actual_rows_written,
                   coalesce(c.bars_fetched, 0) AS counted_bars_fetched,
                   coalesce(a.bars_fetched, 0) AS actual_bars_fetched
            FROM counted c
            FULL JOIN recount_actual a ON a.job_def_id IS NOT DISTINCT FROM c.job_def_id AND a.status = c.status
            LEFT JOIN job_definitions d ON d.id = coalesce(c.job_def_id, a.job_def_id)
            WHERE coalesce(c.runs, 0) <> coalesce(a.runs, 0)
               OR coalesce(c.rows_written, 0) <> coalesce(a.rows_written, 0)
               OR coalesce(c.bars_fetched, 0) <> coalesce(a.bars_fetched, 0)
            ORDER BY (coalesce(c.job_def_id, a.job_def_id) IS NOT NULL), d.name, 1, 3""";

    static final String REPLACE_TOTALS = """
            WITH gone AS (DELETE FROM run_counts)
            INSERT INTO run_counts (status, runs, rows_written, bars_fetched)
            SELECT status, runs, rows_written, bars_fetched FROM recount_actual WHERE job_def_id IS NULL""";

    static final String REPLACE_DEFINITIONS = """
            WITH gone AS (DELETE FROM definition_run_counts)
            INSERT INTO definition_run_counts (job_def_id, status, runs, rows_written, bars_fetched)
            SELECT job_def_id, status, runs, rows_written, bars_fetched FROM recount_actual
            WHERE job_def_id IS NOT NULL""";

    private final OperatorTransactions operator;

    RecountRepository(OperatorTransactions operator) {
        this.operator = operator;
    }

    /** Compares, and replaces the counters when anything differs; answers the differences found. */
    public Uni<List<CounterDifference>> recount() {
        return operator.run(conn -> conn.query(LOCK_TIMEOUT)
                .execute()
                .call(() -> conn.query(LOCK_RUNS).execute())
                .call(() -> conn.query(LOCK_COUNTERS).execute())
                .call(() -> conn.query(ACTUAL).execute())
                .chain(() -> conn.query(DIFFERENCES).execute())
                .map(rows -> {
                    List<CounterDifference> found = new ArrayList<>();
                    rows.forEach(r -> found.add(difference(r)));
                    return found;
                })
                .call(found -> found.isEmpty() ? Uni.createFrom().voidItem() : replace(conn)));
    }

    private static Uni<Void> replace(SqlConnection conn) {
        return conn.query(REPLACE_TOTALS)
                .execute()
                .call(() -> conn.query(REPLACE_DEFINITIONS).execute())
                .replaceWithVoid();
    }

    private static CounterDifference difference(Row r) {
        return new CounterDifference(
                r.getUUID("job_def_id"),
                r.getString("name"),
                r.getString("status"),
                r.getLong("counted_runs"),
                r.getLong("actual_runs"),
                r.getLong("counted_rows_written"),
                r.getLong("actual_rows_written"),
                r.getLong("counted_bars_fetched"),
                r.getLong("actual_bars_fetched"));
    }
}

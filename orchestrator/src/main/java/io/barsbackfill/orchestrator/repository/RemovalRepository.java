package io.barsbackfill.orchestrator.repository;

import io.barsbackfill.common.domain.JobStatus;
import io.barsbackfill.common.repository.QueueRepository;
import io.barsbackfill.orchestrator.Removal;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.UUID;

/**
 * {@code remove}: a definition, its links and its own unfinished runs go ({@link QueueRepository#cancelOwn});
 * runs another definition also links stay as they are. $1 is the definition's id throughout. A run is the
 * definition's own when no other definition links it.
 *
 * <p>Its own queued, failed and <em>running</em> runs become {@code cancelled}, with their leases cleared: every
 * statement a fetcher makes about a run is fenced by {@code (lease_token, status = 'running')}, so a fetcher still
 * working on one finds at its next lease check (lease extension, or the lock it takes before storing bars) that
 * the run is no longer leased to it, and writes nothing. Letting them finish instead would store bars that belong
 * to no definition after the removal (and after {@code delete_bars} counted and deleted them), and the runs would
 * still be counted nowhere. Successful runs keep their status, unless their bars are deleted too.
 *
 * <p>Bars deleted with {@code delete_bars}: those in the slice (symbol, timeframe, series, time range) of a run the
 * definition links and in no slice of a run another definition links.
 */
@ApplicationScoped
public class RemovalRepository {

    /** Holds off the definition's planning (which locks it with SKIP LOCKED) until the removal commits. */
    static final String LOCK = "SELECT id FROM job_definitions WHERE id = $1 FOR UPDATE";

    /** The definition's runs: its own by status, and those shared with another definition. */
    static final String RUNS = """
            SELECT count(*) FILTER (WHERE NOT shared AND status IN ('queued', 'running', 'failed')) AS unfinished,
                   count(*) FILTER (WHERE NOT shared AND status = 'success') AS succeeded,
                   count(*) FILTER (WHERE shared) AS shared
            FROM (SELECT r.status, EXISTS (SELECT 1 FROM job_definition_runs o
                                           WHERE o.job_run_id = r.id AND o.job_def_id <> $1) AS shared
                  FROM job_definition_runs l JOIN job_runs r ON r.id = l.job_run_id
                  WHERE l.job_def_id = $1) AS mine""";

    /** The bars in the definition's slices that no slice of another definition's run covers. */
    private static final String BARS_OF_NO_OTHER = """
            FROM job_definition_runs l
            JOIN job_runs m ON m.id = l.job_run_id
            JOIN ohlc_bars b ON b.symbol = m.symbol AND b.timeframe = m.timeframe AND b.provider = m.provider
                            AND b.feed = m.feed AND b.adjustment = m.adjustment
                            AND b.ts >= m.slice_from AND b.ts < m.slice_to
            WHERE l.job_def_id = $1
              AND NOT EXISTS (SELECT 1 FROM job_definition_runs o JOIN job_runs r ON r.id = o.job_run_id
                              WHERE o.job_def_id <> $1 AND r.symbol = b.symbol AND r.timeframe = b.timeframe
                                AND r.provider = b.provider AND r.feed = b.feed AND r.adjustment = b.adjustment
                                AND r.slice_from <= b.ts AND b.ts < r.slice_to)""";

    static final String COUNT_BARS = "SELECT count(*) AS bars " + BARS_OF_NO_OTHER;

    static final String DELETE_BARS = """
            DELETE FROM ohlc_bars d
            USING (SELECT b.symbol, b.timeframe, b.provider, b.feed, b.adjustment, b.ts
            """ + BARS_OF_NO_OTHER + """
            ) AS gone
            WHERE d.symbol = gone.symbol AND d.timeframe = gone.timeframe AND d.provider = gone.provider
              AND d.feed = gone.feed AND d.adjustment = gone.adjustment AND d.ts = gone.ts""";

    /**
     * Its links go with it (ON DELETE CASCADE, counted by the link trigger); {@code job_runs.job_def_id} (the
     * definition that asked first, which nothing reads) becomes null in its runs, shared ones included.
     */
    static final String DELETE_DEFINITION = "DELETE FROM job_definitions WHERE id = $1";

    private static final List<JobStatus> UNFINISHED = List.of(JobStatus.queued, JobStatus.running, JobStatus.failed);
    private static final List<JobStatus> ALL_BUT_CANCELLED =
            List.of(JobStatus.queued, JobStatus.running, JobStatus.failed, JobStatus.success);

    private final OperatorTransactions operator;
    private final QueueRepository queue;

    RemovalRepository(OperatorTransactions operator, QueueRepository queue) {
        this.operator = operator;
        this.queue = queue;
    }

    /**
     * Removes the definition in one transaction; {@code dryRun} only counts (the definition is locked while it
     * does, and nothing is written).
     */
    public Uni<Removal> remove(UUID definition, boolean deleteBars, boolean dryRun) {
        return operator.run(conn -> conn.preparedQuery(LOCK)
                .execute(Tuple.of(definition))
                .chain(() -> dryRun ? count(conn, definition, deleteBars) : apply(conn, definition, deleteBars)));
    }

    private static Uni<Removal> count(SqlConnection conn, UUID definition, boolean deleteBars) {
        return conn.preparedQuery(RUNS).execute(Tuple.of(definition)).chain(rows -> {
            Row r = rows.iterator().next();
            long cancelled = r.getLong("unfinished") + (deleteBars ? r.getLong("succeeded") : 0);
            long shared = r.getLong("shared");
            if (!deleteBars) {
                return Uni.createFrom().item(new Removal(cancelled, shared, 0));
            }
            return conn.preparedQuery(COUNT_BARS)
                    .execute(Tuple.of(definition))
                    .map(bars -> new Removal(
                            cancelled, shared, bars.iterator().next().getLong("bars")));
        });
    }

    /**
     * Cancels first: a completion under way is waited for, so its bars are stored before the bars are deleted
     * (this statement's snapshot is taken after it) and no fetcher stores any afterwards.
     */
    private Uni<Removal> apply(SqlConnection conn, UUID definition, boolean deleteBars) {
        Uni<Long> shared = conn.preparedQuery(RUNS)
                .execute(Tuple.of(definition))
                .map(rows -> rows.iterator().next().getLong("shared"));
        return shared.chain(kept -> queue.cancelOwn(conn, definition, deleteBars ? ALL_BUT_CANCELLED : UNFINISHED)
                .chain(cancelled -> (deleteBars
                                ? conn.preparedQuery(DELETE_BARS)
                                        .execute(Tuple.of(definition))
                                        .map(rows -> (long) rows.rowCount())
                                : Uni.createFrom().item(0L))
                        .call(() -> conn.preparedQuery(DELETE_DEFINITION).execute(Tuple.of(definition)))
                        .map(bars -> new Removal(cancelled, kept, bars))));
    }
}

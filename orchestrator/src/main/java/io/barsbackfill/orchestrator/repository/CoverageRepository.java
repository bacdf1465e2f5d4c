package io.barsbackfill.orchestrator.repository;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/** One definition's runs for the coverage heatmap. */
@ApplicationScoped
public class CoverageRepository {

    /** By the primary key of job_definition_runs (job_def_id first), then job_runs' primary key. */
    static final String RUNS = """
            SELECT r.symbol, r.slice_from, r.status, r.rows_written, r.sessions_expected, r.sessions_with_bars
            FROM job_definition_runs l
            JOIN job_runs r ON r.id = l.job_run_id
            WHERE l.job_def_id = $1""";

    private final Pool pool;

    CoverageRepository(Pool pool) {
        this.pool = pool;
    }

    public Uni<List<Cell>> runs(UUID definition) {
        return pool.preparedQuery(RUNS).execute(Tuple.of(definition)).map(rows -> {
            List<Cell> cells = new ArrayList<>(rows.size());
            for (Row r : rows) {
                cells.add(new Cell(
                        r.getString("symbol"),
                        Rows.instant(r, "slice_from"),
                        r.getString("status"),
                        r.getInteger("rows_written"),
                        r.getInteger("sessions_expected"),
                        r.getInteger("sessions_with_bars")));
            }
            return cells;
        });
    }

    /** A run; its sessions are null until it succeeded (or when it succeeded before they were recorded). */
    public record Cell(
            String symbol,
            Instant sliceFrom,
            String status,
            int rowsWritten,
            Integer sessionsExpected,
            Integer sessionsWithBars) {

        /** Percent of the expected sessions holding a bar (100 for a slice without sessions), -1 when unknown. */
        public int completeness() {
            if (sessionsExpected == null || sessionsWithBars == null) {
                return -1;
            }
            return sessionsExpected == 0 ? 100 : (int) Math.floor(sessionsWithBars * 100.0 / sessionsExpected);
        }
    }
}
